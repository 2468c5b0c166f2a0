#include <overworld/server/common/secrets.hpp>
#include <overworld/server/sandbox/admin.hpp>

#include "build.hpp"
#include "calendar.hpp"

#include <overworld/core/text.hpp>
#include <overworld/server/sandbox/changes.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <initializer_list>
#include <limits>

namespace overworld::sandbox {

namespace json = boost::json;

namespace {

constexpr std::string_view prefix = "/sandbox/admin/v1";

http::response reply(unsigned status, json::object const& body) {
  return http::response::json(status, detail::compact(body));
}
http::response fail(unsigned status, std::string_view message) { return reply(status, {{"error", message}}); }
http::response done() { return reply(200, {{"ok", true}}); }

/// Typed fields of a request body; the first wrong one is kept as `problem` (a 400).
class fields {
 public:
  explicit fields(json::object const& body) : body_(body) {}

  /// Marks every field outside `known` as a problem, so that a misspelt field is not ignored.
  fields& allow(std::initializer_list<std::string_view> known) {
    for (auto const& f : body_) {
      if (std::find(known.begin(), known.end(), std::string_view{f.key()}) == known.end()) {
        note("unknown field " + std::string{f.key()});
      }
    }
    return *this;
  }
  std::optional<std::int64_t> integer(char const* key) {
    auto const* v = body_.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    note(std::string{key} + " must be an integer");
    return std::nullopt;
  }
  std::optional<double> number(char const* key) {
    auto const* v = body_.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_number()) return v->to_number<double>();
    note(std::string{key} + " must be a number");
    return std::nullopt;
  }
  std::optional<bool> flag(char const* key) {
    auto const* v = body_.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_bool()) return v->get_bool();
    note(std::string{key} + " must be true or false");
    return std::nullopt;
  }
  std::optional<std::string> text(char const* key) {
    auto const* v = body_.if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      note(std::string{key} + " must be a string");
      return std::nullopt;
    }
    // Text the dataset will serve back: the name rule (core/text.hpp), empty allowed.
    std::string_view const value = v->get_string();
    if (auto const problem = check_name(value, max_text); !value.empty() && problem != name_problem::ok) {
      note(std::string{key} + " " + describe(problem, max_text));
      return std::nullopt;
    }
    return std::string{value};
  }
  /// A player or clan tag, normalised ("#2pp" and "2PP" give "#2PP").
  std::optional<std::string> tag(char const* key) {
    auto const raw = text(key);
    if (!raw) return std::nullopt;
    auto tag = normalize_tag(*raw);
    if (!tag) note(std::string{key} + " is not a tag: " + *raw);
    return tag;
  }
  /// Notes a required field that is missing.
  template <typename T>
  T required(std::optional<T> value, char const* key) {
    if (!value && problem.empty()) note(std::string{key} + " is required");
    return value.value_or(T{});
  }

  std::string problem;

 private:
  static constexpr std::size_t max_text = 256;
  void note(std::string what) {
    if (problem.empty()) problem = std::move(what);
  }
  json::object const& body_;
};

std::optional<std::string> path_tag(http::request const& req, std::string_view name) {
  return normalize_tag(req.param(name));
}

json::object faults_json(fault_options const& f) {
  return {{"latency_ms", f.latency.count()}, {"error_status", f.error_status},
          {"error_every", f.error_every},    {"error_probability", f.error_probability},
          {"drop_every", f.drop_every},      {"drop_probability", f.drop_probability}};
}

}  // namespace

sandbox_admin::sandbox_admin(sandbox_service& service, std::string key) : service_(service), key_(std::move(key)) {}

std::int64_t sandbox_admin::now() const { return service_.world_time(); }

http::response sandbox_admin::guarded(http::request const& req, operation op) {
  if (!server::bearer_matches(req, key_)) {
    http::response r = fail(401, "missing or wrong admin key");
    r.header("WWW-Authenticate", "Bearer");
    return r;
  }
  json::object body;
  if (!req.body.empty()) {
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return fail(400, "the body must be a JSON object");
    body = std::move(v.get_object());
  }
  return (this->*op)(req, body);
}

namespace {

/// Runs a change of the dataset: all of it or, when refused, none.
template <typename Change>
http::response apply(sandbox_service& service, Change const& change) {
  change_result refused;
  service.change([&](dataset& data) {
    refused = change(data);
    return !refused.has_value();
  });
  return refused ? fail(refused->status, refused->message) : done();
}

}  // namespace

http::response sandbox_admin::status(http::request const&, json::object const&) {
  auto const data = service_.data();
  return reply(200, {{"maintenance", service_.maintenance()},
                     {"faults", faults_json(service_.faults().options())},
                     {"clans", data->clans.size()},
                     {"players", data->players.size()},
                     {"time", calendar::iso_time(service_.world_time())},
                     {"time_scale", service_.time_scale()}});
}

