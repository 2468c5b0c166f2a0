// The API's enumerated strings. Every enum has an `unknown` value: a string this SDK does not know
// yet (the game adds some with updates) decodes as `unknown` instead of failing, and the original
// string stays in the model's `extra` under the field's key so that to_json() writes it back.
#pragma once

#include <optional>
#include <string_view>

namespace overworld::coc {

/// A member's rank in a clan ("admin" is what the game calls an elder).
enum class clan_role { unknown, not_member, member, admin, co_leader, leader };
/// A regular or CWL war's state.
enum class war_state { unknown, not_in_war, preparation, in_war, war_ended };
/// A Clan War League group's state.
enum class league_group_state { unknown, group_not_found, not_in_war, preparation, in_war, ended };
/// A clan's declared war frequency; the API itself sends "unknown" for clans that never set it.
enum class war_frequency {
  unknown,
  always,
  more_than_once_per_week,
  once_per_week,
  less_than_once_per_week,
  never,
  any
};
enum class war_result { unknown, win, lose, tie };
enum class village { unknown, home, builder_base, clan_capital };
enum class clan_type { unknown, open, invite_only, closed };
enum class war_preference { unknown, in, out };
enum class battle_modifier { unknown, none, hard_mode };
/// The kind of a battle log entry.
enum class battle_type { unknown, home_village, legend, ranked };
/// A capital raid weekend's state.
enum class raid_state { unknown, ongoing, ended };
/// The outcome of POST /players/{tag}/verifytoken.
enum class token_status { unknown, ok, invalid };

/// Every enum above, once: OVERWORLD_COC_ENUMS(X) expands X(E) for each, so that the functions
/// below are declared, defined and used for all of them from this one list.
#define OVERWORLD_COC_ENUMS(X) \
  X(clan_role)                 \
  X(war_state)                 \
  X(league_group_state)        \
  X(war_frequency)             \
  X(war_result)                \
  X(village)                   \
  X(clan_type)                 \
  X(war_preference)            \
  X(battle_modifier)           \
  X(battle_type)               \
  X(raid_state)                \
  X(token_status)

/// The value the API's string stands for; nullopt for a string this SDK does not know.
/// E is one of the enums above: `coc::parse_enum<coc::clan_role>("coLeader")`.
template <class E>
std::optional<E> parse_enum(std::string_view text) noexcept;

// For each enum E above:
//  - to_string(E) is the API's string for a value ("coLeader"); "unknown" for `unknown`.
//  - display_name(E) is what the game shows for a value, in English: display_name(clan_role::admin)
//    is "Elder", clan_role::co_leader "Co-leader", war_state::in_war "Battle day", war_result::tie
//    "Draw", war_frequency::unknown "Not set"; "Unknown" for a value the SDK does not know.
//  - parse_enum<E>(text), as above.
#define OVERWORLD_COC_ENUM_FUNCTIONS(E)        \
  std::string_view to_string(E v) noexcept;    \
  std::string_view display_name(E v) noexcept; \
  template <>                                  \
  std::optional<E> parse_enum<E>(std::string_view text) noexcept;
OVERWORLD_COC_ENUMS(OVERWORLD_COC_ENUM_FUNCTIONS)
#undef OVERWORLD_COC_ENUM_FUNCTIONS

/// parse_enum, with `unknown` for a string this SDK does not know.
template <class E>
E enum_or_unknown(std::string_view text) noexcept {
  return parse_enum<E>(text).value_or(E::unknown);
}

}  // namespace overworld::coc
