// The world's admin calls, on the admin listener behind the admin key: the Silly Meter.
//   POST /admin/v1/sillymeter/points  {"team":"Double Jellybeans","points":5000}
//   PUT  /admin/v1/sillymeter/state   {"state":"Reward","winner":"Double Jellybeans"}
// Both answer 200 with the meter as /api/sillymeter shows it; a refused call changes nothing.
#include <overworld/server/common/secrets.hpp>
#include <overworld/server/world/world_service.hpp>

#include "json_error.hpp"

#include <simdjson.h>

namespace overworld::world {
namespace {

namespace od = simdjson::ondemand;

struct admin_body {
  std::optional<std::string> team, state, winner;
  std::optional<std::int64_t> points;
};

/// The fields the silly meter calls take; "" or why the body is refused.
std::string read_admin_body(std::string_view json, admin_body& out) {
  thread_local od::parser parser;
  simdjson::padded_string const padded{json};
  od::document doc;
  od::object obj;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS || doc.get_object().get(obj) != simdjson::SUCCESS) {
    return "the body must be a JSON object";
  }
  for (auto field : obj) {
    std::string_view key, text;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
      return "malformed JSON";
    }
    if (key == "points") {
      std::int64_t n = 0;
      if (v.get_int64().get(n) != simdjson::SUCCESS) return "points must be an integer";
      out.points = n;
      continue;
    }
    std::optional<std::string>* slot = key == "team"     ? &out.team
                                       : key == "state"  ? &out.state
                                       : key == "winner" ? &out.winner
                                                         : nullptr;
    if (!slot) continue;
    if (v.get_string().get(text) != simdjson::SUCCESS || text.size() > 256) {
      return std::string{key} + " must be a string";
    }
    *slot = std::string{text};
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return "malformed JSON";
  return {};
}

}  // namespace

http::response world_service::admin_call(http::request const& req) {
  if (!server::bearer_matches(req, admin_key_)) {
    http::response r = json_error(401, "missing or wrong admin key");
    r.header("WWW-Authenticate", "Bearer");
    return r;
  }
  admin_body body;
  if (auto const problem = read_admin_body(req.body, body); !problem.empty()) return json_error(400, problem);
  auto& meter = silly_;
  result<void> done;
  if (req.path.ends_with("/points")) {
    if (!body.team || !body.points) return json_error(400, "team and points are required");
    done = meter.add_points(*body.team, *body.points);
    if (!done && done.error() == errc::invalid_argument) {
      return json_error(400, "points must be from 1 to " + std::to_string(options_.silly.max_hp));
    }
  } else {
    auto const state = body.state ? silly_state_from_string(*body.state) : std::nullopt;
    if (!state) return json_error(400, "state must be Active, Reward or Inactive");
    done = meter.enter(*state, body.winner);
    if (!done && done.error() == errc::invalid_argument) return json_error(400, "a winner is only for Reward");
  }
  if (!done && done.error() == errc::not_found) return json_error(404, "no such team in play");
  if (!done) return json_error(409, "the silly meter is not Active");
  return http::response::json(200, meter.json());
}

void world_service::install_admin(http::router& routes, std::string key) {
  admin_key_ = std::move(key);
  http::route_options o;
  o.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{4} * 1024, std::chrono::seconds{10}};
  auto const h = http::sync_handler{[this](http::request const& req) { return admin_call(req); }};
  routes.post("/admin/v1/sillymeter/points", h, o);
  routes.add(http::verb::put, "/admin/v1/sillymeter/state", h, o);
}

}  // namespace overworld::world
