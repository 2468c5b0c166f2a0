#include <overworld/server/sandbox/shared_keys.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/redis.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace overworld::sandbox {

namespace json = boost::json;

namespace {

/// A failure as a result<bool> (which an error_code alone would not make: bool is constructible from it).
result<bool> failure(error_code ec) { return result<bool>{boost::system::in_place_error, ec}; }

}  // namespace

boost::asio::awaitable<result<bool>> local_portal_keys::create(api_key key, std::size_t max_per_developer) {
  auto added = keys_.add_limited(std::move(key), max_per_developer);
  if (!added && added.error() == errc::too_large) co_return false;
  if (!added) co_return failure(added.error());
  co_return true;
}

boost::asio::awaitable<result<bool>> local_portal_keys::revoke(std::string developer, std::string id) {
  auto const held = keys_.list(developer);
  bool const owned = std::any_of(held.begin(), held.end(), [&](api_key const& k) { return k.id == id; });
  co_return owned&& keys_.revoke(id);
}

boost::asio::awaitable<result<std::vector<api_key>>> local_portal_keys::list(std::string developer) {
  co_return keys_.list(developer);
}

namespace {

constexpr char all_keys[] = "overworld:sandbox:keys";
constexpr char version_key[] = "overworld:sandbox:keys:version";
constexpr char developer_prefix[] = "overworld:sandbox:developer:";

/// A key as Redis holds it (the networks are parsed again from the CIDRs).
std::string encode_key(api_key const& k) {
  json::array cidrs;
  for (auto const& c : k.cidrs) cidrs.emplace_back(c);
  return json::serialize(json::object{{"id", k.id},
                                      {"developer", k.developer_id},
                                      {"name", k.name},
                                      {"description", k.description},
                                      {"key", k.key},
                                      {"cidrs", std::move(cidrs)},
                                      {"created", k.created}});
}

std::optional<api_key> decode_key(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto const& o = v.get_object();
  auto const text_of = [&](char const* name) -> std::optional<std::string> {
    auto const* f = o.if_contains(name);
    if (!f || !f->is_string()) return std::nullopt;
    return std::string{f->get_string()};
  };
  api_key k;
  auto id = text_of("id"), developer = text_of("developer"), name = text_of("name"),
       description = text_of("description"), key = text_of("key");
  auto const* cidrs = o.if_contains("cidrs");
  auto const* created = o.if_contains("created");
  if (!id || !developer || developer->empty() || !name || !description || !key || !cidrs || !cidrs->is_array() ||
      !created || !created->is_int64())
    return std::nullopt;
  for (auto const& c : cidrs->get_array()) {
    if (!c.is_string()) return std::nullopt;
    k.cidrs.emplace_back(c.get_string());
  }
  k.id = std::move(*id);
  k.developer_id = std::move(*developer);
  k.name = std::move(*name);
  k.description = std::move(*description);
  k.key = std::move(*key);
  k.created = created->get_int64();
  return k;
}

/// The version starts from Redis's clock, so that a Redis that lost its data never hands out a
/// version a mirror has already seen.
constexpr char bump_lua[] = R"lua(
local function bump(key)
  if redis.call('EXISTS', key) == 0 then
    local t = redis.call('TIME')
    redis.call('SET', key, tonumber(t[1]) * 1000000 + tonumber(t[2]))
  end
  return redis.call('INCR', key)
end
)lua";

// KEYS: developer hash, all keys, version. ARGV: id, key, record, cap. 0 at the cap, else the version.
store::redis_script const& create_script() {
  static store::redis_script const script{std::string{bump_lua} + R"lua(
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
return bump(KEYS[3])
)lua"};
  return script;
}

// KEYS: developer hash, all keys, version. ARGV: id. 0 for a key the developer does not hold.
store::redis_script const& revoke_script() {
  static store::redis_script const script{std::string{bump_lua} + R"lua(
local key = redis.call('HGET', KEYS[1], ARGV[1])
if not key then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], key)
return bump(KEYS[3])
)lua"};
  return script;
}

