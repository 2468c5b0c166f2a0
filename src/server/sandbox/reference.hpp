// The lists every world has: leagues of every kind, labels, locations. A recorded dataset brings
// its own; a world made from nothing gets these, with the real ids and names.
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <boost/json/object.hpp>

#include <map>

namespace overworld::sandbox::detail {

/// The legacy trophy leagues 29000000–29000022, taking the league objects seen in the data (with
/// their icons) where there are some.
id_table legacy_leagues(std::map<std::int64_t, boost::json::object> const& seen);

/// Fills each list the dataset lacks, and puts the country `location_id` (unless 0) among the
/// locations (as "Sandbox Country" when the list does not know it).
void ensure_reference(dataset& data, std::int64_t location_id);

}  // namespace overworld::sandbox::detail
