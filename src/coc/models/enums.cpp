#include "codec.hpp"

#include <overworld/coc/models/enums.hpp>

#include <array>
#include <utility>

namespace overworld::coc {
namespace {

// One row per value: the API's string and what the game shows.
template <class E>
struct entry {
  E value;
  std::string_view api;
  std::string_view display;
};

template <class E, std::size_t N>
using table = std::array<entry<E>, N>;

template <class E, std::size_t N>
entry<E> const* row_of(table<E, N> const& t, E v) noexcept {
  for (auto const& row : t) {
    if (row.value == v) return &row;
  }
  return nullptr;
}

template <class E, std::size_t N>
bool value_in(table<E, N> const& t, std::string_view s, E& out) noexcept {
  for (auto const& row : t) {
    if (row.api == s) {
      out = row.value;
      return true;
    }
  }
  return false;
}

/// The rows of enum E (one specialisation per enum below).
template <class E>
constexpr auto rows = nullptr;

// The API's spelling (camelCase); the official swagger's upper-case names are not what it sends.
// Display names are the game's English ones ("admin" is an Elder).
template <>
constexpr auto rows<clan_role> = table<clan_role, 5>{{{clan_role::not_member, "notMember", "Not a member"},
                                                      {clan_role::member, "member", "Member"},
                                                      {clan_role::admin, "admin", "Elder"},
                                                      {clan_role::co_leader, "coLeader", "Co-leader"},
                                                      {clan_role::leader, "leader", "Leader"}}};
template <>
constexpr auto rows<war_state> = table<war_state, 4>{{{war_state::not_in_war, "notInWar", "Not in war"},
                                                      {war_state::preparation, "preparation", "Preparation day"},
                                                      {war_state::in_war, "inWar", "Battle day"},
                                                      {war_state::war_ended, "warEnded", "War ended"}}};
template <>
constexpr auto rows<league_group_state> =
    table<league_group_state, 5>{{{league_group_state::group_not_found, "groupNotFound", "Not in a league group"},
                                  {league_group_state::not_in_war, "notInWar", "Not in war"},
                                  {league_group_state::preparation, "preparation", "Preparation day"},
                                  {league_group_state::in_war, "inWar", "Battle day"},
                                  {league_group_state::ended, "ended", "Ended"}}};
template <>
constexpr auto rows<war_frequency> =
    table<war_frequency, 7>{{{war_frequency::unknown, "unknown", "Not set"},
                             {war_frequency::always, "always", "Always"},
                             {war_frequency::more_than_once_per_week, "moreThanOncePerWeek", "Twice a week"},
                             {war_frequency::once_per_week, "oncePerWeek", "Once a week"},
                             {war_frequency::less_than_once_per_week, "lessThanOncePerWeek", "Rarely"},
                             {war_frequency::never, "never", "Never"},
                             {war_frequency::any, "any", "Any"}}};
template <>
constexpr auto rows<war_result> = table<war_result, 3>{
    {{war_result::win, "win", "Victory"}, {war_result::lose, "lose", "Defeat"}, {war_result::tie, "tie", "Draw"}}};
template <>
constexpr auto rows<village> = table<village, 3>{{{village::home, "home", "Home Village"},
                                                  {village::builder_base, "builderBase", "Builder Base"},
                                                  {village::clan_capital, "clanCapital", "Clan Capital"}}};
template <>
constexpr auto rows<clan_type> = table<clan_type, 3>{{{clan_type::open, "open", "Anyone can join"},
                                                      {clan_type::invite_only, "inviteOnly", "Invite only"},
                                                      {clan_type::closed, "closed", "Closed"}}};
template <>
constexpr auto rows<war_preference> =
    table<war_preference, 2>{{{war_preference::in, "in", "Opted in"}, {war_preference::out, "out", "Opted out"}}};
template <>
constexpr auto rows<battle_modifier> = table<battle_modifier, 2>{
    {{battle_modifier::none, "none", "None"}, {battle_modifier::hard_mode, "hardMode", "Hard Mode"}}};
template <>
constexpr auto rows<battle_type> = table<battle_type, 3>{{{battle_type::home_village, "homeVillage", "Home Village"},
                                                          {battle_type::legend, "legend", "Legend League"},
                                                          {battle_type::ranked, "ranked", "Ranked"}}};
template <>
constexpr auto rows<raid_state> =
    table<raid_state, 2>{{{raid_state::ongoing, "ongoing", "Ongoing"}, {raid_state::ended, "ended", "Ended"}}};
template <>
constexpr auto rows<token_status> =
    table<token_status, 2>{{{token_status::ok, "ok", "Valid"}, {token_status::invalid, "invalid", "Invalid"}}};

}  // namespace

#define OVERWORLD_COC_ENUM(E)                                      \
  std::string_view to_string(E v) noexcept {                       \
    auto const* row = row_of(rows<E>, v);                          \
    return row ? row->api : "unknown";                             \
  }                                                                \
  std::string_view display_name(E v) noexcept {                    \
    auto const* row = row_of(rows<E>, v);                          \
    return row ? row->display : "Unknown";                         \
  }                                                                \
  template <>                                                      \
  std::optional<E> parse_enum<E>(std::string_view text) noexcept { \
    E value{};                                                     \
    if (value_in(rows<E>, text, value)) return value;              \
    return std::nullopt;                                           \
  }                                                                \
  bool models_detail::enum_from_text(std::string_view text, E& out) noexcept { return value_in(rows<E>, text, out); }

OVERWORLD_COC_ENUMS(OVERWORLD_COC_ENUM)

#undef OVERWORLD_COC_ENUM

}  // namespace overworld::coc
