// Members joining and leaving clans, and players' donations and trophies.
#include "build.hpp"
#include "changes_detail.hpp"
#include "entities.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <functional>

namespace overworld::sandbox {

namespace edit {

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::optional<json::object> parse_object(bytes const& body) {
  if (!body) return std::nullopt;
  return parse_object(std::string_view{*body});
}

void store_clan(dataset& data, std::string const&, json::object clan) { detail::put_clan(data, std::move(clan)); }

change_result load_clan(dataset const& data, std::string const& tag, json::object& out) {
  auto const* entry = data.clan(tag);
  auto profile = entry ? parse_object(entry->profile) : std::nullopt;
  if (!profile) return refuse(404, "no clan " + tag);
  out = std::move(*profile);
  if (auto* list = out.if_contains("memberList"); !list || !list->is_array()) out["memberList"] = json::array{};
  return std::nullopt;
}

json::array& member_list(json::object& clan) { return clan["memberList"].as_array(); }

json::object* find_member(json::array& list, std::string_view tag) {
  for (auto& m : list) {
    if (m.is_object() && detail::string_of(m.get_object(), "tag") == tag) return &m.get_object();
  }
  return nullptr;
}

}  // namespace edit

using namespace edit;

namespace {

constexpr std::array<std::string_view, 4> roles{"member", "admin", "coLeader", "leader"};

change_result load_player(dataset const& data, std::string const& tag, json::object& out) {
  auto const* entry = data.player(tag);
  auto profile = entry ? parse_object(entry->profile) : std::nullopt;
  if (!profile) return refuse(404, "no player " + tag);
  out = std::move(*profile);
  return std::nullopt;
}

void store_player(dataset& data, std::string const& tag, json::object const& player) {
  data.players[tag].profile = detail::share(detail::compact(player));
}

std::string clan_of(json::object const& player) {
  auto const* clan = player.if_contains("clan");
  return clan && clan->is_object() ? detail::string_of(clan->get_object(), "tag") : std::string{};
}

/// Takes the player out of a clan's lists, if it is there.
void remove_member(dataset& data, std::string const& clan_tag, std::string const& player_tag) {
  json::object clan;
  if (load_clan(data, clan_tag, clan)) return;
  auto& list = member_list(clan);
  auto const before = list.size();
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](json::value const& m) {
                              return m.is_object() && detail::string_of(m.get_object(), "tag") == player_tag;
                            }),
             list.end());
  if (list.size() != before) store_clan(data, clan_tag, std::move(clan));
}

void set_role(dataset& data, std::string const& player_tag, std::string const& role) {
  json::object player;
  if (load_player(data, player_tag, player)) return;
  player["role"] = role;
  store_player(data, player_tag, player);
}

}  // namespace

change_result join_clan(dataset& data, std::string const& clan_tag, std::string const& player_tag,
                        std::string const& role) {
  if (std::find(roles.begin(), roles.end(), role) == roles.end()) {
    return refuse(400, "role must be member, admin, coLeader or leader");
  }
  json::object clan, player;
  if (auto r = load_clan(data, clan_tag, clan)) return r;
  if (auto r = load_player(data, player_tag, player)) return r;
  auto& list = member_list(clan);
  if (find_member(list, player_tag)) return refuse(409, player_tag + " is already a member of " + clan_tag);
  if (list.size() >= detail::max_members) return refuse(409, clan_tag + " is full");

  if (auto const old = clan_of(player); !old.empty() && old != clan_tag) remove_member(data, old, player_tag);
  if (role == "leader") {
    // A clan has one leader: the one it had steps down to co-leader.
    for (auto& m : list) {
      if (!m.is_object() || detail::string_of(m.get_object(), "role") != "leader") continue;
      m.get_object()["role"] = "coLeader";
      set_role(data, detail::string_of(m.get_object(), "tag"), "coLeader");
    }
  }
  list.push_back(detail::member_entry(player, role));
  player["clan"] = detail::clan_reference(clan);
  player["role"] = role;
  store_clan(data, clan_tag, std::move(clan));
  store_player(data, player_tag, player);
  return std::nullopt;
}