http::response sandbox_admin::maintenance(http::request const&, json::object const& body) {
  fields f{body};
  auto const on = f.allow({"on"}).required(f.flag("on"), "on");
  if (!f.problem.empty()) return fail(400, f.problem);
  service_.set_maintenance(on);
  return reply(200, {{"maintenance", on}});
}

http::response sandbox_admin::get_faults(http::request const&, json::object const&) {
  return reply(200, faults_json(service_.faults().options()));
}

http::response sandbox_admin::set_faults(http::request const&, json::object const& body) {
  fields f{body};
  f.allow({"latency_ms", "error_status", "error_every", "error_probability", "drop_every", "drop_probability"});
  fault_options o;
  o.latency = std::chrono::milliseconds{f.integer("latency_ms").value_or(0)};
  o.error_status = static_cast<unsigned>(std::clamp<std::int64_t>(f.integer("error_status").value_or(500), 0, 999));
  auto const every = [&f](char const* key) {
    auto const n = f.integer(key).value_or(0);
    return n < 0 ? std::numeric_limits<std::uint64_t>::max() : static_cast<std::uint64_t>(n);
  };
  o.error_every = every("error_every");
  o.drop_every = every("drop_every");
  o.error_probability = f.number("error_probability").value_or(0);
  o.drop_probability = f.number("drop_probability").value_or(0);
  if (f.problem.empty() && (o.error_every == std::numeric_limits<std::uint64_t>::max() ||
                            o.drop_every == std::numeric_limits<std::uint64_t>::max())) {
    f.problem = "error_every and drop_every cannot be negative";
  }
  if (f.problem.empty()) f.problem = o.problem().value_or("");
  if (!f.problem.empty()) return fail(400, f.problem);
  service_.faults().set(o);
  return reply(200, faults_json(o));
}

http::response sandbox_admin::clear_faults(http::request const&, json::object const&) {
  service_.faults().clear();
  return reply(200, faults_json(fault_options{}));
}

http::response sandbox_admin::join(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  fields f{body};
  auto const player = f.allow({"tag", "role"}).required(f.tag("tag"), "tag");
  auto const role = f.text("role").value_or("member");
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return join_clan(d, *clan, player, role); });
}

http::response sandbox_admin::leave(http::request const& req, json::object const&) {
  auto const clan = path_tag(req, "clanTag");
  auto const player = path_tag(req, "playerTag");
  if (!clan || !player) return fail(400, "not a tag");
  return apply(service_, [&](dataset& d) { return leave_clan(d, *clan, *player); });
}

http::response sandbox_admin::player(http::request const& req, json::object const& body) {
  auto const tag = path_tag(req, "playerTag");
  if (!tag) return fail(400, "not a player tag");
  auto const* add = body.if_contains("add");
  if (add && (!add->is_object() || body.size() != 1))
    return fail(400, "give either {\"add\":{…}} or the values to set");
  fields f{add ? add->get_object() : body};
  f.allow({"donations", "donationsReceived", "trophies", "builderBaseTrophies"});
  player_counters values{f.integer("donations"), f.integer("donationsReceived"), f.integer("trophies"),
                         f.integer("builderBaseTrophies")};
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return change_player(d, *tag, values, add != nullptr); });
}

http::response sandbox_admin::war_state(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  fields f{body};
  f.allow({"state", "teamSize", "attacksPerMember", "opponent", "opponentName"});
  auto const state = f.required(f.text("state"), "state");
  war_setup setup;
  setup.team_size = f.integer("teamSize").value_or(0);
  setup.attacks_per_member = f.integer("attacksPerMember").value_or(2);
  setup.opponent_tag = f.tag("opponent").value_or("");
  setup.opponent_name = f.text("opponentName").value_or("");
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return set_war_state(d, *clan, state, setup, now()); });
}

http::response sandbox_admin::war_attack(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  fields f{body};
  f.allow({"attacker", "defender", "stars", "destructionPercentage", "duration"});
  sandbox::war_attack attack;
  attack.attacker = f.required(f.tag("attacker"), "attacker");
  attack.defender = f.required(f.tag("defender"), "defender");
  attack.stars = f.required(f.integer("stars"), "stars");
  attack.destruction = f.required(f.integer("destructionPercentage"), "destructionPercentage");
  attack.duration = f.integer("duration").value_or(120);
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return add_war_attack(d, *clan, attack); });
}

http::response sandbox_admin::raid_start(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  if (!body.empty()) return fail(400, "starting a raid weekend takes no fields");
  return apply(service_, [&](dataset& d) { return start_raid_weekend(d, *clan, now()); });
}

http::response sandbox_admin::raid_attack(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  fields f{body};
  f.allow({"attacker", "loot", "districtsDestroyed", "raidCompleted"});
  sandbox::raid_attack attack;
  attack.attacker = f.required(f.tag("attacker"), "attacker");
  attack.loot = f.required(f.integer("loot"), "loot");
  attack.districts_destroyed = f.integer("districtsDestroyed").value_or(0);
  attack.raid_completed = f.flag("raidCompleted").value_or(false);
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return add_raid_attack(d, *clan, attack); });
}

