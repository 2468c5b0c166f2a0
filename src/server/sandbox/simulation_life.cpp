// The simulation's weekly, daily and monthly rhythm: raid weekends, members' donations and
// trophies, members leaving and joining, season ends, league weeks, the gold pass, rankings.
#include "build.hpp"
#include "calendar.hpp"
#include "changes_detail.hpp"
#include "drawing.hpp"
#include "schedule.hpp"
#include "simulation.hpp"

#include <algorithm>

namespace overworld::sandbox::detail {

namespace {

/// Raid seasons a made-up clan keeps (the API's lists go back further; this bounds memory).
constexpr std::size_t kept_raid_seasons = 3;

json::object clan_profile(dataset const& data, std::string const& tag) {
  json::object clan;
  (void)edit::load_clan(data, tag, clan);
  return clan;
}

/// Whether the clan's newest raid season is the ongoing one of `weekend`.
std::optional<json::object> ongoing_season(dataset const& data, std::string const& tag, std::int64_t weekend) {
  auto season = edit::latest_raid(data, tag);
  if (!season || string_of(*season, "state") != "ongoing" ||
      string_of(*season, "startTime") != calendar::api_time(weekend)) {
    return std::nullopt;
  }
  return season;
}

}  // namespace

bool simulation::raid_weekends(dataset& data, std::int64_t from, std::int64_t to) {
  auto const plan = data.plan;
  auto const weekend = calendar::raid_weekend(to);
  auto const end = weekend + calendar::raid_length;
  bool changed = false;
  if (between(weekend, from, to)) {
    for (auto const& part : plan->parts) {
      if (part.last - part.first < 2) continue;
      for (auto i = part.first; i < part.last; ++i) {
        auto& seasons = data.clans[plan->clans[i].tag].raid_seasons.write();
        seasons.items.insert(seasons.items.begin(), compact(new_raid_season(weekend, end)));
        if (seasons.items.size() > kept_raid_seasons) seasons.items.resize(kept_raid_seasons);
        seasons.whole = nullptr;
      }
    }
    plan_raids(data, weekend);
    changed = true;
  }
  // Attacks land in the logs hour by hour, and the weekend closes with the last hour's.
  if (to % calendar::hour == 0 && to > weekend && to <= end)
    changed = raid_hour(data, weekend, to - calendar::hour, to) || changed;
  if (between(end, from, to)) {
    for (auto const& c : plan->clans) {
      auto season = ongoing_season(data, c.tag, weekend);
      if (!season) continue;
      end_raid_season(*season, end);
      edit::store_latest_raid(data, c.tag, *season, false);
      changed = true;
    }
  }
  return changed;
}

void simulation::plan_raids(dataset const& data, std::int64_t weekend) {
  auto const& plan = *data.plan;
  raid_weekend_ = weekend;
  raid_hits_.assign(plan.clans.size(), {});
  raid_clans_.assign(plan.clans.size(), {});
  for (auto const& part : plan.parts) {
    std::size_t const n = part.last - part.first;
    if (n < 2) continue;
    std::vector<json::object> profiles;
    for (auto i = part.first; i < part.last; ++i) profiles.push_back(clan_profile(data, plan.clans[i].tag));
    for (std::size_t p = 0; p < n; ++p) {
      std::vector<json::object const*> targets;
      for (auto q : raid_targets(p, n, weekend)) targets.push_back(&profiles[q]);
      raid_hits_[part.first + p] = plan_raid_hits(data.seed, profiles[p], targets, weekend);
      raid_clans_[part.first + p] = raid_clan(profiles[p]);
    }
  }
}

bool simulation::raid_hour(dataset& data, std::int64_t weekend, std::int64_t from, std::int64_t to) {
  if (raid_weekend_ != weekend) plan_raids(data, weekend);
  auto const plan = data.plan;
  bool changed = false;
  for (auto const& part : plan->parts) {
    std::size_t const n = part.last - part.first;
    if (n < 2) continue;
    for (std::size_t p = 0; p < n; ++p) {
      auto const& tag = plan->clans[part.first + p].tag;
      auto const targets = raid_targets(p, n, weekend);
      std::optional<json::object> season;
      auto const open = [&]() -> json::object* {
        if (!season) season = ongoing_season(data, tag, weekend);
        return season ? &*season : nullptr;
      };
      bool touched = false;
      for (auto const& h : raid_hits_[part.first + p]) {
        if (!between(h.at, from, to) || !open()) continue;
        record_attack(*season, raid_clans_[part.first + targets[h.raid]], h);
        touched = true;
      }
      for (auto const& [q, raid] : raided_by(p, n, weekend)) {
        for (auto const& h : raid_hits_[part.first + q]) {
          if (h.raid != raid || !between(h.at, from, to) || !open()) continue;
          record_defense(*season, raid_clans_[part.first + q], h);
          touched = true;
        }
      }
      if (touched) edit::store_latest_raid(data, tag, *season, false);
      changed = changed || touched;
    }
  }
  return changed;
}

bool simulation::daily_life(dataset& data, std::int64_t from, std::int64_t to) {
  auto const plan = data.plan;
  bool changed = false;
  for (auto minute = from / calendar::minute + 1; minute <= to / calendar::minute; ++minute) {
    for (std::size_t i = 0; i < plan->clans.size(); ++i) {
      auto const offset =
          ((minute - phase_[i]) % (std::int64_t{24} * 60) + std::int64_t{24} * 60) % (std::int64_t{24} * 60);
      auto const& tag = plan->clans[i].tag;
      // Four times a day members donate and win or lose trophies.
      if (offset % (std::int64_t{6} * 60) == 0) {
        auto rng = stream(data.seed, "drift", tag, static_cast<std::uint64_t>(minute));
        changed = edit::edit_members(data, tag,
                                     [&](json::object& p) {
                                       if (rng.chance(30)) return false;
                                       p["donations"] = int_of(p, "donations") + rng.between(0, 60);
                                       p["donationsReceived"] = int_of(p, "donationsReceived") + rng.between(0, 60);
                                       auto const trophies =
                                           std::max<std::int64_t>(0, int_of(p, "trophies") + rng.between(-40, 45));
                                       p["trophies"] = trophies;
                                       p["bestTrophies"] = std::max(trophies, int_of(p, "bestTrophies"));
                                       if (auto const* tier = refs_->league_tier(trophies))
                                         p["leagueTier"] = tier->object;
                                       p["builderBaseTrophies"] = std::max<std::int64_t>(
                                           0, int_of(p, "builderBaseTrophies") + rng.between(-20, 25));
                                       return true;
                                     }) ||
                  changed;
      }
      // Once a day a member may leave and a player between clans may join.
      if (offset == 0) {
        auto rng = stream(data.seed, "comings and goings", tag, static_cast<std::uint64_t>(minute));
        if (rng.chance(30)) changed = leave_one(data, i, rng) || changed;
        if (rng.chance(30)) changed = join_one(data, i, rng) || changed;
      }
    }
  }
  return changed;
}

bool simulation::leave_one(dataset& data, std::size_t index, random_numbers& rng) {
  auto const plan = data.plan;
  auto const& tag = plan->clans[index].tag;
  json::object clan;
  if (edit::load_clan(data, tag, clan)) return false;
  // War and league rosters stay whole: their members are members.
  std::vector<std::string> staying;
  if (auto war = edit::current_war(data, tag)) {
    for (auto const& m : war->at("clan").at("members").as_array()) staying.emplace_back(m.at("tag").as_string());
  }
  if (auto const* group = data.cwl_groups.find(tag)) {
    if (auto parsed = edit::parse_object(*group)) {
      for (auto const& c : parsed->at("clans").as_array()) {
        for (auto const& m : c.at("members").as_array()) staying.emplace_back(m.at("tag").as_string());
      }
    }
  }
  std::vector<std::string> free;
  for (auto const& m : edit::member_list(clan)) {
    auto const member = string_of(m.as_object(), "tag");
    if (string_of(m.as_object(), "role") == "leader") continue;
    if (std::find(staying.begin(), staying.end(), member) == staying.end()) free.push_back(member);
  }
  if (free.empty() || edit::member_list(clan).size() <= 10) return false;
  auto const leaving = free[rng.next() % free.size()];
  if (leave_clan(data, tag, leaving)) return false;
  clanless_.push_back(leaving);
  return true;
}

bool simulation::join_one(dataset& data, std::size_t index, random_numbers& rng) {
  auto const& tag = data.plan->clans[index].tag;
  while (!clanless_.empty()) {
    auto const k = rng.next() % clanless_.size();
    auto const player = clanless_[k];
    clanless_.erase(clanless_.begin() + static_cast<std::ptrdiff_t>(k));
    json::object profile;
    auto const* entry = data.player(player);
    if (!entry || !entry->profile) continue;
    if (auto parsed = edit::parse_object(entry->profile); !parsed || parsed->contains("clan")) continue;
    if (join_clan(data, tag, player, "member")) {
      clanless_.push_back(player);  // the clan is full: the player waits for another
      return false;
    }
    return true;
  }
  return false;
}

bool simulation::every_member(dataset& data, std::function<bool(json::object&)> const& edit) {
  bool changed = false;
  for (auto const& c : data.plan->clans) changed = edit::edit_members(data, c.tag, edit) || changed;
  for (auto const& p : clanless_) changed = edit::edit_player(data, p, edit) || changed;
  return changed;
}

bool simulation::seasons(dataset& data, std::int64_t from, std::int64_t to) {
  auto const plan = data.plan;
  bool changed = false;
  auto const month = calendar::month_start(to);
  // The trophy season ends: a new Legend League season with its ranking; donations start again,
  // and trophies above 5000 are halved back towards it.
  if (auto const end = calendar::season_end_in(month); between(end, from, to)) {
    auto const id = calendar::date_id(end);
    auto& seasons = data.legend_seasons.write();
    seasons.items.push_back(compact(json::object{{"id", id}}));
    seasons.whole = nullptr;
    draw_seasons(data, plan_clans(data), to);
    every_member(data, [&](json::object& p) {
      p["donations"] = 0;
      p["donationsReceived"] = 0;
      if (auto const t = int_of(p, "trophies"); t > 5000) {
        p["trophies"] = 5000 + (t - 5000) / 2;
        if (auto const* tier = refs_->league_tier(5000 + (t - 5000) / 2)) p["leagueTier"] = tier->object;
      }
      return true;
    });
    changed = true;
  }
  if (auto const pass = calendar::gold_pass(to); between(pass.start, from, to)) {
    data.gold_pass = share(compact(
        json::object{{"startTime", calendar::api_time(pass.start)}, {"endTime", calendar::api_time(pass.end)}}));
    changed = true;
  }
  // A new ranked league week: every player's current and previous league week move on.
  if (auto const week = calendar::ranked_week(to); between(week, from, to)) {
    every_member(data, [&](json::object& p) {
      if (!p.contains("currentLeagueSeasonId")) return false;
      p["currentLeagueSeasonId"] = week;
      p["previousLeagueSeasonId"] = week - calendar::week;
      return true;
    });
    changed = true;
  }
  // Rankings follow the world every hour.
  if (to % calendar::hour == 0) {
    for (std::size_t part = 0; part < plan->parts.size(); ++part) {
      if (plan->parts[part].location == 0) continue;
      draw_rankings(data, plan_clans(data, part), plan->parts[part].location);
      changed = true;
    }
  }
  return changed;
}

}  // namespace overworld::sandbox::detail
