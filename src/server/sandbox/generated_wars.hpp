// Wars between the generator's clans: clans are paired (1 with 2, 3 with 4, …), each pair is in a
// war on its battle day, seen from both sides with the same attacks, and has one ended war in
// both war logs, so war and event code has consistent data to read.
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace overworld::sandbox::detail {

struct war_member {
  std::string tag, name;
  std::int64_t town_hall = 1;
};

struct war_clan {
  std::string tag, name;
  std::int64_t level = 1;
  boost::json::object badge;
  std::vector<war_member> members;  ///< strongest first
};

/// Adds the current war and a war-log entry to both clans of every pair. `now` is unix seconds;
/// `random(lo, hi)` draws from the generator's seeded sequence.
void generate_wars(dataset& data, std::vector<war_clan> const& clans, std::int64_t now,
                   std::function<std::int64_t(std::int64_t, std::int64_t)> const& random);

/// "20260123T120000.000Z", the API's time format.
std::string api_time(std::int64_t unix_seconds);

}  // namespace overworld::sandbox::detail
