// The Clan War League of the plan's groups: a group forms on the 1st with its clans' members,
// each day a round's four wars start preparing and the previous round's fight, and the group
// goes away on the 11th. Shared by the generator (the league at its start time) and the
// simulation (the league as time moves).
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>

namespace overworld::sandbox::detail {

namespace json = boost::json;

/// The group as it forms at the start of `month`: its clans with their members, seven rounds of
/// "#0", state preparation.
json::object cwl_group_formed(dataset const& data, std::size_t group, std::int64_t month);
/// Sets the group's state and the war tags of the rounds begun at `t`.
void cwl_group_at(json::object& group, std::size_t index, std::int64_t month, std::int64_t t);
/// Stores the group as the answer for each of its clans.
void store_cwl_group(dataset& data, std::size_t group, json::object const& body);
/// Removes the group (the league week is over).
void remove_cwl_group(dataset& data, std::size_t group, std::int64_t month);

/// War `war` (0 to 3) of round `round` (1 to 7) in preparation, from the clans' profiles now.
std::optional<json::object> cwl_war_new(dataset const& data, std::size_t group, std::int64_t month, int round,
                                        std::size_t war);

/// The league of every group of the plan from `first_group` as it is at `t`.
void draw_cwl(dataset& data, std::size_t first_group, std::int64_t t);

}  // namespace overworld::sandbox::detail
