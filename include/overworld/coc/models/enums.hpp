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

/// The API's string for a value ("coLeader"); "unknown" for `unknown`.
std::string_view to_string(clan_role v) noexcept;
std::string_view to_string(war_state v) noexcept;
std::string_view to_string(league_group_state v) noexcept;
std::string_view to_string(war_frequency v) noexcept;
std::string_view to_string(war_result v) noexcept;
std::string_view to_string(village v) noexcept;
std::string_view to_string(clan_type v) noexcept;
std::string_view to_string(war_preference v) noexcept;
std::string_view to_string(battle_modifier v) noexcept;
std::string_view to_string(battle_type v) noexcept;
std::string_view to_string(raid_state v) noexcept;
std::string_view to_string(token_status v) noexcept;

/// What the game shows for a value, in English: display_name(clan_role::admin) is "Elder",
/// clan_role::co_leader "Co-leader", war_state::in_war "Battle day", war_result::tie "Draw",
/// war_frequency::unknown "Not set"; "Unknown" for a value the SDK does not know.
std::string_view display_name(clan_role v) noexcept;
std::string_view display_name(war_state v) noexcept;
std::string_view display_name(league_group_state v) noexcept;
std::string_view display_name(war_frequency v) noexcept;
std::string_view display_name(war_result v) noexcept;
std::string_view display_name(village v) noexcept;
std::string_view display_name(clan_type v) noexcept;
std::string_view display_name(war_preference v) noexcept;
std::string_view display_name(battle_modifier v) noexcept;
std::string_view display_name(battle_type v) noexcept;
std::string_view display_name(raid_state v) noexcept;
std::string_view display_name(token_status v) noexcept;

/// The value the API's string stands for; nullopt for a string this SDK does not know.
/// E is one of the enums above: `coc::parse_enum<coc::clan_role>("coLeader")`.
template <class E>
std::optional<E> parse_enum(std::string_view text) noexcept;
template <>
std::optional<clan_role> parse_enum<clan_role>(std::string_view text) noexcept;
template <>
std::optional<war_state> parse_enum<war_state>(std::string_view text) noexcept;
template <>
std::optional<league_group_state> parse_enum<league_group_state>(std::string_view text) noexcept;
template <>
std::optional<war_frequency> parse_enum<war_frequency>(std::string_view text) noexcept;
template <>
std::optional<war_result> parse_enum<war_result>(std::string_view text) noexcept;
template <>
std::optional<village> parse_enum<village>(std::string_view text) noexcept;
template <>
std::optional<clan_type> parse_enum<clan_type>(std::string_view text) noexcept;
template <>
std::optional<war_preference> parse_enum<war_preference>(std::string_view text) noexcept;
template <>
std::optional<battle_modifier> parse_enum<battle_modifier>(std::string_view text) noexcept;
template <>
std::optional<battle_type> parse_enum<battle_type>(std::string_view text) noexcept;
template <>
std::optional<raid_state> parse_enum<raid_state>(std::string_view text) noexcept;
template <>
std::optional<token_status> parse_enum<token_status>(std::string_view text) noexcept;

/// parse_enum, with `unknown` for a string this SDK does not know.
template <class E>
E enum_or_unknown(std::string_view text) noexcept {
  return parse_enum<E>(text).value_or(E::unknown);
}

}  // namespace overworld::coc
