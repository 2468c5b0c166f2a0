// What the change files share: the stored bodies as JSON objects, and re-storing a changed clan.
#pragma once

#include <overworld/server/sandbox/changes.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace overworld::sandbox::edit {

namespace json = boost::json;

/// The object stored in `body`; nullopt when there is none or it is not an object.
std::optional<json::object> parse_object(bytes const& body);
std::optional<json::object> parse_object(std::string_view text);

inline change_result refuse(unsigned status, std::string message) { return refusal{status, std::move(message)}; }

/// "20260123T120000.000Z", the API's time format.
std::string api_timestamp(std::int64_t unix_seconds);

/// Stores a changed clan profile: memberList re-ranked by trophies, `members` counted, and its
/// /members list and search entry rebuilt from it.
void store_clan(dataset& data, std::string const& tag, json::object clan);

/// The clan's profile, with a memberList (empty when it had none); 404 when there is none.
change_result load_clan(dataset const& data, std::string const& tag, json::object& out);
/// The clan's memberList (load_clan made sure it is an array).
json::array& member_list(json::object& clan);
json::object* find_member(json::array& list, std::string_view tag);

}  // namespace overworld::sandbox::edit