// KEYS: developer hash, all keys. The developer's records.
store::redis_script const& list_script() {
  static store::redis_script const script{R"lua(
local keys = redis.call('HVALS', KEYS[1])
if #keys == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(keys))
)lua"};
  return script;
}

result<bool> failed(store::redis_reply const& r, char const* what) {
  spdlog::error("redis: {} a sandbox key failed: {}", what, r.is_error() ? r.text : "an unexpected answer");
  return errc::unavailable;
}

// Commands as plain functions: g++ 12 rejects string literals in a braced list inside a coroutine.
store::redis_client::command_args developer_keys(std::string const& developer) {
  return {developer_prefix + developer, all_keys, version_key};
}
store::redis_client::command_args get_key(std::string const& key) { return {"HGET", all_keys, key}; }
store::redis_client::command_args get_version() { return {"GET", version_key}; }
store::redis_client::command_args get_all() { return {"HGETALL", all_keys}; }

}  // namespace

redis_keys::redis_keys(std::shared_ptr<store::redis_client> redis, key_registry& mirror, shared_key_options options)
    : redis_(std::move(redis)), mirror_(mirror), options_(options) {}

boost::asio::awaitable<result<bool>> redis_keys::create(api_key key, std::size_t max_per_developer) {
  if (auto parsed = parse_networks(key); !parsed) co_return failure(parsed.error());
  auto keys = developer_keys(key.developer_id);
  store::redis_client::command_args args{key.id, key.key, encode_key(key), std::to_string(max_per_developer)};
  auto r = co_await redis_->eval(create_script(), std::move(keys), std::move(args));
  if (!r) co_return failure(r.error());
  if (r->kind != store::redis_reply::type::integer) co_return failed(*r, "creating");
  if (r->integer == 0) co_return false;
  (void)mirror_.put(std::move(key));  // this node knows it at once; the others at a miss or refresh
  co_return true;
}

boost::asio::awaitable<result<bool>> redis_keys::revoke(std::string developer, std::string id) {
  auto keys = developer_keys(developer);
  store::redis_client::command_args args{id};
  auto r = co_await redis_->eval(revoke_script(), std::move(keys), std::move(args));
  if (!r) co_return failure(r.error());
  if (r->kind != store::redis_reply::type::integer) co_return failed(*r, "revoking");
  if (r->integer == 0) co_return false;
  mirror_.revoke(id);  // here at once; the other nodes at their next refresh
  co_return true;
}

boost::asio::awaitable<result<std::vector<api_key>>> redis_keys::list(std::string developer) {
  auto keys = developer_keys(developer);
  keys.pop_back();
  auto r = co_await redis_->eval(list_script(), std::move(keys), store::redis_client::command_args{});
  if (!r) co_return r.error();
  if (r->kind != store::redis_reply::type::array) co_return failed(*r, "listing").error();
  std::vector<api_key> out;
  for (auto const& e : r->elements) {
    if (e.is_nil()) continue;
    if (auto k = decode_key(e.text)) out.push_back(std::move(*k));
  }
  std::sort(out.begin(), out.end(), [](api_key const& a, api_key const& b) {
    return a.created != b.created ? a.created < b.created : a.id < b.id;
  });
  co_return out;
}

boost::asio::awaitable<result<bool>> redis_keys::find(std::string key) {
  {
    std::lock_guard lock{mutex_};
    // Found unknown since the last refresh, or the lookups of this interval are spent: an unknown
    // key until the next refresh brings every key made meanwhile.
    if (missed_.contains(key)) co_return false;
    if (looked_up_ >= options_.max_lookups) {
      ++refused_;
      co_return false;
    }
    ++looked_up_;
  }
  ++lookups_;
  auto r = co_await redis_->command(get_key(key));
  if (!r) co_return failure(r.error());  // not an answer: asked again next time
  if (r->is_nil()) {
    std::lock_guard lock{mutex_};
    missed_.insert(std::move(key));  // at most max_lookups entries
    co_return false;
  }
  auto found = r->kind == store::redis_reply::type::string ? decode_key(r->text) : std::nullopt;
  if (!found || found->key != key) co_return failed(*r, "reading");
  co_return mirror_.put(std::move(*found)).has_value();
}

