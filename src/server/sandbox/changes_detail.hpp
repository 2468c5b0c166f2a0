// What the change files and the calendar share: the stored bodies as JSON objects, re-storing a
// changed clan, and the wars and raid seasons of a clan.
#pragma once

#include "wars.hpp"

#include <overworld/server/sandbox/changes.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <vector>

namespace overworld::sandbox::edit {

namespace json = boost::json;

/// The object stored in `body`; nullopt when there is none or it is not an object.
std::optional<json::object> parse_object(bytes const& body);
std::optional<json::object> parse_object(std::string_view text);

inline change_result refuse(unsigned status, std::string message) { return refusal{status, std::move(message)}; }

/// Stores a changed clan profile (detail::put_clan).
void store_clan(dataset& data, std::string const& tag, json::object clan);

/// The clan's profile, with a memberList (empty when it had none); 404 when there is none.
change_result load_clan(dataset const& data, std::string const& tag, json::object& out);
/// The clan's memberList (load_clan made sure it is an array).
json::array& member_list(json::object& clan);
json::object* find_member(json::array& list, std::string_view tag);

/// Edits members of a clan at once: `edit` gets each member's profile and says whether it changed
/// it; changed profiles are stored, their memberList entries follow, and the clan is stored once.
bool edit_members(dataset& data, std::string const& clan_tag, std::function<bool(json::object&)> const& edit);
/// Edits one player's profile (a player without a clan).
bool edit_player(dataset& data, std::string const& tag, std::function<bool(json::object&)> const& edit);

/// The clan's current war; nullopt when it is not in one.
std::optional<json::object> current_war(dataset const& data, std::string const& tag);
/// Whether the war's opponent is in the dataset and sees this same war from its side.
bool opponent_follows(dataset const& data, std::string const& tag, json::object const& war);
/// Stores the clan's current war, and the opponent's view of it when `opponent_too`.
void store_war(dataset& data, std::string const& tag, json::object const& war, bool opponent_too);
/// Puts the ended war first in the clan's war log; `record` counts it in the clan's war record.
void log_war(dataset& data, std::string const& tag, json::object const& war, bool record);
/// Planned attacks on the clan's battle day, in one change (409 when it is not on one).
change_result apply_planned_attacks(dataset& data, std::string const& tag,
                                    std::vector<detail::planned_attack> const& attacks);

/// The clan's newest raid season.
std::optional<json::object> latest_raid(dataset const& data, std::string const& tag);
/// Stores it again, or (`fresh`) as a new newest season.
void store_latest_raid(dataset& data, std::string const& tag, json::object const& season, bool fresh);

}  // namespace overworld::sandbox::edit
