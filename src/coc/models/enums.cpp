#include <overworld/coc/models/enums.hpp>

#include <array>
#include <utility>

namespace overworld::coc {
namespace {

template <class E, std::size_t N>
using table = std::array<std::pair<E, std::string_view>, N>;

template <class E, std::size_t N>
std::string_view name_in(table<E, N> const& t, E v) noexcept {
  for (auto const& [value, name] : t) {
    if (value == v) return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_in(table<E, N> const& t, std::string_view s) noexcept {
  for (auto const& [value, name] : t) {
    if (name == s) return value;
  }
  return std::nullopt;
}

// The API's spelling (camelCase); the official swagger's upper-case names are not what it sends.
constexpr table<clan_role, 5> roles{{{clan_role::not_member, "notMember"},
                                     {clan_role::member, "member"},
                                     {clan_role::admin, "admin"},
                                     {clan_role::co_leader, "coLeader"},
                                     {clan_role::leader, "leader"}}};
constexpr table<war_state, 4> war_states{{{war_state::not_in_war, "notInWar"},
                                          {war_state::preparation, "preparation"},
                                          {war_state::in_war, "inWar"},
                                          {war_state::war_ended, "warEnded"}}};
constexpr table<league_group_state, 5> group_states{{{league_group_state::group_not_found, "groupNotFound"},
                                                     {league_group_state::not_in_war, "notInWar"},
                                                     {league_group_state::preparation, "preparation"},
                                                     {league_group_state::in_war, "inWar"},
                                                     {league_group_state::ended, "ended"}}};
constexpr table<war_frequency, 7> frequencies{{{war_frequency::unknown, "unknown"},
                                               {war_frequency::always, "always"},
                                               {war_frequency::more_than_once_per_week, "moreThanOncePerWeek"},
                                               {war_frequency::once_per_week, "oncePerWeek"},
                                               {war_frequency::less_than_once_per_week, "lessThanOncePerWeek"},
                                               {war_frequency::never, "never"},
                                               {war_frequency::any, "any"}}};
constexpr table<war_result, 3> results{
    {{war_result::win, "win"}, {war_result::lose, "lose"}, {war_result::tie, "tie"}}};
constexpr table<village, 3> villages{
    {{village::home, "home"}, {village::builder_base, "builderBase"}, {village::clan_capital, "clanCapital"}}};
constexpr table<clan_type, 3> clan_types{
    {{clan_type::open, "open"}, {clan_type::invite_only, "inviteOnly"}, {clan_type::closed, "closed"}}};
constexpr table<war_preference, 2> preferences{{{war_preference::in, "in"}, {war_preference::out, "out"}}};
constexpr table<battle_modifier, 2> modifiers{
    {{battle_modifier::none, "none"}, {battle_modifier::hard_mode, "hardMode"}}};
constexpr table<battle_type, 3> battle_types{
    {{battle_type::home_village, "homeVillage"}, {battle_type::legend, "legend"}, {battle_type::ranked, "ranked"}}};
constexpr table<raid_state, 2> raid_states{{{raid_state::ongoing, "ongoing"}, {raid_state::ended, "ended"}}};
constexpr table<token_status, 2> token_statuses{{{token_status::ok, "ok"}, {token_status::invalid, "invalid"}}};

}  // namespace

#define OVERWORLD_COC_ENUM(E, TABLE)                                     \
  std::string_view to_string(E v) noexcept { return name_in(TABLE, v); } \
  template <>                                                            \
  std::optional<E> parse_enum<E>(std::string_view text) noexcept {       \
    return value_in(TABLE, text);                                        \
  }

OVERWORLD_COC_ENUM(clan_role, roles)
OVERWORLD_COC_ENUM(war_state, war_states)
OVERWORLD_COC_ENUM(league_group_state, group_states)
OVERWORLD_COC_ENUM(war_frequency, frequencies)
OVERWORLD_COC_ENUM(war_result, results)
OVERWORLD_COC_ENUM(village, villages)
OVERWORLD_COC_ENUM(clan_type, clan_types)
OVERWORLD_COC_ENUM(war_preference, preferences)
OVERWORLD_COC_ENUM(battle_modifier, modifiers)
OVERWORLD_COC_ENUM(battle_type, battle_types)
OVERWORLD_COC_ENUM(raid_state, raid_states)
OVERWORLD_COC_ENUM(token_status, token_statuses)

#undef OVERWORLD_COC_ENUM

}  // namespace overworld::coc
