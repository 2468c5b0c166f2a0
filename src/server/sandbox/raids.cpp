#include "raids.hpp"

#include "build.hpp"
#include "calendar.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <array>

namespace overworld::sandbox::detail {

namespace {

json::array& array_at(json::object& o, std::string_view key) {
  auto& v = o[key];
  if (!v.is_array()) v = json::array{};
  return v.get_array();
}

void add(json::object& o, std::string_view key, std::int64_t n) { o[key] = int_of(o, key) + n; }

json::object* find_by(json::array& list, std::string_view field, std::string_view tag) {
  for (auto& item : list) {
    if (!item.is_object()) continue;
    auto const* who = item.get_object().if_contains(field);
    if (who && who->is_object() && string_of(who->get_object(), "tag") == tag) return &item.get_object();
  }
  return nullptr;
}

struct district {
  std::int64_t id, hall;
  std::string name;
};

std::vector<district> districts_of(json::object const& clan) {
  std::vector<district> out;
  auto const* capital = clan.if_contains("clanCapital");
  auto const* list = capital && capital->is_object() ? capital->get_object().if_contains("districts") : nullptr;
  if (list && list->is_array()) {
    for (auto const& d : list->get_array()) {
      if (!d.is_object()) continue;
      auto const& o = d.get_object();
      out.push_back(
          {int_of(o, "id"), std::max<std::int64_t>(1, int_of(o, "districtHallLevel", 1)), string_of(o, "name")});
    }
  }
  if (out.empty()) out.push_back({70000000, 1, "Capital Peak"});
  return out;
}

/// A raid log entry (attack or defense side) and the district in it, made when missing.
json::object& district_entry(json::object& raid, raid_hit const& hit) {
  auto& districts = array_at(raid, "districts");
  for (auto& d : districts) {
    if (d.is_object() && int_of(d.get_object(), "id") == hit.district_id) return d.get_object();
  }
  districts.push_back(json::object{{"id", hit.district_id},
                                   {"name", hit.district_name},
                                   {"districtHallLevel", hit.district_hall},
                                   {"destructionPercent", 0},
                                   {"stars", 0},
                                   {"attackCount", 0},
                                   {"totalLooted", 0}});
  return districts.back().get_object();
}

/// Records the hit in a log entry; true when it destroyed the district.
bool record(json::object& raid, raid_hit const& hit) {
  auto& d = district_entry(raid, hit);
  bool const destroyed = hit.destruction == 100 && int_of(d, "destructionPercent") < 100;
  d["destructionPercent"] = hit.destruction;
  d["stars"] = hit.stars;
  add(d, "attackCount", 1);
  add(d, "totalLooted", hit.loot);
  // Newest first, as the API lists a district's attacks.
  auto& attacks = array_at(d, "attacks");
  attacks.insert(attacks.begin(),
                 json::object{{"attacker", json::object{{"tag", hit.attacker}, {"name", hit.attacker_name}}},
                              {"destructionPercent", hit.destruction},
                              {"stars", hit.stars}});
  add(raid, "attackCount", 1);
  raid["districtCount"] = hit.district_count;
  if (destroyed) add(raid, "districtsDestroyed", 1);
  return destroyed;
}

json::object& log_entry(json::object& season, char const* log, char const* side, json::object const& clan) {
  auto& entries = array_at(season, log);
  if (auto* e = find_by(entries, side, string_of(clan, "tag"))) return *e;
  entries.push_back(json::object{
      {side, clan}, {"attackCount", 0}, {"districtCount", 0}, {"districtsDestroyed", 0}, {"districts", json::array{}}});
  return entries.back().get_object();
}

}  // namespace

json::object new_raid_season(std::int64_t start, std::int64_t end) {
  return {{"state", "ongoing"},
          {"startTime", calendar::api_time(start)},
          {"endTime", calendar::api_time(end)},
          {"capitalTotalLoot", 0},
          {"raidsCompleted", 0},
          {"totalAttacks", 0},
          {"enemyDistrictsDestroyed", 0},
          {"offensiveReward", 0},
          {"defensiveReward", 0},
          {"members", json::array{}},
          {"attackLog", json::array{}},
          {"defenseLog", json::array{}}};
}

json::object raid_clan(json::object const& clan) {
  json::object o{
      {"tag", string_of(clan, "tag")}, {"name", string_of(clan, "name")}, {"level", int_of(clan, "clanLevel", 1)}};
  if (auto const* badge = clan.if_contains("badgeUrls")) o["badgeUrls"] = *badge;
  return o;
}

std::vector<raid_hit> plan_raid_hits(std::uint64_t seed, json::object const& clan,
                                     std::vector<json::object const*> const& targets, std::int64_t weekend) {
  auto rng = stream(seed, "raid weekend", string_of(clan, "tag"), static_cast<std::uint64_t>(weekend));
  struct slot {
    std::int64_t at;
    std::string tag, name;
  };
  std::vector<slot> slots;
  if (auto const* list = clan.if_contains("memberList"); list && list->is_array()) {
    for (auto const& m : list->get_array()) {
      if (!m.is_object() || rng.chance(25)) continue;  // a quarter sits the weekend out
      auto const attacks = rng.chance(40) ? 6 : 5;     // the bonus attack for destroying a district
      for (int a = 0; a < attacks; ++a) {
        slots.push_back({weekend + rng.between(std::int64_t{10} * 60, calendar::raid_length - std::int64_t{10} * 60),
                         string_of(m.get_object(), "tag"), string_of(m.get_object(), "name")});
      }
    }
  }
  std::stable_sort(slots.begin(), slots.end(), [](slot const& a, slot const& b) { return a.at < b.at; });
  std::vector<raid_hit> hits;
  std::size_t raid = 0, next_district = 0;
  std::int64_t destruction = 0;
  std::vector<district> current = targets.empty() ? std::vector<district>{} : districts_of(*targets[0]);
  for (auto const& s : slots) {
    if (raid >= targets.size()) break;  // every capital of the weekend is down
    auto const& d = current[next_district];
    raid_hit h;
    h.at = s.at;
    h.raid = raid;
    h.district_id = d.id;
    h.district_name = d.name;
    h.district_hall = d.hall;
    h.district_count = static_cast<std::int64_t>(current.size());
    h.attacker = s.tag;
    h.attacker_name = s.name;
    destruction = std::min<std::int64_t>(100, destruction + rng.between(25, 100));
    h.destruction = destruction;
    h.stars = destruction == 100 ? 3 : destruction >= 75 ? 2 : destruction >= 50 ? 1 : 0;
    h.loot = d.hall * rng.between(150, 450);
    hits.push_back(h);
    if (destruction < 100) continue;
    destruction = 0;
    if (++next_district < current.size()) continue;
    next_district = 0;
    if (++raid < targets.size()) current = districts_of(*targets[raid]);
  }
  return hits;
}

void record_attack(json::object& season, json::object const& target, raid_hit const& hit) {
  (void)record_member_attack(season, hit.attacker, hit.attacker_name, hit.loot);
  auto& raid = log_entry(season, "attackLog", "defender", target);
  bool const was_complete = int_of(raid, "districtsDestroyed") == hit.district_count && hit.district_count > 0;
  if (record(raid, hit)) add(season, "enemyDistrictsDestroyed", 1);
  if (!was_complete && int_of(raid, "districtsDestroyed") == hit.district_count) add(season, "raidsCompleted", 1);
}

void record_defense(json::object& season, json::object const& raider, raid_hit const& hit) {
  record(log_entry(season, "defenseLog", "attacker", raider), hit);
}

void end_raid_season(json::object& season, std::int64_t end) {
  season["state"] = "ended";
  season["endTime"] = calendar::api_time(end);
  // Raid medals: a share of what was destroyed, more for finished capitals.
  season["offensiveReward"] = int_of(season, "enemyDistrictsDestroyed") * 45 + int_of(season, "raidsCompleted") * 90;
  std::int64_t held = 0;
  if (auto const* defenses = season.if_contains("defenseLog"); defenses && defenses->is_array()) {
    for (auto const& d : defenses->get_array()) {
      if (d.is_object()) held += std::max<std::int64_t>(0, int_of(d.get_object(), "attackCount") - 10);
    }
  }
  season["defensiveReward"] = std::min<std::int64_t>(600, held * 12);
}

change_result record_member_attack(json::object& season, std::string const& attacker, std::string const& name,
                                   std::int64_t loot) {
  auto& raiders = array_at(season, "members");
  json::object* raider = nullptr;
  for (auto& m : raiders) {
    if (m.is_object() && string_of(m.get_object(), "tag") == attacker) raider = &m.get_object();
  }
  if (!raider) {
    raiders.push_back(json::object{{"tag", attacker},
                                   {"name", name},
                                   {"attacks", 0},
                                   {"attackLimit", 5},
                                   {"bonusAttackLimit", 1},
                                   {"capitalResourcesLooted", 0}});
    raider = &raiders.back().as_object();
  }
  auto const limit = int_of(*raider, "attackLimit", 5) + int_of(*raider, "bonusAttackLimit", 1);
  if (int_of(*raider, "attacks") >= limit) return refusal{409, attacker + " has no raid attacks left"};
  add(*raider, "attacks", 1);
  add(*raider, "capitalResourcesLooted", loot);
  add(season, "totalAttacks", 1);
  add(season, "capitalTotalLoot", loot);
  return std::nullopt;
}

}  // namespace overworld::sandbox::detail
