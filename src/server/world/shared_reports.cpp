#include <overworld/server/world/shared_reports.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/redis.hpp>

#include <charconv>
#include <cstdio>
#include <random>

namespace overworld::world {

namespace {

using args = store::redis_client::command_args;

// KEYS: at, body. ARGV: district, version, body, cap. 0 for a new district beyond the cap
// (nothing changed), else 1.
store::redis_script const& put_script() {
  static store::redis_script const s{R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
return 1
)lua"};
  return s;
}

// KEYS: at, body. ARGV: forget_before_ms. Returns district, version, district, version, ...
store::redis_script const& stamps_script() {
  static store::redis_script const s{R"lua(
local all = redis.call('HGETALL', KEYS[1])
local out = {}
local cutoff = tonumber(ARGV[1])
for i = 1, #all, 2 do
  local at = tonumber(string.match(all[i + 1], '^(%d+):'))
  if at == nil or at < cutoff then
    redis.call('HDEL', KEYS[1], all[i])
    redis.call('HDEL', KEYS[2], all[i])
  else
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
)lua"};
  return s;
}

/// The unix milliseconds of a version ("ms:sequence").
bool version_time(std::string_view version, std::int64_t& out) {
  auto const [p, ec] = std::from_chars(version.data(), version.data() + version.size(), out);
  return ec == std::errc{} && p != version.data() + version.size() && *p == ':';
}

/// A reply that is an error, or not an array where one is expected, is a Redis misconfigured
/// (not a report): logged, and the node treats it as unreachable.
bool usable(result<store::redis_reply> const& r, std::string_view what) {
  if (!r) return false;
  if (r->kind == store::redis_reply::type::array || r->kind == store::redis_reply::type::integer) return true;
  spdlog::error("redis: {} of district reports failed: {}", what, r->text);
  return false;
}

constexpr std::string_view listing = "listing", fetching = "fetching";

constexpr std::size_t fetch_batch = 64;  // bodies are at most 64 KiB: a reply stays within 4 MiB

// The commands' arguments are made in plain functions: g++ 12 rejects some braced lists in a
// coroutine ("array used as initializer").
args keys(std::string const& at, std::string const& body) { return {at, body}; }
args put_args(shared_report r, std::size_t cap) {
  return {std::move(r.district), std::move(r.version), std::move(r.body), std::to_string(cap)};
}

/// "unix-ms:64 random bits": unique to one report, across nodes and across a Redis that lost its data.
std::string new_version(std::int64_t at_ms) {
  thread_local std::mt19937_64 bits{std::random_device{}()};
  char nonce[17];
  std::snprintf(nonce, sizeof nonce, "%016llx", static_cast<unsigned long long>(bits()));
  return std::to_string(at_ms) + ":" + nonce;
}
args stamps_args(std::int64_t before) { return {std::to_string(before)}; }

args hmget(std::string const& key, std::vector<std::string> const& districts, std::size_t from) {
  args a{"HMGET", key};
  for (std::size_t i = from; i < districts.size() && i < from + fetch_batch; ++i) a.push_back(districts[i]);
  return a;
}

}  // namespace

shared_reports::shared_reports(std::shared_ptr<store::redis_client> redis, std::size_t max_districts,
                               std::string prefix)
    : redis_(std::move(redis)), max_districts_(max_districts), at_key_(prefix + ":at"), body_key_(prefix + ":body") {}

boost::asio::awaitable<result<std::string>> shared_reports::put(shared_report report) {
  // Named, not temporaries in the co_await expression: g++ 12 may destroy those twice.
  auto script = put_script();
  auto k = keys(at_key_, body_key_);
  report.version = new_version(report.at_ms);
  std::string version = report.version;
  auto a = put_args(std::move(report), max_districts_);
  auto r = co_await redis_->eval(std::move(script), std::move(k), std::move(a));
  if (!r) co_return r.error();
  if (r->kind != store::redis_reply::type::integer) {
    spdlog::error("redis: storing a district report failed: {}", r->text);
    co_return errc::unavailable;
  }
  if (r->integer == 0) version.clear();  // the cap
  co_return version;
}

boost::asio::awaitable<result<std::vector<shared_stamp>>> shared_reports::stamps(std::int64_t forget_before_ms) {
  auto script = stamps_script();
  auto k = keys(at_key_, body_key_);
  auto a = stamps_args(forget_before_ms);
  auto r = co_await redis_->eval(std::move(script), std::move(k), std::move(a));
  if (!usable(r, listing)) co_return r ? errc::unavailable : r.error();
  std::vector<shared_stamp> out;
  auto const& e = r->elements;
  out.reserve(e.size() / 2);
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    out.push_back(shared_stamp{e[i].text, e[i + 1].text});
  }
  co_return out;
}

boost::asio::awaitable<result<std::vector<shared_report>>> shared_reports::fetch(std::vector<std::string> districts) {
  std::vector<shared_report> out;
  for (std::size_t from = 0; from < districts.size(); from += fetch_batch) {
    auto command = hmget(body_key_, districts, from);
    auto r = co_await redis_->command(std::move(command));
    if (!usable(r, fetching)) co_return r ? errc::unavailable : r.error();
    for (std::size_t i = 0; i < r->elements.size() && from + i < districts.size(); ++i) {
      std::string_view const value = r->elements[i].text;
      auto const space = value.find(' ');
      shared_report report{districts[from + i], 0, {}, {}};
      if (r->elements[i].is_nil() || space == std::string_view::npos ||
          !version_time(value.substr(0, space), report.at_ms))
        continue;
      report.version = value.substr(0, space);
      report.body = value.substr(space + 1);
      out.push_back(std::move(report));
    }
  }
  co_return out;
}

}  // namespace overworld::world
