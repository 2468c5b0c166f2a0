#include <overworld/server/common/limiter.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/redis.hpp>

#include <algorithm>

namespace overworld::server {

boost::asio::awaitable<result<policy::decision>> local_limiter::check(std::string key) { co_return inner_.check(key); }

namespace {

// policy::sliding_window_limiter::check, step for step, on one key's hit list (KEYS[1], oldest
// first, at most `limit` entries) and state hash (KEYS[2]). Times in milliseconds. Returns
// {allowed, blocked, remaining, retry_after_ms}.
store::redis_script const& window_script() {
  static store::redis_script const script{R"lua(
local limit, window, block_after = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local block_base, block_max, forget = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local now = tonumber(ARGV[7])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local s = redis.call('HMGET', KEYS[2], 'blocked_until', 'strikes', 'last_block', 'rejections', 'first_rejection')
local blocked_until = tonumber(s[1]) or 0
if now < blocked_until then return {0, 1, 0, blocked_until - now} end
local strikes, last_block = tonumber(s[2]) or 0, tonumber(s[3]) or 0
if strikes > 0 and now - last_block > forget then strikes = 0 end
while true do
  local oldest = redis.call('LINDEX', KEYS[1], 0)
  if not oldest or now - tonumber(oldest) < window then break end
  redis.call('LPOP', KEYS[1])
end
local hits = redis.call('LLEN', KEYS[1])
if hits < limit then
  redis.call('RPUSH', KEYS[1], now)
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, 0, limit - hits - 1, 0}
end
local retry = tonumber(redis.call('LINDEX', KEYS[1], 0)) + window - now
local rejections, first_rejection = tonumber(s[4]) or 0, tonumber(s[5])
if not first_rejection or now - first_rejection >= window then
  rejections, first_rejection = 0, now
end
rejections = rejections + 1
local keep = window
if block_after > 0 and rejections >= block_after then
  local block = math.min(block_base * 2 ^ math.min(strikes, 20), block_max)
  redis.call('HSET', KEYS[2], 'blocked_until', now + block, 'last_block', now, 'strikes', strikes + 1,
             'rejections', 0, 'first_rejection', first_rejection)
  keep = block + forget + 1
  if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
  return {0, 1, 0, block}
end
redis.call('HSET', KEYS[2], 'rejections', rejections, 'first_rejection', first_rejection, 'strikes', strikes)
if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
return {0, 0, 0, math.max(retry, 1)}
)lua"};
  return script;
}

/// The script's four integers as a decision; nullopt for anything else.
std::optional<policy::decision> read_decision(store::redis_reply const& r) {
  if (r.kind != store::redis_reply::type::array || r.elements.size() != 4) return std::nullopt;
  for (auto const& e : r.elements)
    if (e.kind != store::redis_reply::type::integer) return std::nullopt;
  policy::decision d;
  d.allowed = r.elements[0].integer == 1;
  d.blocked = r.elements[1].integer == 1;
  d.remaining = static_cast<std::size_t>(std::max<std::int64_t>(0, r.elements[2].integer));
  d.retry_after = std::chrono::milliseconds{r.elements[3].integer};
  return d;
}

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()); }

}  // namespace

redis_limiter::redis_limiter(std::shared_ptr<store::redis_client> redis, std::string name, policy::rate_limit limit,
                             clock const* time)
    : redis_(std::move(redis)), prefix_("overworld:rl:{" + std::move(name) + ":"), limit_(limit), clock_(time) {
  if (limit_.limit == 0) limit_.limit = 1;
}

boost::asio::awaitable<result<policy::decision>> redis_limiter::check(std::string key) {
  std::string const base = prefix_ + key + "}";
  store::redis_client::command_args keys;
  keys.push_back(base + ":hits");
  keys.push_back(base + ":state");
  store::redis_client::command_args args;
  args.push_back(std::to_string(limit_.limit));
  args.push_back(millis(limit_.window));
  args.push_back(std::to_string(limit_.block_after));
  args.push_back(millis(limit_.block_base));
  args.push_back(millis(limit_.block_max));
  args.push_back(millis(limit_.forget_after));
  args.push_back(clock_ ? std::to_string(unix_millis(clock_->now())) : std::string{});
  auto r = co_await redis_->eval(window_script(), std::move(keys), std::move(args));
  if (!r) co_return r.error();
  auto d = read_decision(*r);
  if (!d) {
    spdlog::error("redis: the rate-limit script answered {}", r->is_error() ? r->text : "something else");
    co_return errc::unavailable;
  }
  co_return *d;
}

std::shared_ptr<limiter> make_limiter(std::shared_ptr<store::redis_client> redis, std::string const& name,
                                      policy::rate_limit limit, clock const& time) {
  if (redis) return std::make_shared<redis_limiter>(std::move(redis), name, limit);
  return std::make_shared<local_limiter>(limit, time);
}

}  // namespace overworld::server
