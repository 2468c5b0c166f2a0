// The world the plan describes, drawn as it is at a time: regular wars with their war logs, raid
// weekends, rankings, Legend League seasons and the gold pass. The generator draws its world at
// its start time; the simulation keeps rankings and seasons current as time moves.
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace overworld::sandbox::detail {

/// The current war of every pair of the plan from clan `first` on, and up to three earlier wars
/// in both clans' war logs.
void draw_wars(dataset& data, std::size_t first, std::int64_t t);
/// The raid weekend of `t` (ongoing or ended) and the one before, for every clan of the part.
void draw_raids(dataset& data, std::size_t part, std::int64_t t);

/// Rankings of the clans (and their members) of `clans`: every kind, for `location_id` and,
/// unless rankings are already there, for global. A player's previousRank is its rank in the
/// list it replaces.
void draw_rankings(dataset& data, std::vector<std::string> const& clans, std::int64_t location_id);
/// The Legend League seasons up to `t` (the last twelve when there are none) with the latest
/// one's ranking from `clans`, and the gold pass of `t` when there is none.
void draw_seasons(dataset& data, std::vector<std::string> const& clans, std::int64_t t);
/// The tags of the plan's clans in part `part` (all parts when npos).
std::vector<std::string> plan_clans(dataset const& data, std::size_t part = static_cast<std::size_t>(-1));

}  // namespace overworld::sandbox::detail
