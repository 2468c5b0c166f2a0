#include "wars.hpp"

#include "build.hpp"
#include "calendar.hpp"

#include <algorithm>
#include <cmath>

namespace overworld::sandbox::detail {

namespace {

double number_of(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  return static_cast<double>(int_of(o, key));
}

json::object& object_at(json::object& o, std::string_view key) {
  auto& v = o[key];
  if (!v.is_object()) v = json::object{};
  return v.get_object();
}

json::array& array_at(json::object& o, std::string_view key) {
  auto& v = o[key];
  if (!v.is_array()) v = json::array{};
  return v.get_array();
}

json::object* member_of(json::object& side, std::string_view tag) {
  for (auto& m : array_at(side, "members")) {
    if (m.is_object() && string_of(m.get_object(), "tag") == tag) return &m.get_object();
  }
  return nullptr;
}

change_result refuse(unsigned status, std::string message) { return refusal{status, std::move(message)}; }

}  // namespace

json::object war_side(json::object const& clan, std::int64_t team) {
  json::array chosen;
  if (auto const* list = clan.if_contains("memberList"); list && list->is_array()) {
    for (auto const& m : list->get_array()) {
      if (static_cast<std::int64_t>(chosen.size()) == team) break;
      if (m.is_object()) chosen.push_back(m);
    }
  }
  std::stable_sort(chosen.begin(), chosen.end(), [](json::value const& a, json::value const& b) {
    return int_of(a.get_object(), "townHallLevel") > int_of(b.get_object(), "townHallLevel");
  });
  json::array members;
  std::int64_t position = 0;
  for (auto const& m : chosen) {
    auto const& o = m.get_object();
    members.push_back(json::object{{"tag", string_of(o, "tag")},
                                   {"name", string_of(o, "name")},
                                   {"townhallLevel", int_of(o, "townHallLevel", 1)},
                                   {"mapPosition", ++position},
                                   {"opponentAttacks", 0}});
  }
  json::object side{{"tag", string_of(clan, "tag")}, {"name", string_of(clan, "name")}};
  if (auto const* badge = clan.if_contains("badgeUrls")) side["badgeUrls"] = *badge;
  side["clanLevel"] = int_of(clan, "clanLevel", 1);
  side["attacks"] = 0;
  side["stars"] = 0;
  side["destructionPercentage"] = 0.0;
  side["members"] = std::move(members);
  return side;
}

json::object new_war(json::object ours, json::object theirs, std::int64_t team, std::int64_t attacks_per_member,
                     war_times const& times, bool cwl) {
  json::object war{{"state", "preparation"}, {"teamSize", team}};
  if (!cwl) war["attacksPerMember"] = attacks_per_member;
  war["battleModifier"] = "none";
  war["preparationStartTime"] = calendar::api_time(times.preparation);
  war["startTime"] = calendar::api_time(times.start);
  war["endTime"] = calendar::api_time(times.end);
  if (cwl) war["warStartTime"] = calendar::api_time(times.start);
  war["clan"] = std::move(ours);
  war["opponent"] = std::move(theirs);
  return war;
}

json::object mirrored(json::object war) {
  war["clan"].swap(war["opponent"]);
  return war;
}

std::string side_tag(json::object const& war, char const* side) {
  auto const* s = war.if_contains(side);
  return s && s->is_object() ? string_of(s->get_object(), "tag") : std::string{};
}

change_result apply_attack(json::object& war, war_attack const& attack) {
  if (attack.stars < 0 || attack.stars > 3) return refuse(400, "stars must be 0 to 3");
  if (attack.destruction < 0 || attack.destruction > 100) return refuse(400, "destructionPercentage must be 0 to 100");
  if (attack.duration < 0 || attack.duration > 180) return refuse(400, "duration must be 0 to 180 seconds");
  if (string_of(war, "state") != "inWar") {
    return refuse(409, "attacks are made on the battle day (inWar); the war is " + string_of(war, "state"));
  }
  auto& clan_side = object_at(war, "clan");
  auto& opponent_side = object_at(war, "opponent");
  bool const ours = member_of(clan_side, attack.attacker) != nullptr;
  auto& attacking = ours ? clan_side : opponent_side;
  auto& defending = ours ? opponent_side : clan_side;
  json::object* attacker = member_of(attacking, attack.attacker);
  if (!attacker) return refuse(404, attack.attacker + " is not in the war");
  json::object* defender = member_of(defending, attack.defender);
  if (!defender) {
    return member_of(attacking, attack.defender) ? refuse(400, attack.defender + " is on the attacker's side")
                                                 : refuse(404, attack.defender + " is not in the war");
  }
  auto& attacks = array_at(*attacker, "attacks");
  if (static_cast<std::int64_t>(attacks.size()) >= int_of(war, "attacksPerMember", 1)) {
    return refuse(409, attack.attacker + " has no attacks left");
  }
  std::int64_t const order = int_of(clan_side, "attacks") + int_of(opponent_side, "attacks") + 1;
  json::object made{{"attackerTag", attack.attacker},
                    {"defenderTag", attack.defender},
                    {"stars", attack.stars},
                    {"destructionPercentage", attack.destruction},
                    {"order", order},
                    {"duration", attack.duration}};
  attacks.push_back(made);

  (*defender)["opponentAttacks"] = int_of(*defender, "opponentAttacks") + 1;
  std::int64_t best_stars = 0;
  double best_destruction = 0;
  auto const* best = defender->if_contains("bestOpponentAttack");
  bool const had_best = best && best->is_object();
  if (had_best) {
    best_stars = int_of(best->get_object(), "stars");
    best_destruction = number_of(best->get_object(), "destructionPercentage");
  }
  auto const destruction = static_cast<double>(attack.destruction);
  bool const better =
      !had_best || attack.stars > best_stars || (attack.stars == best_stars && destruction > best_destruction);
  attacking["attacks"] = int_of(attacking, "attacks") + 1;
  if (better) {
    (*defender)["bestOpponentAttack"] = made;
    // A side's stars and destruction count the best attack on each base only.
    attacking["stars"] = int_of(attacking, "stars") + attack.stars - best_stars;
    double const team = static_cast<double>(std::max<std::int64_t>(1, int_of(war, "teamSize", 1)));
    double const total = number_of(attacking, "destructionPercentage") + (destruction - best_destruction) / team;
    attacking["destructionPercentage"] = std::round(std::clamp(total, 0.0, 100.0) * 1000) / 1000;
  }
  return std::nullopt;
}

json::object log_entry(json::object const& war) {
  auto const& us = war.at("clan").as_object();
  auto const& them = war.at("opponent").as_object();
  auto const score = [](json::object const& s) {
    return std::pair{int_of(s, "stars"), number_of(s, "destructionPercentage")};
  };
  char const* result = score(us) > score(them) ? "win" : score(us) < score(them) ? "lose" : "tie";
  auto const summary = [](json::object const& s, bool ours) {
    json::object o;
    for (char const* key : {"tag", "name", "badgeUrls", "clanLevel"}) {
      if (auto const* v = s.if_contains(key)) o[key] = *v;
    }
    if (ours) o["attacks"] = int_of(s, "attacks");
    o["stars"] = int_of(s, "stars");
    o["destructionPercentage"] = number_of(s, "destructionPercentage");
    if (ours) o["expEarned"] = 0;
    return o;
  };
  return json::object{{"result", result},
                      {"endTime", string_of(war, "endTime")},
                      {"teamSize", int_of(war, "teamSize")},
                      {"attacksPerMember", int_of(war, "attacksPerMember", 1)},
                      {"battleModifier", war.contains("battleModifier") ? string_of(war, "battleModifier") : "none"},
                      {"clan", summary(us, true)},
                      {"opponent", summary(them, false)}};
}

std::vector<planned_attack> plan_attacks(random_numbers rng, std::size_t team, std::int64_t attacks_per_member,
                                         std::int64_t start) {
  std::vector<planned_attack> out;
  if (team == 0) return out;
  for (bool by_opponent : {false, true}) {
    for (std::size_t m = 0; m < team; ++m) {
      // One in ten never attacks; the others use all their attacks or all but one.
      if (rng.chance(10)) continue;
      std::int64_t const attacks = attacks_per_member == 1 ? 1 : rng.chance(70) ? 2 : 1;
      for (std::int64_t a = 0; a < attacks; ++a) {
        planned_attack p;
        p.at = start + rng.between(std::int64_t{5} * 60, battle_length - 60);
        p.by_opponent = by_opponent;
        p.attacker = m;
        auto const near = static_cast<std::int64_t>(m) + rng.between(-2, 2);
        p.defender = static_cast<std::size_t>(std::clamp<std::int64_t>(near, 0, static_cast<std::int64_t>(team) - 1));
        p.stars = rng.between(0, 3);
        p.destruction = p.stars == 3 ? 100 : p.stars * 30 + rng.between(5, 29);
        p.duration = rng.between(60, 180);
        out.push_back(p);
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](planned_attack const& a, planned_attack const& b) { return a.at < b.at; });
  return out;
}

void apply_planned(json::object& war, planned_attack const& a) {
  auto const* attackers = war.if_contains(a.by_opponent ? "opponent" : "clan");
  auto const* defenders = war.if_contains(a.by_opponent ? "clan" : "opponent");
  if (!attackers || !defenders || !attackers->is_object() || !defenders->is_object()) return;
  auto const* from = attackers->get_object().if_contains("members");
  auto const* to = defenders->get_object().if_contains("members");
  if (!from || !to || !from->is_array() || !to->is_array()) return;
  if (a.attacker >= from->get_array().size() || a.defender >= to->get_array().size()) return;
  war_attack attack;
  attack.attacker = string_of(from->get_array()[a.attacker].as_object(), "tag");
  attack.defender = string_of(to->get_array()[a.defender].as_object(), "tag");
  attack.stars = a.stars;
  attack.destruction = a.destruction;
  attack.duration = a.duration;
  (void)apply_attack(war, attack);
}

}  // namespace overworld::sandbox::detail
