// The developer portal's key management (developer.clashofclans.com/api), the part client
// libraries automate: log in, list keys, create a key for the caller's IP, revoke stale keys.
// Keys made here are accepted at once by the sandbox's /v1 routes.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/config.hpp>
#include <overworld/http/router.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>

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
  developer_portal(key_registry& keys, portal_options options, clock const& time = clock::system());
  developer_portal(developer_portal const&) = delete;
  developer_portal& operator=(developer_portal const&) = delete;

  /// POST /api/login, /api/apikey/list, /api/apikey/create, /api/apikey/revoke.
  void install(http::router& routes);
  /// Sessions held now (expired ones are dropped at every login).
  std::size_t sessions() const;
  policy::sliding_window_limiter const& login_limiter() const noexcept { return logins_; }

 private:
  struct session {
    std::string developer_id;
    clock::steady_time expires;
    std::uint64_t serial;  // order of creation, to find an account's oldest
  };
  http::response login(http::request const& req);
  http::response list(http::request const& req);
  http::response create(http::request const& req);
  http::response revoke(http::request const& req);
  std::optional<std::pair<std::string, std::int64_t>> developer_of(http::request const& req);
  void open_session(std::string const& token, std::string const& developer);

  key_registry& keys_;
  portal_options options_;
  clock const& clock_;
  policy::sliding_window_limiter logins_;
  mutable std::mutex mutex_;
  std::map<std::string, session, std::less<>> sessions_;
  std::uint64_t next_session_ = 0;
  std::size_t next_key_ = 0;
};

}  // namespace overworld::sandbox
