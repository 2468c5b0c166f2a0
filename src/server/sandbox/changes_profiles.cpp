// Profile changes: a clan's name, description, badge, type, location, war-log privacy and level; a
// member's role; a player's name, halls, experience and league; a hero's, troop's or spell's level
// and an achievement's progress.
#include "build.hpp"
#include "changes_detail.hpp"
#include "entities.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <tuple>

namespace overworld::sandbox {

using namespace edit;

namespace {

constexpr std::array<std::string_view, 4> roles{"member", "admin", "coLeader", "leader"};
constexpr std::array<std::string_view, 3> clan_types{"open", "inviteOnly", "closed"};

template <std::size_t N>
bool one_of(std::array<std::string_view, N> const& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// The object stored under `id` in an id table (a location, a league tier).
std::optional<json::object> by_id(id_table const& table, std::int64_t id) {
  auto it = table.by_id.find(id);
  if (it == table.by_id.end()) return std::nullopt;
  return parse_object(it->second);
}

change_result apply_clan_fields(dataset const& data, clan_profile const& change, json::object& clan) {
  if (change.type && !one_of(clan_types, *change.type)) return refuse(400, "type must be open, inviteOnly or closed");
  if (change.clan_level && (*change.clan_level < 1 || *change.clan_level > 50)) {
    return refuse(400, "clanLevel must be between 1 and 50");
  }
  if (change.location_id) {
    auto location = by_id(*data.locations, *change.location_id);
    if (!location) return refuse(400, "no location " + std::to_string(*change.location_id));
    clan["location"] = std::move(*location);
  }
  if (change.name) {
    if (change.name->empty()) return refuse(400, "name cannot be empty");
    clan["name"] = *change.name;
  }
  if (change.description) clan["description"] = *change.description;
  if (change.type) clan["type"] = *change.type;
  if (change.clan_level) clan["clanLevel"] = *change.clan_level;
  if (change.war_log_public) clan["isWarLogPublic"] = *change.war_log_public;
  if (change.badge)
    clan["badgeUrls"] = json::object{{"small", *change.badge}, {"large", *change.badge}, {"medium", *change.badge}};
  return std::nullopt;
}

json::array* player_list(json::object& player, std::string const& list) {
  auto* v = player.if_contains(list);
  if (!v) v = &(player[list] = json::array{});
  return v->is_array() ? &v->get_array() : nullptr;
}

/// Edits a player's profile and, when the player is in a clan, its entry in the clan's lists.
change_result edit_player_everywhere(dataset& data, std::string const& player_tag,
                                     std::function<bool(json::object&)> const& edit) {
  auto const* entry = data.player(player_tag);
  auto player = entry ? parse_object(entry->profile) : std::nullopt;
  if (!player) return refuse(404, "no player " + player_tag);
  auto const* clan = player->if_contains("clan");
  auto const clan_tag = clan && clan->is_object() ? detail::string_of(clan->get_object(), "tag") : std::string{};
  json::object profile;
  if (!clan_tag.empty() && !load_clan(data, clan_tag, profile) && find_member(member_list(profile), player_tag)) {
    edit_members(data, clan_tag, [&](json::object& p) { return detail::string_of(p, "tag") == player_tag && edit(p); });
  } else {
    edit_player(data, player_tag, edit);
  }
  return std::nullopt;
}

}  // namespace

change_result change_clan_profile(dataset& data, std::string const& clan_tag, clan_profile const& change) {
  json::object clan;
  if (auto r = load_clan(data, clan_tag, clan)) return r;
  if (auto r = apply_clan_fields(data, change, clan)) return r;
  auto const reference = detail::clan_reference(clan);
  json::object summary = clan;
  summary.erase("memberList");
  store_clan(data, clan_tag, std::move(clan));
  // The search entry and the members' profiles show the clan as it is now.
  data.clans[clan_tag].summary = detail::make_summary(detail::summary_of_profile(summary));
  edit_members(data, clan_tag, [&](json::object& p) {
    p["clan"] = reference;
    return true;
  });
  return std::nullopt;
}

change_result set_member_role(dataset& data, std::string const& clan_tag, std::string const& player_tag,
                              std::string const& role) {
  if (!one_of(roles, role)) return refuse(400, "role must be member, admin, coLeader or leader");
  json::object clan;
  if (auto r = load_clan(data, clan_tag, clan)) return r;
  auto* member = find_member(member_list(clan), player_tag);
  if (!member) return refuse(404, player_tag + " is not a member of " + clan_tag);
  if (role == "leader") {
    for (auto& m : member_list(clan)) {  // a clan has one leader: the one it had steps down
      if (m.is_object() && detail::string_of(m.get_object(), "role") == "leader") m.get_object()["role"] = "coLeader";
    }
  }
  (*member)["role"] = role;
  json::array const after = member_list(clan);
  store_clan(data, clan_tag, std::move(clan));
  edit_members(data, clan_tag, [&](json::object& p) {
    auto const tag = detail::string_of(p, "tag");
    for (auto const& m : after) {
      if (!m.is_object() || detail::string_of(m.get_object(), "tag") != tag) continue;
      auto const now = detail::string_of(m.get_object(), "role");
      if (detail::string_of(p, "role") == now) return false;
      p["role"] = now;
      return true;
    }
    return false;
  });
  return std::nullopt;
}

change_result change_player_profile(dataset& data, std::string const& player_tag, player_profile const& change) {
  std::optional<json::object> tier;
  if (change.league_tier_id) {
    tier = by_id(*data.league_tiers, *change.league_tier_id);
    if (!tier) return refuse(400, "no league tier " + std::to_string(*change.league_tier_id));
  }
  for (auto const& [value, low, high, key] :
       {std::tuple{change.town_hall, 1, 20, "townHallLevel"},
        std::tuple{change.builder_hall, 1, 12, "builderHallLevel"}, std::tuple{change.exp_level, 1, 600, "expLevel"}}) {
    if (value && (*value < low || *value > high)) return refuse(400, std::string{key} + " is out of range");
  }
  if (change.name && change.name->empty()) return refuse(400, "name cannot be empty");
  auto const edit = [&](json::object& p) {
    if (change.name) p["name"] = *change.name;
    if (change.town_hall) p["townHallLevel"] = *change.town_hall;
    if (change.builder_hall) p["builderHallLevel"] = *change.builder_hall;
    if (change.exp_level) p["expLevel"] = *change.exp_level;
    if (tier) p["leagueTier"] = *tier;
    return true;
  };
  return edit_player_everywhere(data, player_tag, edit);
}

change_result set_player_item(dataset& data, std::string const& player_tag, player_item const& change) {
  bool const achievement = change.list == "achievements";
  if (!achievement && change.list != "heroes" && change.list != "troops" && change.list != "spells") {
    return refuse(400, "list must be heroes, troops, spells or achievements");
  }
  if (change.value < 0 || change.value > 2'000'000'000) return refuse(400, "the value is out of range");
  if (change.stars && (*change.stars < 0 || *change.stars > 3)) return refuse(400, "stars must be 0 to 3");
  change_result refused;
  auto const edit = [&](json::object& p) {
    auto* list = player_list(p, change.list);
    if (!list) {
      refused = refusal{409, change.list + " is not a list"};
      return false;
    }
    json::object* found = nullptr;
    for (auto& item : *list) {
      if (item.is_object() && detail::string_of(item.get_object(), "name") == change.name) found = &item.get_object();
    }
    if (!found) {  // unlocked (or, for an achievement, begun) now
      if (achievement) {
        list->push_back(json::object{{"name", change.name},
                                     {"stars", 0},
                                     {"value", 0},
                                     {"target", change.value},
                                     {"info", ""},
                                     {"village", "home"}});
      } else {
        list->push_back(
            json::object{{"name", change.name}, {"level", 0}, {"maxLevel", change.value}, {"village", "home"}});
      }
      found = &list->back().get_object();
    }
    (*found)[achievement ? "value" : "level"] = change.value;
    if (!achievement && detail::int_of(*found, "maxLevel") < change.value) (*found)["maxLevel"] = change.value;
    if (achievement && change.stars) (*found)["stars"] = *change.stars;
    return true;
  };
  if (auto r = edit_player_everywhere(data, player_tag, edit)) return r;
  return refused;
}

}  // namespace overworld::sandbox
