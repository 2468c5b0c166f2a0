// The developer portal's sessions behind one interface: in this process, or shared by every node
// through Redis, so that a session made on one node is valid on all of them, ends on logout
// everywhere, and the per-account cap holds across nodes. Only a session token's SHA-256 is kept
// (a leak of the store gives no usable cookie).
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/error.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::store {
class redis_client;
}

namespace overworld::sandbox {

/// A live session: whose, and how long it has left.
struct portal_session {
  std::string developer_id;
  std::chrono::seconds left{0};
};

/// The SHA-256 of a session token, in hex: what the stores keep.
std::string session_digest(std::string_view token);

class portal_sessions {
 public:
  virtual ~portal_sessions() = default;
  /// A new session of `developer` under `token`; at the account's cap its oldest session ends.
  /// errc::unavailable when the shared store cannot be reached.
  virtual boost::asio::awaitable<result<void>> open(std::string token, std::string developer) = 0;
  /// The session of `token`; nullopt when unknown, ended or expired.
  virtual boost::asio::awaitable<result<std::optional<portal_session>>> find(std::string token) = 0;
  /// Ends the session of `token` (logout); nothing for an unknown one.
  virtual boost::asio::awaitable<result<void>> end(std::string token) = 0;
};

/// The sessions of this process.
class local_portal_sessions final : public portal_sessions {
 public:
  local_portal_sessions(std::chrono::seconds lifetime, std::size_t max_per_account,
                        clock const& time = clock::system());
  boost::asio::awaitable<result<void>> open(std::string token, std::string developer) override;
  boost::asio::awaitable<result<std::optional<portal_session>>> find(std::string token) override;
  boost::asio::awaitable<result<void>> end(std::string token) override;
  /// Sessions held now (expired ones are dropped at every login).
  std::size_t size() const;

 private:
  struct entry {
    std::string developer_id;
    clock::steady_time expires;
    std::uint64_t serial;  // order of creation, to find an account's oldest
  };
  std::chrono::seconds lifetime_;
  std::size_t max_per_account_;
  clock const& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, entry, std::less<>> by_digest_;
  std::uint64_t next_ = 0;
};

/// The sessions of every node sharing `redis`: `overworld:portal:session:<sha-256>` (the
/// developer and the expiry, expiring with the session) and, per account, a sorted set of its
/// sessions `overworld:portal:account:<developer>` (oldest first) that a Lua script keeps at the
/// cap atomically.
class redis_portal_sessions final : public portal_sessions {
 public:
  /// `time` null: Redis's clock (TIME), one clock for every node; a clock (tests): its wall time.
  redis_portal_sessions(std::shared_ptr<store::redis_client> redis, std::chrono::seconds lifetime,
                        std::size_t max_per_account, clock const* time = nullptr);
  boost::asio::awaitable<result<void>> open(std::string token, std::string developer) override;
  boost::asio::awaitable<result<std::optional<portal_session>>> find(std::string token) override;
  boost::asio::awaitable<result<void>> end(std::string token) override;

 private:
  std::string now_arg() const;
  std::shared_ptr<store::redis_client> redis_;
  std::chrono::seconds lifetime_;
  std::size_t max_per_account_;
  clock const* clock_;
};

}  // namespace overworld::sandbox
