#include "league.hpp"

#include "build.hpp"
#include "calendar.hpp"
#include "changes_detail.hpp"
#include "schedule.hpp"
#include "wars.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <set>

namespace overworld::sandbox::detail {

namespace {

std::optional<json::object> profile_of(dataset const& data, std::string const& tag) {
  auto const* clan = data.clan(tag);
  if (!clan || !clan->profile) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*clan->profile, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

json::object cwl_group_formed(dataset const& data, std::size_t group, std::int64_t month) {
  json::array clans;
  for (auto const index : data.plan->cwl_groups[group]) {
    auto const profile = profile_of(data, data.plan->clans[index].tag);
    if (!profile) continue;
    json::array members;
    if (auto const* list = profile->if_contains("memberList"); list && list->is_array()) {
      for (auto const& m : list->get_array()) {
        auto const& o = m.as_object();
        members.push_back(json::object{{"tag", string_of(o, "tag")},
                                       {"name", string_of(o, "name")},
                                       {"townHallLevel", int_of(o, "townHallLevel", 1)}});
      }
    }
    json::object c{{"tag", string_of(*profile, "tag")},
                   {"name", string_of(*profile, "name")},
                   {"clanLevel", int_of(*profile, "clanLevel", 1)}};
    if (auto const* badge = profile->if_contains("badgeUrls")) c["badgeUrls"] = *badge;
    c["members"] = std::move(members);
    clans.push_back(std::move(c));
  }
  json::array rounds;
  for (int r = 0; r < calendar::cwl_rounds; ++r) {
    rounds.push_back(json::object{{"warTags", json::array{"#0", "#0", "#0", "#0"}}});
  }
  return {{"state", "preparation"},
          {"season", calendar::month_id(month)},
          {"clans", std::move(clans)},
          {"rounds", std::move(rounds)}};
}

void cwl_group_at(json::object& group, std::size_t index, std::int64_t month, std::int64_t t) {
  auto const week = calendar::cwl_of(month);
  group["state"] = t < week.first_round ? "preparation" : t < week.ended ? "inWar" : "ended";
  auto& rounds = group["rounds"].as_array();
  for (int r = 1; r <= calendar::cwl_rounds; ++r) {
    if (t < week.preparation(r)) break;
    json::array tags;
    for (std::size_t w = 0; w < 4; ++w) tags.push_back(json::string{cwl_war_tag(month, index, r, w)});
    rounds[static_cast<std::size_t>(r - 1)].as_object()["warTags"] = std::move(tags);
  }
}

void store_cwl_group(dataset& data, std::size_t group, json::object const& body) {
  auto const shared = share(compact(body));
  for (auto const index : data.plan->cwl_groups[group]) data.cwl_groups[data.plan->clans[index].tag] = shared;
}

void remove_cwl_group(dataset& data, std::size_t group, std::int64_t month) {
  for (auto const index : data.plan->cwl_groups[group]) data.cwl_groups.erase(data.plan->clans[index].tag);
  for (int r = 1; r <= calendar::cwl_rounds; ++r) {
    for (std::size_t w = 0; w < 4; ++w) data.cwl_wars.erase(cwl_war_tag(month, group, r, w));
  }
}

namespace {

/// The clan's profile with only the members on its league roster (the group's list of its
/// members), in the profile's order: a league war fields no one who joined after the group formed,
/// and no one on a roster can leave the clan (simulation::leave_one), so war members stay members.
std::optional<json::object> roster_of(dataset const& data, std::string const& tag) {
  auto profile = profile_of(data, tag);
  auto const* stored = data.cwl_groups.find(tag);
  auto const group = stored ? edit::parse_object(*stored) : std::nullopt;
  if (!profile || !group) return profile;
  std::set<std::string> roster;
  for (auto const& c : group->at("clans").as_array()) {
    if (string_of(c.as_object(), "tag") != tag) continue;
    for (auto const& m : c.at("members").as_array()) roster.insert(string_of(m.as_object(), "tag"));
  }
  json::array kept;
  if (auto const* list = profile->if_contains("memberList"); list && list->is_array()) {
    for (auto const& m : list->get_array()) {
      if (roster.contains(string_of(m.as_object(), "tag"))) kept.push_back(m);
    }
  }
  (*profile)["memberList"] = std::move(kept);
  return profile;
}

}  // namespace

std::optional<json::object> cwl_war_new(dataset const& data, std::size_t group, std::int64_t month, int round,
                                        std::size_t war) {
  auto const [a, b] = cwl_pairs(round)[war];
  auto const& members = data.plan->cwl_groups[group];
  auto const ours = roster_of(data, data.plan->clans[members[a]].tag);
  auto const theirs = roster_of(data, data.plan->clans[members[b]].tag);
  if (!ours || !theirs) return std::nullopt;
  auto const week = calendar::cwl_of(month);
  war_times const times{week.preparation(round), week.battle(round), week.end(round)};
  return new_war(war_side(*ours, cwl_team), war_side(*theirs, cwl_team), cwl_team, 1, times, true);
}

void draw_cwl(dataset& data, std::size_t first_group, std::int64_t t) {
  auto const month = calendar::month_start(t);
  auto const week = calendar::cwl_of(month);
  if (t < week.formed || t >= week.gone) return;
  for (std::size_t g = first_group; g < data.plan->cwl_groups.size(); ++g) {
    auto group = cwl_group_formed(data, g, month);
    cwl_group_at(group, g, month, t);
    store_cwl_group(data, g, group);
    for (int r = 1; r <= calendar::cwl_rounds && week.preparation(r) <= t; ++r) {
      for (std::size_t w = 0; w < 4; ++w) {
        auto war = cwl_war_new(data, g, month, r, w);
        if (!war) continue;
        auto const tag = cwl_war_tag(month, g, r, w);
        if (t >= week.battle(r)) {
          (*war)["state"] = "inWar";
          for (auto const& a : cwl_attacks(data.seed, tag, week.battle(r))) {
            if (a.at <= t) apply_planned(*war, a);
          }
        }
        if (t >= week.end(r)) (*war)["state"] = "warEnded";
        data.cwl_wars[tag] = share(compact(*war));
      }
    }
  }
}

}  // namespace overworld::sandbox::detail
