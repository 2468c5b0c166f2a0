// A rate limiter as the servers ask it: the exact sliding window with growing blocks of policy/,
// either in this process or shared by every node through Redis (one Lua script, atomic, on
// Redis's clock). Asking may fail only for the shared one, when Redis cannot be reached: the
// caller then refuses the request (503 + Retry-After), never lets it through.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/error.hpp>
#include <overworld/policy/rate_limiter.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace overworld::store {
class redis_client;
}

namespace overworld::server {

/// Retry-After (seconds) of a request refused because the shared limiter cannot be asked.
inline constexpr std::int64_t unavailable_retry_after = 5;

class limiter {
 public:
  virtual ~limiter() = default;
  /// Counts a request of `key` if it is allowed. errc::unavailable when the decision cannot be
  /// had (the shared store is unreachable): refuse the request.
  virtual boost::asio::awaitable<result<policy::decision>> check(std::string key) = 0;
  virtual policy::rate_limit const& limit() const noexcept = 0;
  /// The in-process limiter, for its size metrics; nullptr for a shared one.
  virtual policy::sliding_window_limiter const* local() const noexcept { return nullptr; }
};

class local_limiter final : public limiter {
 public:
  explicit local_limiter(policy::rate_limit limit, clock const& time = clock::system()) : inner_(limit, time) {}
  boost::asio::awaitable<result<policy::decision>> check(std::string key) override;
  /// The same, without a coroutine (what the in-process limiter's callers on a hot path use).
  policy::decision check_now(std::string_view key) { return inner_.check(key); }
  policy::rate_limit const& limit() const noexcept override { return inner_.limit(); }
  policy::sliding_window_limiter const* local() const noexcept override { return &inner_; }

 private:
  policy::sliding_window_limiter inner_;
};

/// The same window and blocks kept in Redis under `overworld:rl:{<name>:<key>}` (a hit list and a
/// state hash, both expiring when they no longer matter, so Redis holds only active keys).
class redis_limiter final : public limiter {
 public:
  /// `time` null: Redis's own clock (TIME), one clock for every node. A clock (tests): its wall
  /// time in milliseconds.
  redis_limiter(std::shared_ptr<store::redis_client> redis, std::string name, policy::rate_limit limit,
                clock const* time = nullptr);
  boost::asio::awaitable<result<policy::decision>> check(std::string key) override;
  policy::rate_limit const& limit() const noexcept override { return limit_; }

 private:
  std::shared_ptr<store::redis_client> redis_;
  std::string prefix_;
  policy::rate_limit limit_;
  clock const* clock_;
};

/// The one place that chooses: a Redis limiter when `redis` is given, else one in this process.
std::shared_ptr<limiter> make_limiter(std::shared_ptr<store::redis_client> redis, std::string const& name,
                                      policy::rate_limit limit, clock const& time = clock::system());

}  // namespace overworld::server
