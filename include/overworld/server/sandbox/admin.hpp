// The sandbox's admin API, /sandbox/admin/v1 on the sandbox's listener: change the dataset over
// time (members join and leave, donations, trophies, wars, raid weekends) so event code has
// something to watch, switch maintenance, and inject faults. JSON in and out, errors as
// {"error":"…"}; every call needs "Authorization: Bearer <admin key>". docs/sandbox.md lists
// the operations.
#pragma once

#include <overworld/http/router.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>

namespace overworld::sandbox {

class sandbox_admin {
 public:
  /// An empty key turns every call away (401). Changes happen at the world's time
  /// (sandbox_service::world_time).
  sandbox_admin(sandbox_service& service, std::string key);
  sandbox_admin(sandbox_admin const&) = delete;
  sandbox_admin& operator=(sandbox_admin const&) = delete;

  void install(http::router& routes);

 private:
  using operation = http::response (sandbox_admin::*)(http::request const&, boost::json::object const&);
  http::response guarded(http::request const& req, operation op);

  http::response status(http::request const& req, boost::json::object const& body);
  http::response maintenance(http::request const& req, boost::json::object const& body);
  http::response get_faults(http::request const& req, boost::json::object const& body);
  http::response set_faults(http::request const& req, boost::json::object const& body);
  http::response clear_faults(http::request const& req, boost::json::object const& body);
  http::response join(http::request const& req, boost::json::object const& body);
  http::response leave(http::request const& req, boost::json::object const& body);
  http::response player(http::request const& req, boost::json::object const& body);
  http::response war_state(http::request const& req, boost::json::object const& body);
  http::response war_attack(http::request const& req, boost::json::object const& body);
  http::response raid_start(http::request const& req, boost::json::object const& body);
  http::response raid_attack(http::request const& req, boost::json::object const& body);
  http::response raid_end(http::request const& req, boost::json::object const& body);
  http::response clan_profile(http::request const& req, boost::json::object const& body);
  http::response member_role(http::request const& req, boost::json::object const& body);
  http::response player_profile(http::request const& req, boost::json::object const& body);
  http::response player_item(http::request const& req, boost::json::object const& body);

  std::int64_t now() const;

  sandbox_service& service_;
  std::string key_;
};

}  // namespace overworld::sandbox
