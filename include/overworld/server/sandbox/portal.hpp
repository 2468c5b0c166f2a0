// The developer portal's key management (developer.clashofclans.com/api), the part client
// libraries automate: log in, list keys, create a key for the caller's IP, revoke stale keys.
// Keys made here are accepted at once by the sandbox's /v1 routes.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/config.hpp>
#include <overworld/http/router.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/common/limiter.hpp>
#include <overworld/server/sandbox/portal_sessions.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>
#include <overworld/server/sandbox/shared_keys.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace overworld::sandbox {

struct portal_options {
  std::map<std::string, std::string> accounts;  ///< e-mail -> password
  std::size_t max_keys = 10;                    ///< per developer, as the real portal
  std::chrono::seconds session{3600};
  std::size_t max_sessions = 10;  ///< per account; a login beyond it ends that account's oldest session
  /// Logins per e-mail address (known or not), with growing blocks, as the launcher's per account.
  /// Every login counts; 30 in 5 minutes leaves room for bots that log in at each start.
  policy::rate_limit login_limit{
      30, std::chrono::minutes{5}, 3, std::chrono::minutes{5}, std::chrono::hours{6}, std::chrono::hours{24}};
  /// Secure on the session cookie: always, or (false) only when a trusted proxy says the request
  /// came over https (X-Forwarded-Proto).
  bool secure_cookie = false;
};

/// Keys under sandbox.portal_* (besides the sandbox.portal_accounts table).
std::vector<config_key> portal_config_keys();
/// The portal's options from configuration, accounts included. errc::bad_config with `why`.
result<portal_options> portal_options_from(config const& cfg, std::string& why);

class developer_portal {
 public:
  /// Sessions, the login limit and keys (`keys`) in this process until shared ones are given.
  developer_portal(key_registry& keys, portal_options options, clock const& time = clock::system());
  developer_portal(developer_portal const&) = delete;
  developer_portal& operator=(developer_portal const&) = delete;

  /// Before install(): keys shared by every node (redis_keys, whose mirror is `keys`).
  void share_keys(std::shared_ptr<portal_keys> shared) { keys_ = std::move(shared); }
  /// Before install(): sessions shared by every node (redis_portal_sessions).
  void share_sessions(std::shared_ptr<portal_sessions> shared);
  /// Before install(): the login limit shared by every node (server::make_limiter). When it
  /// cannot be asked a login answers 503 with Retry-After, never unlimited.
  void share_login_limiter(std::shared_ptr<server::limiter> shared);

  /// POST /api/login, /api/logout, /api/apikey/list, /api/apikey/create, /api/apikey/revoke.
  void install(http::router& routes);
  /// Sessions held in this process (expired ones are dropped at every login); 0 when shared.
  std::size_t sessions() const;
  server::limiter const& login_limiter() const noexcept { return *logins_; }

 private:
  using reply = boost::asio::awaitable<http::response>;
  reply login(http::request req);
  reply logout(http::request req);
  reply list(http::request req);
  reply create(http::request req);
  reply revoke(http::request req);
  /// The session of the request's cookie; nullopt without a live one; errc::unavailable when the
  /// shared store cannot be asked.
  boost::asio::awaitable<result<std::optional<portal_session>>> session_of(http::request req);

  std::shared_ptr<portal_keys> keys_;
  portal_options options_;
  clock const& clock_;
  std::shared_ptr<server::limiter> logins_;
  std::shared_ptr<portal_sessions> sessions_;
  local_portal_sessions* local_sessions_ = nullptr;  // sessions_ while they are this process's
  std::mutex mutex_;
  std::size_t next_key_ = 0;
};

}  // namespace overworld::sandbox
