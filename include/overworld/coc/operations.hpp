// The 35 operations of the CoC v1 API, declared once: method, path template (the OpenAPI
// description's, with {clanTag}, {leagueId}, …), query parameters, whether it pages, and the model
// its answer decodes into. The raw client builds every path from this table (expand_path), the
// CLI and documentation can list it, and a test holds it against
// docs/api/coc-openapi-2026-endpoints.json: every operation, path and parameter.
#pragma once

#include <overworld/http/message.hpp>

#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace overworld::coc {

/// The operations' names, in the order of `op`: X(name) for each, to declare one member per
/// operation (blocking.hpp) without listing them again.
#define OVERWORLD_COC_OPERATIONS(X) \
  X(search_clans)                   \
  X(clan)                           \
  X(clan_members)                   \
  X(war_log)                        \
  X(current_war)                    \
  X(league_group)                   \
  X(cwl_war)                        \
  X(raid_seasons)                   \
  X(player)                         \
  X(verify_token)                   \
  X(battle_log)                     \
  X(league_history)                 \
  X(league_tiers)                   \
  X(league_tier)                    \
  X(leagues)                        \
  X(league)                         \
  X(league_seasons)                 \
  X(league_season_rankings)         \
  X(ranked_league_group)            \
  X(war_leagues)                    \
  X(war_league)                     \
  X(capital_leagues)                \
  X(capital_league)                 \
  X(builder_base_leagues)           \
  X(builder_base_league)            \
  X(locations)                      \
  X(location)                       \
  X(clan_rankings)                  \
  X(player_rankings)                \
  X(clan_builder_base_rankings)     \
  X(player_builder_base_rankings)   \
  X(capital_rankings)               \
  X(gold_pass)                      \
  X(clan_labels)                    \
  X(player_labels)

#define OVERWORLD_COC_OPERATION_ENUMERATOR(name) name,
enum class op { OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_OPERATION_ENUMERATOR) };
#undef OVERWORLD_COC_OPERATION_ENUMERATOR

inline constexpr std::size_t operation_count = 35;

struct operation {
  op id;
  std::string_view name;  ///< the client's and the typed API's member function
  http::verb method;
  std::string_view path;  ///< relative to /v1, with the API's {parameter} names
  /// Query parameters besides paging, in the API's spelling, comma-separated ("name,warFrequency").
  std::string_view query;
  bool paged;              ///< takes limit / after / before and answers with paging cursors
  std::string_view model;  ///< what the answer decodes into ("list<clan_member>")
};

/// Every operation, in the order of `op`.
std::span<operation const, operation_count> operations() noexcept;
/// The row of one operation.
operation const& operation_of(op id) noexcept;

/// The path of `o` with its {…} parameters replaced, in order, by `segments` (encoded already:
/// "%232PP"). Throws std::invalid_argument when the count differs.
std::string expand_path(operation const& o, std::initializer_list<std::string_view> segments);

}  // namespace overworld::coc
