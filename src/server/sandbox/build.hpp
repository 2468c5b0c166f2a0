// Building blocks of a dataset from parsed JSON, shared by the folder loader and the generator.
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace overworld::sandbox::detail {

bytes share(std::string text);
std::string compact(boost::json::value const& v);
std::int64_t int_of(boost::json::object const& o, std::string_view key, std::int64_t fallback = 0);
std::string string_of(boost::json::object const& o, std::string_view key);

/// The items of {"items":[…]} as compact JSON; `whole` is what an unpaged request gets.
paged_list make_list(boost::json::value const& doc, bytes whole);
id_table make_id_table(boost::json::value const& doc, bytes whole);

/// A clan profile: GET /clans/{tag}, its member list, and its search summary.
void add_clan_profile(dataset& data, boost::json::object const& clan, bytes profile);
/// A search result item (no effect when the clan is already searchable).
void add_clan_summary(dataset& data, boost::json::object const& item);
void add_player_profile(dataset& data, boost::json::object const& player, bytes profile);

}  // namespace overworld::sandbox::detail
