// Changes over time, for event code to watch: a member joins or leaves, a player's donations and
// trophies move, a war goes from preparation to battle day to its end and gets attacks, a raid
// weekend starts, is fought and ends.
//
// Each change edits a dataset the caller owns: a copy of the one being served, swapped in whole
// afterwards (sandbox_service::change), so a reader sees all of a change or none of it. Only the
// bodies a change touches are re-serialised; every other entry keeps sharing its bytes. Tags are
// given normalised ("#2PP").
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::sandbox {

/// Why a change was refused: 400 bad values, 404 unknown clan, player or war member, 409 not
/// possible in the current state. The dataset may be half-edited and must be thrown away.
struct refusal {
  unsigned status = 400;
  std::string message;
};
using change_result = std::optional<refusal>;  ///< nullopt: done

/// The player joins the clan (leaving the clan it was in): the clan's memberList, /members,
/// `members` count and search entry, and the player's `clan` and `role` change together.
/// `role`: member, admin, coLeader or leader.
change_result join_clan(dataset& data, std::string const& clan_tag, std::string const& player_tag,
                        std::string const& role = "member");
/// The player leaves the clan: out of its lists, and `clan` and `role` gone from the profile.
change_result leave_clan(dataset& data, std::string const& clan_tag, std::string const& player_tag);

struct player_counters {
  std::optional<std::int64_t> donations, donations_received, trophies, builder_base_trophies;
};
/// Sets the counters given (`add`: adds them), in the profile and in the member entry of the
/// player's clan; best trophies follow trophies up; the clan's members are re-ranked by trophies.
change_result change_player(dataset& data, std::string const& player_tag, player_counters const& values, bool add);

struct clan_profile {
  std::optional<std::string> name, description, type, badge;  ///< type: open, inviteOnly, closed; badge: a URL
  std::optional<std::int64_t> location_id, clan_level;
  std::optional<bool> war_log_public;
};
/// Changes the fields given of the clan's profile; its search entry and its members' `clan`
/// follow (name, level, badge).
change_result change_clan_profile(dataset& data, std::string const& clan_tag, clan_profile const& change);
/// A member's new role (member, admin, coLeader, leader; a new leader makes the old one
/// coLeader), in the clan's lists and the player's profile.
change_result set_member_role(dataset& data, std::string const& clan_tag, std::string const& player_tag,
                              std::string const& role);

struct player_profile {
  std::optional<std::string> name;
  std::optional<std::int64_t> town_hall, builder_hall, exp_level, league_tier_id;
};
/// Changes the fields given of the player's profile, and of its entry in its clan's lists.
change_result change_player_profile(dataset& data, std::string const& player_tag, player_profile const& change);

struct player_item {
  std::string list;                   ///< heroes, troops, spells or achievements
  std::string name;                   ///< "Barbarian King"; an unknown hero, troop or spell is added (unlocked)
  std::int64_t value = 0;             ///< the level, or the achievement's value
  std::optional<std::int64_t> stars;  ///< achievements: 0 to 3
};
/// Sets a hero's, troop's or spell's level, or an achievement's value and stars.
change_result set_player_item(dataset& data, std::string const& player_tag, player_item const& change);

struct war_setup {
  std::int64_t team_size = 0;           ///< 5 to 50 in steps of 5; 0: the largest the clan can field
  std::int64_t attacks_per_member = 2;  ///< 1 or 2
  std::string opponent_tag;             ///< a clan of the dataset, or a made-up one when empty or unknown
  std::string opponent_name;
};
/// Moves the clan's current war to `state`: preparation (a new war, from notInWar or warEnded),
/// inWar (from preparation), warEnded (from inWar; the war goes to the war log and the clan's
/// war record) or notInWar (from any). An opponent that is in the dataset sees the same war.
/// `now`: unix seconds, for the war's times.
change_result set_war_state(dataset& data, std::string const& clan_tag, std::string_view state, war_setup const& setup,
                            std::int64_t now);

struct war_attack {
  std::string attacker, defender;  ///< members of opposite sides of the war
  std::int64_t stars = 0;          ///< 0 to 3
  std::int64_t destruction = 0;    ///< 0 to 100
  std::int64_t duration = 120;     ///< seconds, 0 to 180
};
/// An attack in the clan's war on its battle day: the attacker's attacks, the defender's
/// opponentAttacks and bestOpponentAttack, and the side's attacks, stars and
/// destructionPercentage (of the best attack on each base) change together.
change_result add_war_attack(dataset& data, std::string const& clan_tag, war_attack const& attack);

/// A new raid weekend, first in /capitalraidseasons with state "ongoing" (409 when one is).
change_result start_raid_weekend(dataset& data, std::string const& clan_tag, std::int64_t now);

struct raid_attack {
  std::string attacker;  ///< a member of the clan
  std::int64_t loot = 0;
  std::int64_t districts_destroyed = 0;
  bool raid_completed = false;  ///< this attack finished off an enemy capital
};
/// An attack of the ongoing raid weekend: the member's attacks and loot (at most 6 attacks) and
/// the season's totals.
change_result add_raid_attack(dataset& data, std::string const& clan_tag, raid_attack const& attack);
/// Ends the ongoing raid weekend with its rewards.
change_result end_raid_weekend(dataset& data, std::string const& clan_tag, std::int64_t offensive_reward,
                               std::int64_t defensive_reward, std::int64_t now);

}  // namespace overworld::sandbox
