// Wars and raid weekends: a clan's current war through its states and attacks, seen the same way
// by its opponent, and its capital raid seasons.
#include "build.hpp"
#include "calendar.hpp"
#include "changes_detail.hpp"
#include "entities.hpp"
#include "raids.hpp"
#include "wars.hpp"

#include <algorithm>

namespace overworld::sandbox {

using namespace edit;
using detail::int_of;
using detail::side_tag;
using detail::string_of;

namespace edit {

std::optional<json::object> current_war(dataset const& data, std::string const& tag) {
  auto const* clan = data.clan(tag);
  if (!clan) return std::nullopt;
  auto war = parse_object(clan->current_war);
  auto const state = war ? string_of(*war, "state") : std::string{};
  if (state.empty() || state == "notInWar") return std::nullopt;
  return war;
}

bool opponent_follows(dataset const& data, std::string const& tag, json::object const& war) {
  auto const theirs = current_war(data, side_tag(war, "opponent"));
  return theirs && side_tag(*theirs, "opponent") == tag &&
         string_of(*theirs, "preparationStartTime") == string_of(war, "preparationStartTime");
}

void store_war(dataset& data, std::string const& tag, json::object const& war, bool opponent_too) {
  data.clans[tag].current_war = detail::share(detail::compact(war));
  if (opponent_too) {
    data.clans[side_tag(war, "opponent")].current_war = detail::share(detail::compact(detail::mirrored(war)));
  }
}

void log_war(dataset& data, std::string const& tag, json::object const& war, bool record) {
  auto const entry = detail::log_entry(war);
  auto& log = data.clans[tag].warlog.write();
  log.items.insert(log.items.begin(), detail::compact(entry));
  log.whole = nullptr;
  if (!record) return;
  json::object clan;
  if (load_clan(data, tag, clan)) return;
  auto const bump = [&clan](char const* key) {
    if (clan.contains(key)) clan[key] = int_of(clan, key) + 1;
  };
  auto const result = string_of(entry, "result");
  if (result == "win") {
    bump("warWins");
    bump("warWinStreak");
  } else {
    if (clan.contains("warWinStreak")) clan["warWinStreak"] = 0;
    bump(result == "lose" ? "warLosses" : "warTies");
  }
  store_clan(data, tag, std::move(clan));
}

change_result apply_planned_attacks(dataset& data, std::string const& tag,
                                    std::vector<detail::planned_attack> const& attacks) {
  auto war = current_war(data, tag);
  if (!war || string_of(*war, "state") != "inWar") return refuse(409, tag + " is not on a battle day");
  bool const follows = opponent_follows(data, tag, *war);
  for (auto const& a : attacks) detail::apply_planned(*war, a);
  store_war(data, tag, *war, follows);
  return std::nullopt;
}

}  // namespace edit

namespace {

/// An opponent made for a war: a clan of its own with members matched base for base against
/// `ours`, so that every tag of the war is a clan or a player of the world.
std::string made_up_opponent(dataset& data, std::string const& tag, std::string const& name, json::object const& ours,
                             std::int64_t now) {
  detail::references const refs{data};
  detail::world_builder builder{data, refs};
  auto rng = detail::stream(data.seed, "rival clan", string_of(ours, "tag"), static_cast<std::uint64_t>(now));
  std::string rival = tag.empty() ? builder.fresh_tag(rng, 0x90'0000'0000ULL) : tag;
  auto& clan = builder.clan(rival);
  clan.name = name.empty() ? std::string{"Sandbox Rivals"} : name;
  clan.level = int_of(ours, "clanLevel", 1);
  clan.war_log_public = true;
  auto const& members = ours.at("members").as_array();
  clan.wanted = static_cast<std::int64_t>(members.size());
  std::int64_t i = 0;
  for (auto const& m : members) {
    auto const player = builder.fresh_tag(rng, 0x90'0000'0000ULL);
    builder.assign(rival, player);
    auto& p = builder.player(player);
    p.name = "Rival " + std::to_string(++i);
    p.town_hall = int_of(m.as_object(), "townhallLevel", 1);
  }
  builder.write(now);
  return rival;
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
  json::object ours = detail::war_side(clan, team);
  std::string opponent = setup.opponent_tag;
  json::object other;
  if (opponent.empty() || load_clan(data, opponent, other)) {
    opponent = made_up_opponent(data, opponent, setup.opponent_name, ours, now);
    if (auto r = load_clan(data, opponent, other)) return r;
  }
  if (auto war = current_war(data, opponent); war && string_of(*war, "state") != "warEnded") {
    return refuse(409, opponent + " is already in a war");
  }
  if (static_cast<std::int64_t>(member_list(other).size()) < team)
    return refuse(409, opponent + " has too few members");
  detail::war_times const times{now, now + detail::preparation_length,
                                now + detail::preparation_length + detail::battle_length};
  auto war =
      detail::new_war(std::move(ours), detail::war_side(other, team), team, setup.attacks_per_member, times, false);
  store_war(data, tag, war, true);
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
    (*war)["startTime"] = calendar::api_time(now);
    (*war)["endTime"] = calendar::api_time(now + detail::battle_length);
  } else {
    (*war)["endTime"] = calendar::api_time(now);
  }
  store_war(data, clan_tag, *war, follows);
  if (state == "warEnded") {
    log_war(data, clan_tag, *war, true);
    if (follows) log_war(data, side_tag(*war, "opponent"), detail::mirrored(*war), true);
  }
  return std::nullopt;
}

change_result add_war_attack(dataset& data, std::string const& clan_tag, war_attack const& attack) {
  if (!data.clans.contains(clan_tag)) return refuse(404, "no clan " + clan_tag);
  auto war = current_war(data, clan_tag);
  if (!war) {
    json::object none{{"state", "notInWar"}};
    return detail::apply_attack(none, attack);  // the values' 400 first, then the state's 409
  }
  bool const follows = opponent_follows(data, clan_tag, *war);
  if (auto refused = detail::apply_attack(*war, attack)) return refused;
  store_war(data, clan_tag, *war, follows);
  return std::nullopt;
}

namespace edit {

std::optional<json::object> latest_raid(dataset const& data, std::string const& tag) {
  auto const* clan = data.clan(tag);
  if (!clan || clan->raid_seasons->items.empty()) return std::nullopt;
  return parse_object(std::string_view{clan->raid_seasons->items.front()});
}

void store_latest_raid(dataset& data, std::string const& tag, json::object const& season, bool fresh) {
  auto& seasons = data.clans[tag].raid_seasons.write();
  if (fresh) {
    seasons.items.insert(seasons.items.begin(), detail::compact(season));
  } else {
    seasons.items.front() = detail::compact(season);
  }
  seasons.whole = nullptr;
}

}  // namespace edit

namespace {

/// The clan's newest raid season when it is ongoing.
change_result ongoing_raid(dataset const& data, std::string const& tag, json::object& season) {
  if (!data.clans.contains(tag)) return refuse(404, "no clan " + tag);
  auto latest = latest_raid(data, tag);
  if (!latest || string_of(*latest, "state") != "ongoing") return refuse(409, tag + " has no raid weekend in progress");
  season = std::move(*latest);
  return std::nullopt;
}

}  // namespace

change_result start_raid_weekend(dataset& data, std::string const& clan_tag, std::int64_t now) {
  json::object season;
  auto ongoing = ongoing_raid(data, clan_tag, season);
  if (!ongoing) return refuse(409, clan_tag + " is already in a raid weekend");
  if (ongoing->status == 404) return ongoing;
  store_latest_raid(data, clan_tag, detail::new_raid_season(now, now + calendar::raid_length), true);
  return std::nullopt;
}

change_result add_raid_attack(dataset& data, std::string const& clan_tag, raid_attack const& attack) {
  if (attack.loot < 0 || attack.loot > 1'000'000) return refuse(400, "loot must be 0 to 1000000");
  if (attack.districts_destroyed < 0 || attack.districts_destroyed > 10)
    return refuse(400, "districtsDestroyed must be 0 to 10");
  json::object season;
  if (auto r = ongoing_raid(data, clan_tag, season)) return r;
  json::object clan;
  if (auto r = load_clan(data, clan_tag, clan)) return r;
  json::object const* member = find_member(member_list(clan), attack.attacker);
  if (!member) return refuse(404, attack.attacker + " is not a member of " + clan_tag);
  if (auto r = detail::record_member_attack(season, attack.attacker, string_of(*member, "name"), attack.loot)) return r;
  season["enemyDistrictsDestroyed"] = int_of(season, "enemyDistrictsDestroyed") + attack.districts_destroyed;
  if (attack.raid_completed) season["raidsCompleted"] = int_of(season, "raidsCompleted") + 1;
  store_latest_raid(data, clan_tag, season, false);
  return std::nullopt;
}

change_result end_raid_weekend(dataset& data, std::string const& clan_tag, std::int64_t offensive_reward,
                               std::int64_t defensive_reward, std::int64_t now) {
  if (offensive_reward < 0 || defensive_reward < 0) return refuse(400, "rewards cannot be negative");
  json::object season;
  if (auto r = ongoing_raid(data, clan_tag, season)) return r;
  season["state"] = "ended";
  season["endTime"] = calendar::api_time(now);
  season["offensiveReward"] = offensive_reward;
  season["defensiveReward"] = defensive_reward;
  store_latest_raid(data, clan_tag, season, false);
  return std::nullopt;
}

}  // namespace overworld::sandbox
