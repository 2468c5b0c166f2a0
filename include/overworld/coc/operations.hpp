// The operations of the CoC v1 API at run time, generated from their one declaration
// (coc/operation_list.hpp): method, path template (the OpenAPI description's, with {clanTag},
// {leagueId}, …), parameters, whether it pages, and the model its answer decodes into. The raw
// client builds every request from this table, the CLI makes a command of every row, and a test
// holds it against docs/api/coc-openapi-2026-endpoints.json: every operation, path and parameter.
#pragma once

#include <overworld/coc/operation_list.hpp>
#include <overworld/http/message.hpp>

#include <array>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace overworld::coc {

#define OVERWORLD_COC_OPERATION_ENUMERATOR(name, method, route, shape, query, pg, model) name,
/// One enumerator per operation, in the order of the list.
enum class op { OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_OPERATION_ENUMERATOR) };
#undef OVERWORLD_COC_OPERATION_ENUMERATOR

#define OVERWORLD_COC_OPERATION_ONE(...) +1
inline constexpr std::size_t operation_count = 0 OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_OPERATION_ONE);
#undef OVERWORLD_COC_OPERATION_ONE

/// The parameters an operation's calls take (the shapes of operation_list.hpp).
enum class param_shape {
  none,               ///< nothing (but paging)
  tag,                ///< a player, clan or war tag
  id,                 ///< a numeric id
  where,              ///< a location id or "global"
  id_season,          ///< a league id and a season id
  tag_season_player,  ///< a league group tag, a season id and optionally a player tag (query)
  tag_token,          ///< a player tag and a token (the body)
  filters,            ///< the clan search's filters
};

/// How many path segments the calls of `shape` fill.
constexpr std::size_t path_segments(param_shape shape) noexcept {
  switch (shape) {
    case param_shape::none:
    case param_shape::filters:
      return 0;
    case param_shape::id_season:
    case param_shape::tag_season_player:
      return 2;
    default:
      return 1;
  }
}

struct operation {
  op id;
  std::string_view name;  ///< the client's, the typed API's and the blocking client's member function
  http::verb method;
  std::string_view path;  ///< relative to /v1, with the API's {parameter} names
  param_shape shape;      ///< what the calls take
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
std::string expand_path(operation const& o, std::span<std::string_view const> segments);
std::string expand_path(operation const& o, std::initializer_list<std::string_view> segments);

}  // namespace overworld::coc
