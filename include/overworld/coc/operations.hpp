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

enum class op {
  search_clans,
  clan,
  clan_members,
  war_log,
  current_war,
  league_group,
  cwl_war,
  raid_seasons,
  player,
  verify_token,
  battle_log,
  league_history,
  league_tiers,
  league_tier,
  leagues,
  league,
  league_seasons,
  league_season_rankings,
  ranked_league_group,
  war_leagues,
  war_league,
  capital_leagues,
  capital_league,
  builder_base_leagues,
  builder_base_league,
  locations,
  location,
  clan_rankings,
  player_rankings,
  clan_builder_base_rankings,
  player_builder_base_rankings,
  capital_rankings,
  gold_pass,
  clan_labels,
  player_labels,
};

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