change_result leave_clan(dataset& data, std::string const& clan_tag, std::string const& player_tag) {
  json::object clan, player;
  if (auto r = load_clan(data, clan_tag, clan)) return r;
  if (auto r = load_player(data, player_tag, player)) return r;
  if (!find_member(member_list(clan), player_tag) && clan_of(player) != clan_tag) {
    return refuse(404, player_tag + " is not a member of " + clan_tag);
  }
  remove_member(data, clan_tag, player_tag);
  if (clan_of(player) == clan_tag) {
    player.erase("clan");
    player.erase("role");
    store_player(data, player_tag, player);
  }
  return std::nullopt;
}

change_result change_player(dataset& data, std::string const& player_tag, player_counters const& values, bool add) {
  std::array<std::pair<char const*, std::optional<std::int64_t>>, 4> const fields{
      {{"donations", values.donations},
       {"donationsReceived", values.donations_received},
       {"trophies", values.trophies},
       {"builderBaseTrophies", values.builder_base_trophies}}};
  if (std::none_of(fields.begin(), fields.end(), [](auto const& f) { return f.second.has_value(); })) {
    return refuse(400, "give donations, donationsReceived, trophies or builderBaseTrophies");
  }
  json::object player;
  if (auto r = load_player(data, player_tag, player)) return r;
  std::vector<std::pair<char const*, std::int64_t>> changed;
  for (auto const& [key, value] : fields) {
    if (!value) continue;
    // Far outside the range either way: refused before the sum, which could overflow.
    if (*value < -2'000'000'000 || *value > 2'000'000'000) {
      return refuse(400, std::string{key} + " must stay between 0 and 10^9");
    }
    std::int64_t const now = add ? detail::int_of(player, key) + *value : *value;
    if (now < 0 || now > 1'000'000'000) return refuse(400, std::string{key} + " must stay between 0 and 10^9");
    changed.emplace_back(key, now);
  }
  for (auto const& [key, value] : changed) player[key] = value;
  for (auto const& [key, best] :
       {std::pair{"trophies", "bestTrophies"}, std::pair{"builderBaseTrophies", "bestBuilderBaseTrophies"}}) {
    if (player.contains(key) && detail::int_of(player, key) > detail::int_of(player, best)) player[best] = player[key];
  }
  store_player(data, player_tag, player);

  json::object clan;
  auto const clan_tag = clan_of(player);
  if (clan_tag.empty() || load_clan(data, clan_tag, clan)) return std::nullopt;
  auto* member = find_member(member_list(clan), player_tag);
  if (!member) return std::nullopt;
  for (auto const& [key, value] : changed) (*member)[key] = value;
  store_clan(data, clan_tag, std::move(clan));
  return std::nullopt;
}

namespace edit {

bool edit_members(dataset& data, std::string const& clan_tag, std::function<bool(json::object&)> const& edit) {
  json::object clan;
  if (load_clan(data, clan_tag, clan)) return false;
  bool changed = false;
  for (auto& m : member_list(clan)) {
    if (!m.is_object()) continue;
    auto& member = m.get_object();
    auto const tag = detail::string_of(member, "tag");
    json::object player;
    if (load_player(data, tag, player) || !edit(player)) continue;
    store_player(data, tag, player);
    for (char const* key : {"name", "townHallLevel", "expLevel", "leagueTier", "trophies", "builderBaseTrophies",
                            "donations", "donationsReceived", "builderBaseLeague"}) {
      if (auto const* v = player.if_contains(key); v && member.contains(key)) member[key] = *v;
    }
    changed = true;
  }
  if (changed) store_clan(data, clan_tag, std::move(clan));
  return changed;
}

bool edit_player(dataset& data, std::string const& tag, std::function<bool(json::object&)> const& edit) {
  json::object player;
  if (load_player(data, tag, player) || !edit(player)) return false;
  store_player(data, tag, player);
  return true;
}

}  // namespace edit

}  // namespace overworld::sandbox
