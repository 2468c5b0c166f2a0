// Wars and raid weekends: a clan's current war through its states and attacks, seen the same way
// by an opponent that is in the dataset, and its capital raid seasons.
#include "build.hpp"
#include "changes_detail.hpp"

#include <algorithm>
#include <cmath>

namespace overworld::sandbox {

using namespace edit;
using detail::int_of;
using detail::string_of;

namespace {

constexpr std::int64_t hour = 3600;

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

/// The clan's current war; nullopt when it is not in one.
std::optional<json::object> current_war(dataset const& data, std::string const& tag) {
  auto it = data.clans.find(tag);
  if (it == data.clans.end()) return std::nullopt;
  auto war = parse_object(it->second.current_war);
  auto const state = war ? string_of(*war, "state") : std::string{};
  if (state.empty() || state == "notInWar") return std::nullopt;
  return war;
}

std::string side_tag(json::object const& war, char const* side) {
  auto const* s = war.if_contains(side);
  return s && s->is_object() ? string_of(s->get_object(), "tag") : std::string{};
}

json::object mirrored(json::object war) {
  war["clan"].swap(war["opponent"]);
  return war;
}

/// Whether the opponent is in the dataset and sees this same war from its side.
bool opponent_follows(dataset const& data, std::string const& tag, json::object const& war) {
  auto const theirs = current_war(data, side_tag(war, "opponent"));
  return theirs && side_tag(*theirs, "opponent") == tag &&
         string_of(*theirs, "preparationStartTime") == string_of(war, "preparationStartTime");
}

void store_war(dataset& data, std::string const& tag, json::object const& war, bool opponent_too) {
  data.clans[tag].current_war = detail::share(detail::compact(war));
  if (opponent_too) data.clans[side_tag(war, "opponent")].current_war = detail::share(detail::compact(mirrored(war)));
}

/// The clan's side of a new war: the first `team` members of its memberList, strongest on top.
json::object war_side(json::object& clan, std::int64_t team) {
  json::array chosen;
  for (auto& m : member_list(clan)) {
    if (static_cast<std::int64_t>(chosen.size()) == team) break;
    if (m.is_object()) chosen.push_back(m);
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

/// An opponent that exists only in this war, matched base for base against `ours`.
json::object made_up_side(std::string const& tag, std::string const& name, json::object const& ours) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: the same rivals for the same tag
  for (char c : tag) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  std::uint64_t const base = 0x90'0000'0000ULL + (h % 0x1000'0000ULL) * 64;
  auto const url = [](char const* size) {
    return "https://api-assets.clashofclans.com/badges/" + std::string{size} + "/sandbox-rivals.png";
  };
  json::object side{{"tag", tag.empty() ? tag_from_id(base / 64) : tag},
                    {"name", name.empty() ? std::string{"Sandbox Rivals"} : name},
                    {"badgeUrls", json::object{{"small", url("70")}, {"large", url("512")}, {"medium", url("200")}}},
                    {"clanLevel", int_of(ours, "clanLevel", 1)},
                    {"attacks", 0},
                    {"stars", 0},
                    {"destructionPercentage", 0.0}};
  json::array members;
  std::uint64_t i = 0;
  for (auto const& m : ours.at("members").as_array()) {
    members.push_back(json::object{{"tag", tag_from_id(base + i)},
                                   {"name", "Rival " + std::to_string(i + 1)},
                                   {"townhallLevel", int_of(m.as_object(), "townhallLevel", 1)},
                                   {"mapPosition", static_cast<std::int64_t>(i + 1)},
                                   {"opponentAttacks", 0}});
    ++i;
  }
  side["members"] = std::move(members);
  return side;
}

/// The ended war as the war log lists it, first in the clan's /warlog; and the clan's record.
void log_war(dataset& data, std::string const& tag, json::object const& war) {
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
  json::object entry{{"result", result},
                     {"endTime", string_of(war, "endTime")},
                     {"teamSize", int_of(war, "teamSize")},
                     {"attacksPerMember", int_of(war, "attacksPerMember", 2)},
                     {"battleModifier", war.contains("battleModifier") ? string_of(war, "battleModifier") : "none"},
                     {"clan", summary(us, true)},
                     {"opponent", summary(them, false)}};
  auto& e = data.clans[tag];
  paged_list log = e.warlog.value_or(paged_list{});
  log.items.insert(log.items.begin(), detail::compact(entry));
  log.whole = nullptr;
  e.warlog = std::move(log);

  json::object clan;
  if (load_clan(data, tag, clan)) return;
  auto const bump = [&clan](char const* key) {
    if (clan.contains(key)) clan[key] = int_of(clan, key) + 1;
  };
  if (result == std::string_view{"win"}) {
    bump("warWins");
    bump("warWinStreak");
  } else {
    if (clan.contains("warWinStreak")) clan["warWinStreak"] = 0;
    bump(result == std::string_view{"lose"} ? "warLosses" : "warTies");
  }
  store_clan(data, tag, std::move(clan));
}

change_result new_war(dataset& data, std::string const& tag, war_setup const& setup, std::int64_t now) {
  if (setup.team_size != 0 && (setup.team_size < 5 || setup.team_size > 50 || setup.team_size % 5 != 0)) {
    return refuse(400, "teamSize must be 5 to 50 in steps of 5");
  }
  if (setup.attacks_per_member != 1 && setup.attacks_per_member != 2)
    return refuse(400, "attacksPerMember must be 1 or 2");
  if (setup.opponent_tag == tag) return refuse(400, "a clan cannot fight itself");
  json::object clan;
  if (auto r = load_clan(data, tag, clan)) return r;
  if (auto war = current_war(data, tag); war && string_of(*war, "state") != "warEnded") {
    return refuse(409, tag + " is already in a war (" + string_of(*war, "state") + ")");
  }
  auto const count = static_cast<std::int64_t>(member_list(clan).size());
  std::int64_t const team = setup.team_size ? setup.team_size : std::min<std::int64_t>(50, count / 5 * 5);
  if (team < 5 || team > count) {
    return refuse(409, tag + " has " + std::to_string(count) + " members, too few for a war of " +
                           std::to_string(std::max<std::int64_t>(team, 5)));
  }
  json::object ours = war_side(clan, team);
  json::object theirs;
  bool opponent_in_data = false;
  if (json::object other; !setup.opponent_tag.empty() && !load_clan(data, setup.opponent_tag, other)) {
    if (auto war = current_war(data, setup.opponent_tag); war && string_of(*war, "state") != "warEnded") {
      return refuse(409, setup.opponent_tag + " is already in a war");
    }
    if (static_cast<std::int64_t>(member_list(other).size()) < team)
      return refuse(409, setup.opponent_tag + " has too few members");
    theirs = war_side(other, team);
    opponent_in_data = true;
  } else {
    theirs = made_up_side(setup.opponent_tag, setup.opponent_name, ours);
  }
  json::object war{{"state", "preparation"},
                   {"teamSize", team},
                   {"attacksPerMember", setup.attacks_per_member},
                   {"battleModifier", "none"},
                   {"preparationStartTime", api_timestamp(now)},
                   {"startTime", api_timestamp(now + 23 * hour)},
                   {"endTime", api_timestamp(now + 47 * hour)},
                   {"clan", std::move(ours)},
                   {"opponent", std::move(theirs)}};
  store_war(data, tag, war, opponent_in_data);
  return std::nullopt;
}

}  // namespace

change_result set_war_state(dataset& data, std::string const& clan_tag, std::string_view state, war_setup const& setup,
                            std::int64_t now) {
  if (state != "notInWar" && state != "preparation" && state != "inWar" && state != "warEnded") {
    return refuse(400, "state must be preparation, inWar, warEnded or notInWar");
  }
  if (!data.clans.contains(clan_tag)) return refuse(404, "no clan " + clan_tag);
  if (state == "preparation") return new_war(data, clan_tag, setup, now);
  auto war = current_war(data, clan_tag);
  if (state == "notInWar") {
    if (war && opponent_follows(data, clan_tag, *war)) data.clans[side_tag(*war, "opponent")].current_war = nullptr;
    data.clans[clan_tag].current_war = nullptr;
    return std::nullopt;
  }
  std::string const from = war ? string_of(*war, "state") : "notInWar";
  std::string_view const needed = state == "inWar" ? "preparation" : "inWar";
  if (from != needed)
    return refuse(409, "a war goes to " + std::string{state} + " from " + std::string{needed} + ", not from " + from);
  bool const follows = opponent_follows(data, clan_tag, *war);
  (*war)["state"] = state;
  if (state == "inWar") {
    (*war)["startTime"] = api_timestamp(now);
    (*war)["endTime"] = api_timestamp(now + 24 * hour);
  } else {
    (*war)["endTime"] = api_timestamp(now);
  }
  store_war(data, clan_tag, *war, follows);
  if (state == "warEnded") {
    log_war(data, clan_tag, *war);
    if (follows) log_war(data, side_tag(*war, "opponent"), mirrored(*war));
  }
  return std::nullopt;
}

change_result add_war_attack(dataset& data, std::string const& clan_tag, war_attack const& attack) {
  if (attack.stars < 0 || attack.stars > 3) return refuse(400, "stars must be 0 to 3");
  if (attack.destruction < 0 || attack.destruction > 100) return refuse(400, "destructionPercentage must be 0 to 100");
  if (attack.duration < 0 || attack.duration > 180) return refuse(400, "duration must be 0 to 180 seconds");
  if (!data.clans.contains(clan_tag)) return refuse(404, "no clan " + clan_tag);
  auto war = current_war(data, clan_tag);
  if (!war || string_of(*war, "state") != "inWar") {
    return refuse(
        409, "attacks are made on the battle day (inWar); the war is " + (war ? string_of(*war, "state") : "notInWar"));
  }
  bool const follows = opponent_follows(data, clan_tag, *war);
  auto const find = [](json::object& side, std::string const& tag) {
    return find_member(array_at(side, "members"), tag);
  };
  auto& clan_side = object_at(*war, "clan");
  auto& opponent_side = object_at(*war, "opponent");
  bool const ours = find(clan_side, attack.attacker) != nullptr;
  auto& attacking = ours ? clan_side : opponent_side;
  auto& defending = ours ? opponent_side : clan_side;
  json::object* attacker = find(attacking, attack.attacker);
  if (!attacker) return refuse(404, attack.attacker + " is not in the war");
  json::object* defender = find(defending, attack.defender);
  if (!defender) {
    return find(attacking, attack.defender) ? refuse(400, attack.defender + " is on the attacker's side")
                                            : refuse(404, attack.defender + " is not in the war");
  }
  auto& attacks = array_at(*attacker, "attacks");
  if (static_cast<std::int64_t>(attacks.size()) >= int_of(*war, "attacksPerMember", 2)) {
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
    double const team = static_cast<double>(std::max<std::int64_t>(1, int_of(*war, "teamSize", 1)));
    double const total = number_of(attacking, "destructionPercentage") + (destruction - best_destruction) / team;
    attacking["destructionPercentage"] = std::round(std::clamp(total, 0.0, 100.0) * 1000) / 1000;
  }
  store_war(data, clan_tag, *war, follows);
  return std::nullopt;
}

namespace {

/// The clan's newest raid season when it is ongoing, as `season`, with its list in `seasons`.
change_result ongoing_raid(dataset const& data, std::string const& tag, paged_list& seasons, json::object& season) {
  auto it = data.clans.find(tag);
  if (it == data.clans.end()) return refuse(404, "no clan " + tag);
  seasons = it->second.raid_seasons.value_or(paged_list{});
  auto latest = seasons.items.empty() ? std::nullopt : parse_object(std::string_view{seasons.items.front()});
  if (!latest || string_of(*latest, "state") != "ongoing") return refuse(409, tag + " has no raid weekend in progress");
  season = std::move(*latest);
  return std::nullopt;
}

void store_latest_raid(dataset& data, std::string const& tag, paged_list seasons, json::object const& season) {
  seasons.items.front() = detail::compact(season);
  seasons.whole = nullptr;
  data.clans[tag].raid_seasons = std::move(seasons);
}

}  // namespace

change_result start_raid_weekend(dataset& data, std::string const& clan_tag, std::int64_t now) {
  paged_list seasons;
  json::object season;
  auto const ongoing = ongoing_raid(data, clan_tag, seasons, season);
  if (!ongoing) return refuse(409, clan_tag + " is already in a raid weekend");
  if (ongoing->status == 404) return ongoing;
  json::object fresh{{"state", "ongoing"},
                     {"startTime", api_timestamp(now)},
                     {"endTime", api_timestamp(now + 72 * hour)},
                     {"capitalTotalLoot", 0},
                     {"raidsCompleted", 0},
                     {"totalAttacks", 0},
                     {"enemyDistrictsDestroyed", 0},
                     {"offensiveReward", 0},
                     {"defensiveReward", 0},
                     {"members", json::array{}},
                     {"attackLog", json::array{}},
                     {"defenseLog", json::array{}}};
  seasons.items.insert(seasons.items.begin(), std::string{});
  store_latest_raid(data, clan_tag, std::move(seasons), fresh);
  return std::nullopt;
}

change_result add_raid_attack(dataset& data, std::string const& clan_tag, raid_attack const& attack) {
  if (attack.loot < 0 || attack.loot > 1'000'000) return refuse(400, "loot must be 0 to 1000000");
  if (attack.districts_destroyed < 0 || attack.districts_destroyed > 10)
    return refuse(400, "districtsDestroyed must be 0 to 10");
  paged_list seasons;
  json::object season;
  if (auto r = ongoing_raid(data, clan_tag, seasons, season)) return r;
  json::object clan;
  if (auto r = load_clan(data, clan_tag, clan)) return r;
  json::object const* member = find_member(member_list(clan), attack.attacker);
  if (!member) return refuse(404, attack.attacker + " is not a member of " + clan_tag);
  auto& raiders = array_at(season, "members");
  json::object* raider = find_member(raiders, attack.attacker);
  if (!raider) {
    raiders.push_back(json::object{{"tag", attack.attacker},
                                   {"name", string_of(*member, "name")},
                                   {"attacks", 0},
                                   {"attackLimit", 5},
                                   {"bonusAttackLimit", 1},
                                   {"capitalResourcesLooted", 0}});
    raider = &raiders.back().as_object();
  }
  auto const limit = int_of(*raider, "attackLimit", 5) + int_of(*raider, "bonusAttackLimit", 1);
  if (int_of(*raider, "attacks") >= limit) return refuse(409, attack.attacker + " has no raid attacks left");
  (*raider)["attacks"] = int_of(*raider, "attacks") + 1;
  (*raider)["capitalResourcesLooted"] = int_of(*raider, "capitalResourcesLooted") + attack.loot;
  season["totalAttacks"] = int_of(season, "totalAttacks") + 1;
  season["capitalTotalLoot"] = int_of(season, "capitalTotalLoot") + attack.loot;
  season["enemyDistrictsDestroyed"] = int_of(season, "enemyDistrictsDestroyed") + attack.districts_destroyed;
  if (attack.raid_completed) season["raidsCompleted"] = int_of(season, "raidsCompleted") + 1;
  store_latest_raid(data, clan_tag, std::move(seasons), season);
  return std::nullopt;
}

change_result end_raid_weekend(dataset& data, std::string const& clan_tag, std::int64_t offensive_reward,
                               std::int64_t defensive_reward, std::int64_t now) {
  if (offensive_reward < 0 || defensive_reward < 0) return refuse(400, "rewards cannot be negative");
  paged_list seasons;
  json::object season;
  if (auto r = ongoing_raid(data, clan_tag, seasons, season)) return r;
  season["state"] = "ended";
  season["endTime"] = api_timestamp(now);
  season["offensiveReward"] = offensive_reward;
  season["defensiveReward"] = defensive_reward;
  store_latest_raid(data, clan_tag, std::move(seasons), season);
  return std::nullopt;
}

}  // namespace overworld::sandbox
