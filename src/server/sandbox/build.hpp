// Building blocks of a dataset from parsed JSON, shared by the folder loader, the completion of a
// recorded world, the generator and the changes.
#pragma once

#include <overworld/server/sandbox/dataset.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace overworld::sandbox::detail {

bytes share(std::string text);
std::string compact(boost::json::value const& v);
std::int64_t int_of(boost::json::object const& o, std::string_view key, std::int64_t fallback = 0);
std::string string_of(boost::json::object const& o, std::string_view key);

/// Compact JSON written field by field, for bodies made in bulk (a world's players) where
/// building a JSON value first would cost more than the text. Strings are escaped as compact()
/// escapes them.
class json_text {
 public:
  json_text& open();
  json_text& close();
  json_text& number(std::string_view key, std::int64_t value);
  json_text& text(std::string_view key, std::string_view value);
  json_text& boolean(std::string_view key, bool value);
  /// A value that is JSON already (an object made once and reused).
  json_text& raw(std::string_view key, std::string_view json);
  std::string take() { return std::move(out_); }

 private:
  void key(std::string_view k);
  std::string out_;
  bool first_ = true;
};

/// The items of {"items":[…]} as compact JSON; `whole` is what an unpaged request gets.
paged_list make_list(boost::json::value const& doc, bytes whole);
id_table make_id_table(boost::json::value const& doc, bytes whole);

/// What the search filters read of a search result item.
std::shared_ptr<clan_summary const> make_summary(boost::json::object const& item);
/// A clan profile without what search results leave out (memberList, description, clanCapital).
boost::json::object summary_of_profile(boost::json::object const& clan);

/// A clan profile: GET /clans/{tag}, its member list (unless one was recorded), and its search
/// summary (unless it was found by a recorded search).
void add_clan_profile(dataset& data, boost::json::object const& clan, bytes profile);
/// A search result item, last in the search order (no effect when the clan is already searchable).
void add_clan_summary(dataset& data, boost::json::object const& item);
/// Stores a clan profile as it changed or was made: memberList sorted by trophies and ranked,
/// `members` counted, its /members list, war-log privacy and search entry (made when it has none,
/// else its member count updated) follow it.
void put_clan(dataset& data, boost::json::object clan);
/// Stores a player profile.
void put_player(dataset& data, boost::json::object const& player);
/// A player profile; a new player goes last in dataset::player_order.
void add_player_profile(dataset& data, std::string const& tag, bytes profile);

}  // namespace overworld::sandbox::detail
