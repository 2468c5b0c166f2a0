// Test support for the world tests: invasions made in one line.
#pragma once

#include <overworld/server/world/model.hpp>

#include <string>

namespace overworld::world::testing {

inline invasion make_invasion(std::string cog, std::int64_t defeated, std::int64_t total, std::int64_t started,
                              bool mega = false) {
  invasion i;
  i.cog = std::move(cog);
  i.dept = department_of(i.cog).value_or(department::unknown);
  i.defeated = defeated;
  i.total = total;
  i.mega = mega;
  i.started_at = started;
  return i;
}

}  // namespace overworld::world::testing
