#include <overworld/server/sandbox/portal_sessions.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/redis.hpp>

#include <openssl/sha.h>

#include <algorithm>

namespace overworld::sandbox {

std::string session_digest(std::string_view token) {
  unsigned char h[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<unsigned char const*>(token.data()), token.size(), h);
  std::string out;
  out.reserve(2 * sizeof h);
  for (unsigned char b : h) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

local_portal_sessions::local_portal_sessions(std::chrono::seconds lifetime, std::size_t max_per_account,
                                             clock const& time)
    : lifetime_(lifetime), max_per_account_(std::max<std::size_t>(1, max_per_account)), clock_(time) {}

std::size_t local_portal_sessions::size() const {
  std::lock_guard lock{mutex_};
  return by_digest_.size();
}

boost::asio::awaitable<result<void>> local_portal_sessions::open(std::string token, std::string developer) {
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  std::erase_if(by_digest_, [&](auto const& kv) { return kv.second.expires <= now; });
  // At the cap the account's oldest session ends: a new login always works, and one account
  // cannot fill the memory with sessions.
  std::size_t held = 0;
  auto oldest = by_digest_.end();
  for (auto it = by_digest_.begin(); it != by_digest_.end(); ++it) {
    if (it->second.developer_id != developer) continue;
    ++held;
    if (oldest == by_digest_.end() || it->second.serial < oldest->second.serial) oldest = it;
  }
  if (held >= max_per_account_ && oldest != by_digest_.end()) by_digest_.erase(oldest);
  by_digest_[session_digest(token)] = entry{std::move(developer), now + lifetime_, next_++};
  co_return result<void>{};
}

boost::asio::awaitable<result<std::optional<portal_session>>> local_portal_sessions::find(std::string token) {
  auto const digest = session_digest(token);
  std::lock_guard lock{mutex_};
  auto it = by_digest_.find(digest);
  if (it == by_digest_.end()) co_return std::optional<portal_session>{};
  auto const left = std::chrono::duration_cast<std::chrono::seconds>(it->second.expires - clock_.steady_now());
  if (left.count() <= 0) {
    by_digest_.erase(it);
    co_return std::optional<portal_session>{};
  }
  co_return std::optional<portal_session>{portal_session{it->second.developer_id, left}};
}

boost::asio::awaitable<result<void>> local_portal_sessions::end(std::string token) {
  auto const digest = session_digest(token);
  std::lock_guard lock{mutex_};
  by_digest_.erase(digest);
  co_return result<void>{};
}

namespace {

constexpr char session_prefix[] = "overworld:portal:session:";
constexpr char account_prefix[] = "overworld:portal:account:";

// The time in milliseconds (ARGV[n], or Redis's TIME when empty), then the step. Scores of the
// account's set are creation times, made strictly increasing so that the oldest is always first.
constexpr char now_lua[] = R"lua(
local function now_ms(arg)
  local given = tonumber(arg)
  if given then return given end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
)lua";

// KEYS: session, account set. ARGV: digest, developer, lifetime ms, cap, now, session prefix.
store::redis_script const& open_script() {
  static store::redis_script const script{std::string{now_lua} + R"lua(
local now, lifetime, cap = now_ms(ARGV[5]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - lifetime)
local held = redis.call('ZCARD', KEYS[2])
if held >= cap then
  for _, digest in ipairs(redis.call('ZRANGE', KEYS[2], 0, held - cap)) do
    redis.call('DEL', ARGV[6] .. digest)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, held - cap)
end
local created = now
local newest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) >= created then created = tonumber(newest[2]) + 1 end
redis.call('SET', KEYS[1], (now + lifetime) .. '\n' .. ARGV[2], 'PX', lifetime)
redis.call('ZADD', KEYS[2], created, ARGV[1])
redis.call('PEXPIRE', KEYS[2], lifetime + 1000)
return 1
)lua"};
  return script;
}

// KEYS: session. ARGV: now. Returns {developer, ms left} or nil.
store::redis_script const& find_script() {
  static store::redis_script const script{std::string{now_lua} + R"lua(
local v = redis.call('GET', KEYS[1])
if not v then return false end
local nl = string.find(v, '\n', 1, true)
if not nl then return false end
local left = tonumber(string.sub(v, 1, nl - 1)) - now_ms(ARGV[1])
if left <= 0 then
  redis.call('DEL', KEYS[1])
  return false
end
return {string.sub(v, nl + 1), left}
)lua"};
  return script;
}

// KEYS: session. ARGV: digest, account prefix.
store::redis_script const& end_script() {
  static store::redis_script const script{R"lua(
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
redis.call('DEL', KEYS[1])
local nl = string.find(v, '\n', 1, true)
if nl then redis.call('ZREM', ARGV[2] .. string.sub(v, nl + 1), ARGV[1]) end
return 1
)lua"};
  return script;
}

result<void> script_failed(store::redis_reply const& r, char const* what) {
  spdlog::error("redis: {} a portal session failed: {}", what, r.is_error() ? r.text : "an unexpected answer");
  return errc::unavailable;
}

}  // namespace

redis_portal_sessions::redis_portal_sessions(std::shared_ptr<store::redis_client> redis, std::chrono::seconds lifetime,
                                             std::size_t max_per_account, clock const* time)
    : redis_(std::move(redis)),
      lifetime_(lifetime),
      max_per_account_(std::max<std::size_t>(1, max_per_account)),
      clock_(time) {}

std::string redis_portal_sessions::now_arg() const {
  return clock_ ? std::to_string(unix_millis(clock_->now())) : std::string{};
}

boost::asio::awaitable<result<void>> redis_portal_sessions::open(std::string token, std::string developer) {
  auto const digest = session_digest(token);
  store::redis_client::command_args keys{session_prefix + digest, account_prefix + developer};
  store::redis_client::command_args args{
      digest,
      developer,
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(lifetime_).count()),
      std::to_string(max_per_account_),
      now_arg(),
      std::string{session_prefix}};
  auto r = co_await redis_->eval(open_script(), std::move(keys), std::move(args));
  if (!r) co_return r.error();
  if (r->kind != store::redis_reply::type::integer) co_return script_failed(*r, "opening");
  co_return result<void>{};
}

boost::asio::awaitable<result<std::optional<portal_session>>> redis_portal_sessions::find(std::string token) {
  store::redis_client::command_args keys{session_prefix + session_digest(token)};
  store::redis_client::command_args args{now_arg()};
  auto r = co_await redis_->eval(find_script(), std::move(keys), std::move(args));
  if (!r) co_return r.error();
  if (r->is_nil()) co_return std::optional<portal_session>{};
  if (r->kind != store::redis_reply::type::array || r->elements.size() != 2 ||
      r->elements[1].kind != store::redis_reply::type::integer) {
    co_return script_failed(*r, "reading").error();
  }
  // Whole seconds left, rounded down as the portal counts them; a session in its last second lives.
  auto const left = std::chrono::seconds{std::max<std::int64_t>(1, r->elements[1].integer / 1000)};
  co_return std::optional<portal_session>{portal_session{std::move(r->elements[0].text), left}};
}

boost::asio::awaitable<result<void>> redis_portal_sessions::end(std::string token) {
  auto const digest = session_digest(token);
  store::redis_client::command_args keys{session_prefix + digest};
  store::redis_client::command_args args{digest, std::string{account_prefix}};
  auto r = co_await redis_->eval(end_script(), std::move(keys), std::move(args));
  if (!r) co_return r.error();
  if (r->kind != store::redis_reply::type::integer) co_return script_failed(*r, "ending");
  co_return result<void>{};
}

}  // namespace overworld::sandbox
