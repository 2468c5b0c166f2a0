// The developer portal's key management (developer.clashofclans.com/api), the part client
// libraries automate: log in, list keys, create a key for the caller's IP, revoke stale keys.
// Keys made here are accepted at once by the sandbox's /v1 routes.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/http/router.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace overworld::sandbox {

struct portal_options {
  std::map<std::string, std::string> accounts;  ///< e-mail -> password
  std::size_t max_keys = 10;                    ///< per developer, as the real portal
  std::chrono::seconds session{3600};
};

class developer_portal {
 public:
  developer_portal(key_registry& keys, portal_options options, clock const& time = clock::system());
  developer_portal(developer_portal const&) = delete;
  developer_portal& operator=(developer_portal const&) = delete;

  /// POST /api/login, /api/apikey/list, /api/apikey/create, /api/apikey/revoke.
  void install(http::router& routes);

 private:
  struct session {
    std::string developer_id;
    clock::steady_time expires;
  };
  http::response login(http::request const& req);
  http::response list(http::request const& req);
  http::response create(http::request const& req);
  http::response revoke(http::request const& req);
  std::optional<std::pair<std::string, std::int64_t>> developer_of(http::request const& req);

  key_registry& keys_;
  portal_options options_;
  clock const& clock_;
  std::mutex mutex_;
  std::map<std::string, session, std::less<>> sessions_;
  std::size_t next_key_ = 0;
};

}  // namespace overworld::sandbox