http::response sandbox_admin::raid_end(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  fields f{body};
  f.allow({"offensiveReward", "defensiveReward"});
  auto const offensive = f.integer("offensiveReward").value_or(0);
  auto const defensive = f.integer("defensiveReward").value_or(0);
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return end_raid_weekend(d, *clan, offensive, defensive, now()); });
}

http::response sandbox_admin::clan_profile(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  if (!clan) return fail(400, "not a clan tag");
  fields f{body};
  f.allow({"name", "description", "type", "badge", "locationId", "clanLevel", "isWarLogPublic"});
  sandbox::clan_profile change{f.text("name"),          f.text("description"),   f.text("type"),
                               f.text("badge"),         f.integer("locationId"), f.integer("clanLevel"),
                               f.flag("isWarLogPublic")};
  if (f.problem.empty() && body.empty()) f.problem = "give at least one field to change";
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return change_clan_profile(d, *clan, change); });
}

http::response sandbox_admin::member_role(http::request const& req, json::object const& body) {
  auto const clan = path_tag(req, "clanTag");
  auto const player = path_tag(req, "playerTag");
  if (!clan || !player) return fail(400, "not a tag");
  fields f{body};
  auto const role = f.allow({"role"}).required(f.text("role"), "role");
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return set_member_role(d, *clan, *player, role); });
}

http::response sandbox_admin::player_profile(http::request const& req, json::object const& body) {
  auto const tag = path_tag(req, "playerTag");
  if (!tag) return fail(400, "not a player tag");
  fields f{body};
  f.allow({"name", "townHallLevel", "builderHallLevel", "expLevel", "leagueTierId"});
  sandbox::player_profile change{f.text("name"), f.integer("townHallLevel"), f.integer("builderHallLevel"),
                                 f.integer("expLevel"), f.integer("leagueTierId")};
  if (f.problem.empty() && body.empty()) f.problem = "give at least one field to change";
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return change_player_profile(d, *tag, change); });
}

http::response sandbox_admin::player_item(http::request const& req, json::object const& body) {
  auto const tag = path_tag(req, "playerTag");
  if (!tag) return fail(400, "not a player tag");
  fields f{body};
  f.allow({"list", "name", "level", "value", "stars"});
  sandbox::player_item change;
  change.list = f.required(f.text("list"), "list");
  change.name = f.required(f.text("name"), "name");
  bool const achievement = change.list == "achievements";
  change.value = f.required(f.integer(achievement ? "value" : "level"), achievement ? "value" : "level");
  change.stars = f.integer("stars");
  if (!f.problem.empty()) return fail(400, f.problem);
  return apply(service_, [&](dataset& d) { return set_player_item(d, *tag, change); });
}

void sandbox_admin::install(http::router& routes) {
  http::route_options o;
  o.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{64} * 1024, std::chrono::seconds{10}};
  struct entry {
    http::verb method;
    char const* path;
    operation op;
  };
  using http::verb;
  entry const table[] = {
      {verb::get, "/status", &sandbox_admin::status},
      {verb::put, "/maintenance", &sandbox_admin::maintenance},
      {verb::get, "/faults", &sandbox_admin::get_faults},
      {verb::put, "/faults", &sandbox_admin::set_faults},
      {verb::delete_, "/faults", &sandbox_admin::clear_faults},
      {verb::post, "/clans/{clanTag}/members", &sandbox_admin::join},
      {verb::delete_, "/clans/{clanTag}/members/{playerTag}", &sandbox_admin::leave},
      {verb::patch, "/players/{playerTag}", &sandbox_admin::player},
      {verb::patch, "/players/{playerTag}/profile", &sandbox_admin::player_profile},
      {verb::put, "/players/{playerTag}/items", &sandbox_admin::player_item},
      {verb::patch, "/clans/{clanTag}", &sandbox_admin::clan_profile},
      {verb::patch, "/clans/{clanTag}/members/{playerTag}", &sandbox_admin::member_role},
      {verb::put, "/clans/{clanTag}/war", &sandbox_admin::war_state},
      {verb::post, "/clans/{clanTag}/war/attacks", &sandbox_admin::war_attack},
      {verb::post, "/clans/{clanTag}/raids", &sandbox_admin::raid_start},
      {verb::post, "/clans/{clanTag}/raids/attacks", &sandbox_admin::raid_attack},
      {verb::post, "/clans/{clanTag}/raids/end", &sandbox_admin::raid_end},
  };
  for (auto const& e : table) {
    auto const op = e.op;
    routes.add(e.method, std::string{prefix} + e.path,
               http::sync_handler{[this, op](http::request const& req) { return guarded(req, op); }}, o);
  }
}

}  // namespace overworld::sandbox
