#include "drawing.hpp"

#include "build.hpp"
#include "calendar.hpp"
#include "changes_detail.hpp"
#include "raids.hpp"
#include "schedule.hpp"
#include "wars.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <unordered_map>

namespace overworld::sandbox::detail {

namespace {

json::object profile_of(bytes const& body) {
  boost::system::error_code ec;
  auto v = json::parse(body ? std::string_view{*body} : std::string_view{"{}"}, ec);
  return !ec && v.is_object() ? std::move(v.get_object()) : json::object{};
}

json::object clan_profile(dataset const& data, std::string const& tag) {
  auto const* clan = data.clan(tag);
  return profile_of(clan ? clan->profile : nullptr);
}

std::size_t member_count(json::object const& clan) {
  auto const* list = clan.if_contains("memberList");
  return list && list->is_array() ? list->get_array().size() : 0;
}

json::object play(json::object war, std::vector<planned_attack> const& attacks, std::int64_t until, bool ended) {
  war["state"] = "inWar";
  for (auto const& a : attacks) {
    if (a.at <= until) apply_planned(war, a);
  }
  if (ended) war["state"] = "warEnded";
  return war;
}

}  // namespace

std::vector<std::string> plan_clans(dataset const& data, std::size_t part) {
  std::vector<std::string> out;
  auto const& plan = *data.plan;
  for (auto const& c : plan.clans) {
    if (part == static_cast<std::size_t>(-1) || c.part == part) out.push_back(c.tag);
  }
  return out;
}

void draw_wars(dataset& data, std::size_t first, std::int64_t t) {
  auto const plan = data.plan;  // the plan is not edited here; keep it alive while the data is
  for (std::size_t i = first; i < plan->clans.size(); ++i) {
    auto const& a = plan->clans[i];
    if (a.partner == world_plan::none || a.partner < i) continue;
    auto const& b = plan->clans[a.partner];
    bool const in_cwl = a.cwl_group != world_plan::none || b.cwl_group != world_plan::none;
    auto const ours = clan_profile(data, a.tag);
    auto const theirs = clan_profile(data, b.tag);
    auto const team = static_cast<std::int64_t>(
        std::min<std::size_t>(regular_team_cap, std::min(member_count(ours), member_count(theirs)) / 5 * 5));
    if (team < 5) continue;
    auto const war = [&](war_cycle const& c) {
      return new_war(war_side(ours, team), war_side(theirs, team), team, 2, {c.preparation, c.start, c.end}, false);
    };
    auto const log_both = [&](json::object const& w) {
      edit::log_war(data, a.tag, w, false);
      edit::log_war(data, b.tag, mirrored(w), false);
    };
    auto const past = past_wars(data.seed, a.tag, in_cwl, t, 3);
    for (std::size_t k = past.size(); k-- > 0;) {  // oldest first
      auto const& w = past[k];
      log_both(play(war(w), regular_attacks(data.seed, a.tag, w, static_cast<std::size_t>(team)), w.end, true));
    }
    auto const now = war_at(data.seed, a.tag, in_cwl, t);
    if (now.phase == war_phase::none) continue;
    auto current = war(now.cycle);
    if (now.phase != war_phase::preparation) {
      auto const attacks = regular_attacks(data.seed, a.tag, now.cycle, static_cast<std::size_t>(team));
      current = play(std::move(current), attacks, t, now.phase == war_phase::ended);
      if (now.phase == war_phase::ended) log_both(current);
    }
    edit::store_war(data, a.tag, current, true);
  }
}

void draw_raids(dataset& data, std::size_t part, std::int64_t t) {
  auto const plan = data.plan;
  auto const range = plan->parts[part];
  std::size_t const n = range.last - range.first;
  if (n < 2) return;
  std::vector<json::object> profiles;
  std::vector<json::object> as_raid_clan;
  for (std::size_t p = 0; p < n; ++p) {
    profiles.push_back(clan_profile(data, plan->clans[range.first + p].tag));
    as_raid_clan.push_back(raid_clan(profiles.back()));
  }
  auto const latest = calendar::raid_weekend(t);
  for (auto const weekend : {latest - calendar::week, latest}) {
    auto const until = std::min(t, weekend + calendar::raid_length);
    std::vector<std::vector<raid_hit>> hits(n);
    for (std::size_t p = 0; p < n; ++p) {
      std::vector<json::object const*> targets;
      for (auto q : raid_targets(p, n, weekend)) targets.push_back(&profiles[q]);
      hits[p] = plan_raid_hits(data.seed, profiles[p], targets, weekend);
    }
    for (std::size_t p = 0; p < n; ++p) {
      auto season = new_raid_season(weekend, weekend + calendar::raid_length);
      auto const targets = raid_targets(p, n, weekend);
      for (auto const& h : hits[p]) {
        if (h.at <= until) record_attack(season, as_raid_clan[targets[h.raid]], h);
      }
      for (auto const& [q, raid] : raided_by(p, n, weekend)) {
        for (auto const& h : hits[q]) {
          if (h.raid == raid && h.at <= until) record_defense(season, as_raid_clan[q], h);
        }
      }
      if (t >= weekend + calendar::raid_length) end_raid_season(season, weekend + calendar::raid_length);
      edit::store_latest_raid(data, plan->clans[range.first + p].tag, season, true);
    }
  }
}

namespace {

struct ranked_player {
  std::string tag, clan;
  std::int64_t trophies = 0, builder = 0;
};

std::unordered_map<std::string, std::int64_t> ranks_of(paged_list const& list) {
  std::unordered_map<std::string, std::int64_t> out;
  for (auto const& item : list.items) {
    auto const o = profile_of(share(item));
    out.emplace(string_of(o, "tag"), int_of(o, "rank"));
  }
  return out;
}

paged_list ranked(std::vector<json::object> items, char const* score, paged_list const& before,
                  bool with_previous = true) {
  std::stable_sort(items.begin(), items.end(), [score](json::object const& a, json::object const& b) {
    return int_of(a, score) > int_of(b, score);
  });
  auto const previous = ranks_of(before);
  paged_list list;
  std::int64_t rank = 0;
  for (auto& item : items) {
    if (++rank > 200) break;  // the API ranks the top 200
    item["rank"] = rank;
    auto const it = previous.find(string_of(item, "tag"));
    if (with_previous) item["previousRank"] = it == previous.end() ? rank : it->second;
    list.items.push_back(compact(item));
  }
  return list;
}

json::object clan_item(json::object const& clan, char const* score_key, std::int64_t score) {
  json::object o{{"tag", string_of(clan, "tag")}, {"name", string_of(clan, "name")}};
  if (auto const* l = clan.if_contains("location")) o["location"] = *l;
  if (auto const* b = clan.if_contains("badgeUrls")) o["badgeUrls"] = *b;
  o["clanLevel"] = int_of(clan, "clanLevel", 1);
  o["members"] = int_of(clan, "members");
  o[score_key] = score;
  return o;
}

json::object player_item(dataset const& data, std::string const& tag, bool builder) {
  auto const* entry = data.player(tag);
  auto const p = profile_of(entry ? entry->profile : nullptr);
  json::object o{{"tag", tag}, {"name", string_of(p, "name")}, {"expLevel", int_of(p, "expLevel", 1)}};
  if (builder) {
    o["builderBaseTrophies"] = int_of(p, "builderBaseTrophies");
  } else {
    o["trophies"] = int_of(p, "trophies");
    o["attackWins"] = int_of(p, "attackWins");
    o["defenseWins"] = int_of(p, "defenseWins");
  }
  if (auto const* c = p.if_contains("clan"); c && c->is_object()) {
    json::object ref{{"tag", string_of(c->get_object(), "tag")}, {"name", string_of(c->get_object(), "name")}};
    if (auto const* b = c->get_object().if_contains("badgeUrls")) ref["badgeUrls"] = *b;
    o["clan"] = std::move(ref);
  }
  if (auto const* league = p.if_contains(builder ? "builderBaseLeague" : "leagueTier")) {
    o[builder ? "builderBaseLeague" : "leagueTier"] = *league;
  }
  return o;
}

/// The `count` best players of the clans by one score, as ranking items.
std::vector<json::object> best_players(dataset const& data, std::vector<ranked_player> players, bool builder,
                                       std::size_t count) {
  auto const score = [builder](ranked_player const& p) { return builder ? p.builder : p.trophies; };
  std::stable_sort(players.begin(), players.end(),
                   [&](ranked_player const& a, ranked_player const& b) { return score(a) > score(b); });
  if (players.size() > count) players.resize(count);
  std::vector<json::object> items;
  items.reserve(players.size());
  for (auto const& p : players) items.push_back(player_item(data, p.tag, builder));
  return items;
}

}  // namespace

void draw_rankings(dataset& data, std::vector<std::string> const& clans, std::int64_t location_id) {
  std::vector<json::object> by_points, by_builder, by_capital;
  std::vector<ranked_player> players;
  for (auto const& tag : clans) {
    auto const clan = clan_profile(data, tag);
    if (clan.empty()) continue;
    by_points.push_back(clan_item(clan, "clanPoints", int_of(clan, "clanPoints")));
    by_builder.push_back(clan_item(clan, "clanBuilderBasePoints", int_of(clan, "clanBuilderBasePoints")));
    by_capital.push_back(clan_item(clan, "clanCapitalPoints", int_of(clan, "clanCapitalPoints")));
    if (auto const* list = clan.if_contains("memberList"); list && list->is_array()) {
      for (auto const& m : list->get_array()) {
        auto const& o = m.as_object();
        players.push_back({string_of(o, "tag"), tag, int_of(o, "trophies"), int_of(o, "builderBaseTrophies")});
      }
    }
  }
  auto const trophy_items = best_players(data, players, false, 200);
  auto const builder_items = best_players(data, players, true, 200);
  bool const global = !data.recorded_global_rankings;
  auto& all = data.rankings.write();
  for (auto const id : {location_id, std::int64_t{0}}) {
    if (id == 0 && !global) continue;
    auto const before = all[id];
    auto& r = all[id];
    r.players = ranked(trophy_items, "trophies", before.players);
    r.players_builder_base = ranked(builder_items, "builderBaseTrophies", before.players_builder_base);
    r.clans = ranked(by_points, "clanPoints", before.clans);
    r.clans_builder_base = ranked(by_builder, "clanBuilderBasePoints", before.clans_builder_base);
    r.capitals = ranked(by_capital, "clanCapitalPoints", before.capitals);
  }
}

void draw_seasons(dataset& data, std::vector<std::string> const& clans, std::int64_t t) {
  if (data.legend_seasons->items.empty()) {
    auto& seasons = data.legend_seasons.write();
    std::int64_t month = calendar::add_months(calendar::month_start(calendar::season_end_before(t)), -11);
    for (int i = 0; i < 12; ++i, month = calendar::add_months(month, 1)) {
      seasons.items.push_back(compact(json::object{{"id", calendar::date_id(calendar::season_end_in(month))}}));
    }
  }
  auto const last = profile_of(share(data.legend_seasons->items.back()));
  auto const id = string_of(last, "id");
  if (!data.season_rankings->contains(id)) {
    std::vector<ranked_player> players;
    for (auto const& tag : clans) {
      auto const clan = clan_profile(data, tag);
      if (auto const* list = clan.if_contains("memberList"); list && list->is_array()) {
        for (auto const& m : list->get_array()) {
          players.push_back({string_of(m.as_object(), "tag"), tag, int_of(m.as_object(), "trophies"), 0});
        }
      }
    }
    auto items = best_players(data, std::move(players), false, 200);
    data.season_rankings.write()[id] = ranked(std::move(items), "trophies", {}, false);
  }
  if (!data.gold_pass) {
    auto const pass = calendar::gold_pass(t);
    data.gold_pass = share(compact(
        json::object{{"startTime", calendar::api_time(pass.start)}, {"endTime", calendar::api_time(pass.end)}}));
  }
}

}  // namespace overworld::sandbox::detail