boost::asio::awaitable<result<void>> redis_keys::refresh() {
  auto version = co_await redis_->command(get_version());
  if (!version) co_return version.error();
  if (version->is_error()) co_return failed(*version, "refreshing").error();
  std::string const now = version->is_nil() ? std::string{} : version->text;
  bool changed = false;
  {
    std::lock_guard lock{mutex_};
    changed = version_ != now;
  }
  if (changed) {
    auto r = co_await redis_->command(get_all());
    if (!r) co_return r.error();
    if (r->kind != store::redis_reply::type::array) co_return failed(*r, "refreshing").error();
    if (stopping_) co_return errc::shutting_down;  // the sandbox may be going away
    std::vector<api_key> keys;
    for (std::size_t i = 1; i < r->elements.size(); i += 2) {
      if (auto k = decode_key(r->elements[i].text)) keys.push_back(std::move(*k));
    }
    held_ = keys.size();
    mirror_.replace_portal_keys(std::move(keys));
  }
  std::lock_guard lock{mutex_};
  version_ = now;
  missed_.clear();
  looked_up_ = 0;
  co_return result<void>{};
}

boost::asio::awaitable<void> redis_keys::refresh_loop(std::shared_ptr<redis_keys> self) {
  while (!self->stopping_) {
    auto const done = co_await self->refresh();
    if (!done && !self->failing_) {
      spdlog::warn("sandbox keys: cannot refresh from Redis ({}); known keys keep working", done.error().message());
    } else if (done && self->failing_) {
      spdlog::info("sandbox keys: refreshed from Redis again");
    }
    self->failing_ = !done;
    if (self->stopping_) break;
    self->timer_->expires_after(self->options_.refresh);
    auto [ec] = co_await self->timer_->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    (void)ec;  // cancelled by stop(): the flag ends the loop
  }
}

void redis_keys::start(boost::asio::any_io_executor executor) {
  timer_ = std::make_unique<boost::asio::steady_timer>(executor);
  boost::asio::co_spawn(executor, refresh_loop(shared_from_this()), boost::asio::detached);
}

void redis_keys::stop() {
  stopping_ = true;
  if (!timer_) return;
  // The timer belongs to the loop's thread: cancel it there.
  boost::asio::post(timer_->get_executor(), [self = shared_from_this()] { self->timer_->cancel(); });
}

void redis_keys::expose(metrics_registry& metrics) {
  std::weak_ptr<redis_keys> weak = weak_from_this();
  metrics.add([weak](std::string& out) {
    auto self = weak.lock();
    if (!self) return;
    render_help(out, "overworld_sandbox_key_lookups_total", "counter",
                "Sandbox API keys unknown to this node looked up in Redis");
    render_sample(out, "overworld_sandbox_key_lookups_total", "", self->lookups_.load());
    render_help(out, "overworld_sandbox_key_lookups_refused_total", "counter",
                "Unknown sandbox API keys refused without a lookup (sandbox.key_lookups spent until the next refresh)");
    render_sample(out, "overworld_sandbox_key_lookups_refused_total", "", self->refused_.load());
    render_help(out, "overworld_sandbox_key_refresh_failing", "gauge",
                "1 while this node's copy of the shared sandbox keys cannot be refreshed from Redis");
    render_sample(out, "overworld_sandbox_key_refresh_failing", "", std::uint64_t{self->failing_ ? 1u : 0u});
    render_help(out, "overworld_sandbox_keys_shared", "gauge", "Portal-made sandbox API keys in this node's copy");
    render_sample(out, "overworld_sandbox_keys_shared", "", self->held_.load());
  });
}

}  // namespace overworld::sandbox
