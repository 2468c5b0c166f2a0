// The API keys the developer portal makes, behind one interface: in this process's key_registry,
// or shared by every node through Redis. The key check is on every /v1 request's path, so it never
// asks Redis: each node's key_registry is a mirror of Redis's keys, refreshed every
// `refresh` and on a miss (a key the mirror does not know is looked up once in Redis before the
// 403, at most `max_lookups` times between two refreshes, so random keys cannot flood Redis).
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/core/metrics.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace overworld::store {
class redis_client;
}

namespace overworld::sandbox {

/// What the portal does with keys.
class portal_keys {
 public:
  virtual ~portal_keys() = default;
  /// Adds `key` unless its developer holds `max_per_developer` already (false then; checked and
  /// added atomically). errc::bad_config for a CIDR that does not parse, errc::unavailable when
  /// the shared store cannot be reached.
  virtual boost::asio::awaitable<result<bool>> create(api_key key, std::size_t max_per_developer) = 0;
  /// Revokes the developer's key `id`; false when the developer has no such key.
  virtual boost::asio::awaitable<result<bool>> revoke(std::string developer, std::string id) = 0;
  /// The developer's keys, oldest first.
  virtual boost::asio::awaitable<result<std::vector<api_key>>> list(std::string developer) = 0;
};

/// The keys of this process: the sandbox's registry (not owned).
class local_portal_keys final : public portal_keys {
 public:
  explicit local_portal_keys(key_registry& keys) : keys_(keys) {}
  boost::asio::awaitable<result<bool>> create(api_key key, std::size_t max_per_developer) override;
  boost::asio::awaitable<result<bool>> revoke(std::string developer, std::string id) override;
  boost::asio::awaitable<result<std::vector<api_key>>> list(std::string developer) override;

 private:
  key_registry& keys_;
};

/// What the sandbox asks about a key its registry does not know.
class key_lookup {
 public:
  virtual ~key_lookup() = default;
  /// Whether `key` exists (then it is in the registry now). errc::unavailable when the shared
  /// store cannot be reached.
  virtual boost::asio::awaitable<result<bool>> find(std::string key) = 0;
};

struct shared_key_options {
  std::chrono::milliseconds refresh{1000};  ///< the mirror is brought up to date this often
  std::size_t max_lookups = 1000;           ///< Redis lookups of unknown keys between two refreshes
};

/// The keys of every node sharing `redis`: `overworld:sandbox:keys` (a hash: key -> its record),
/// `overworld:sandbox:developer:<id>` (a hash per developer: key id -> key, whose size is the
/// cap) and `overworld:sandbox:keys:version` (changed by every create and revoke, so a refresh
/// that finds it unchanged reads nothing more).
class redis_keys final : public portal_keys, public key_lookup, public std::enable_shared_from_this<redis_keys> {
 public:
  /// `mirror`: the registry the sandbox checks keys in (not owned; must outlive this).
  redis_keys(std::shared_ptr<store::redis_client> redis, key_registry& mirror, shared_key_options options);
  boost::asio::awaitable<result<bool>> create(api_key key, std::size_t max_per_developer) override;
  boost::asio::awaitable<result<bool>> revoke(std::string developer, std::string id) override;
  boost::asio::awaitable<result<std::vector<api_key>>> list(std::string developer) override;
  boost::asio::awaitable<result<bool>> find(std::string key) override;

  /// Brings the mirror up to date with Redis now, and forgets the unknown keys looked up.
  boost::asio::awaitable<result<void>> refresh();
  /// Refreshes every `refresh` on `executor` until stop(); a failed refresh keeps the mirror.
  void start(boost::asio::any_io_executor executor);
  /// Ends the refreshes (the one running finishes); safe from any thread.
  void stop();
  /// Releases the timer once the executor's thread has stopped, before its io_context goes.
  void close() { timer_.reset(); }
  /// Unknown keys looked up in Redis so far.
  std::uint64_t lookups() const noexcept { return lookups_; }
  /// Unknown keys refused without a lookup because the lookups between two refreshes were spent.
  std::uint64_t lookups_refused() const noexcept { return refused_; }
  /// overworld_sandbox_key_lookups_total, overworld_sandbox_key_lookups_refused_total,
  /// overworld_sandbox_key_refresh_failing (1 while the copy cannot be refreshed), overworld_sandbox_keys_shared.
  void expose(metrics_registry& metrics);

 private:
  static boost::asio::awaitable<void> refresh_loop(std::shared_ptr<redis_keys> self);

  std::shared_ptr<store::redis_client> redis_;
  key_registry& mirror_;
  shared_key_options options_;
  std::mutex mutex_;
  std::optional<std::string> version_;      // of the mirror; nullopt: never read
  std::unordered_set<std::string> missed_;  // keys found unknown since the last refresh
  std::size_t looked_up_ = 0;               // lookups since the last refresh
  std::atomic<std::uint64_t> lookups_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> held_{0};  // keys in the copy after the last refresh
  std::atomic<bool> stopping_{false};
  std::unique_ptr<boost::asio::steady_timer> timer_;  // the loop's, on its executor
  std::atomic<bool> failing_{false};                  // the last refresh failed (logged once per outage)
};

}  // namespace overworld::sandbox
