// When things happen to the clans time moves: the war cycle of each pair of clans, the Clan War
// League wars of each group, the raid weekend of each clan. Each is a function of the seed, the
// clan and the time, so the world at any time is the same however it got there: the generator
// draws the world at its start time from these, and the simulation applies what they say
// happens from one minute to the next.
#pragma once

#include "calendar.hpp"
#include "wars.hpp"

#include <overworld/server/sandbox/dataset.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace overworld::sandbox::detail {

/// Regular wars of a pair: 23 hours of preparation, 24 of battle, then the result shows for a
/// few hours until the next war starts. A pair in the Clan War League sits out the cycles that
/// would overlap its league week, and is out of war (notInWar) from the week's start.
struct war_cycle {
  std::int64_t index = 0;  ///< counts the pair's wars; seeds their attacks
  std::int64_t preparation = 0, start = 0, end = 0;
};
enum class war_phase { none, preparation, battle, ended };
struct war_moment {
  war_phase phase = war_phase::none;
  war_cycle cycle;
};
/// The pair's war at `t` (`clan` names the pair: its first clan).
war_moment war_at(std::uint64_t seed, std::string const& clan, bool in_cwl, std::int64_t t);
/// When the pair's war next changes phase after `t` (its battle day starts or ends, the next war
/// starts preparing, a league week sends it out of war).
std::int64_t war_next_change(std::uint64_t seed, std::string const& clan, bool in_cwl, std::int64_t t);
/// The pair's wars that ended before the current one, newest first, at most `count`.
std::vector<war_cycle> past_wars(std::uint64_t seed, std::string const& clan, bool in_cwl, std::int64_t t,
                                 std::size_t count);
inline constexpr std::int64_t regular_team_cap = 15;
/// The planned attacks of a regular war.
std::vector<planned_attack> regular_attacks(std::uint64_t seed, std::string const& clan, war_cycle const& c,
                                            std::size_t team);

/// CWL: the wars of round `round` (1-based) of an eight-clan group as pairs of positions.
std::array<std::pair<std::size_t, std::size_t>, 4> cwl_pairs(int round);
inline constexpr std::int64_t cwl_team = 15;
/// The war tag of a CWL war, unique to the month, the group (its index in the plan), the round
/// and the war.
std::string cwl_war_tag(std::int64_t month, std::size_t group, int round, std::size_t war);
std::vector<planned_attack> cwl_attacks(std::uint64_t seed, std::string const& war_tag, std::int64_t battle_start);

/// Raid weekends: each raiding clan raids the capitals of the clans 1, 2 and 3 places after it
/// in the plan (shifted each weekend), so the clans that raid a capital are known and each
/// clan's defense log mirrors their attack logs.
inline constexpr std::size_t raids_per_weekend = 3;
/// The positions of the clans the clan at `position` raids on the weekend starting at `weekend`.
std::vector<std::size_t> raid_targets(std::size_t position, std::size_t clans, std::int64_t weekend);
/// The positions of the clans that raid the clan at `position` that weekend, with which of their
/// raids it is.
std::vector<std::pair<std::size_t, std::size_t>> raided_by(std::size_t position, std::size_t clans,
                                                           std::int64_t weekend);

}  // namespace overworld::sandbox::detail
