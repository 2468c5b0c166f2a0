// What the API shows of a player that was not recorded, made when asked for: its battle log, its
// league history and its ranked league group. They follow from the seed, the player and the
// world's time, so they move on as time does (a new battle every few hours, a new league week
// every Monday) without being stored.
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace overworld::sandbox::detail {

/// {"items":[…]}: the player's last 20 battles before `t`, newest first; opponents are players of
/// the world.
std::string battle_log(dataset const& data, std::string const& tag, std::int64_t t);
/// {"items":[…]}: the player's last eight ranked league weeks before the one of `t`, oldest first.
std::string league_history(dataset const& data, std::string const& tag, std::int64_t t);
/// The ranked league group `group_tag` in the week starting at `season` (a leagueSeasonId), with
/// the attack and defense logs of `player_tag` when it is a member; nullopt when there is no
/// such group that week (a week that has not begun, or a tag that is no group).
std::optional<std::string> ranked_group(dataset const& data, std::string const& group_tag, std::int64_t season,
                                        std::string const& player_tag, std::int64_t t);

/// The ranking of a Legend League season listed without a recorded one: players of the world,
/// as they finished that season; nullopt when the season is not listed.
std::optional<paged_list> legend_ranking(dataset const& data, std::string const& season);

}  // namespace overworld::sandbox::detail
