// The Clash of Clans v1 API, one row per operation: everything else is generated from this list —
// the `op` enum and the runtime table (operations.hpp), the raw client's calls (client.hpp), the
// typed API's calls and their answer types (api.hpp), the blocking client's calls and its
// `NAME_all` ranges (blocking.hpp), and the CLI's `overworld coc` commands.
//
//   X(name, verb, "path", params, "query", paging, model)
//
//   name    the call's name in every layer (client::clan_members, api::clan_members, …)
//   verb    get or post
//   path    the OpenAPI description's path, relative to /v1, with its {parameter} names
//   params  the call's parameters (one of the OVERWORLD_COC_PARAMS_* shapes below): the path's
//           segments in order, plus what a few operations take besides (a body, filters)
//   query   the query parameters besides paging, in the API's spelling, comma-separated
//   paging  paged (takes limit / after / before and answers with cursors) or single
//   model   what the answer decodes into (coc/models/)
//
// Adding an operation is one row here plus its model (and its decode<T>); a test holds the rows
// to docs/api/coc-openapi-2026-endpoints.json.
#pragma once

// clang-format off
#define OVERWORLD_COC_OPERATIONS(X)                                                                                    \
  X(search_clans, get, "/clans", filters,                                                                              \
    "name,warFrequency,locationId,minMembers,maxMembers,minClanPoints,minClanLevel,labelIds", paged, list<clan>)       \
  X(clan, get, "/clans/{clanTag}", tag, "", single, clan)                                                              \
  X(clan_members, get, "/clans/{clanTag}/members", tag, "", paged, list<clan_member>)                                  \
  X(war_log, get, "/clans/{clanTag}/warlog", tag, "", paged, list<war_log_entry>)                                      \
  X(current_war, get, "/clans/{clanTag}/currentwar", tag, "", single, clan_war)                                        \
  X(league_group, get, "/clans/{clanTag}/currentwar/leaguegroup", tag, "", single, war_league_group)                   \
  X(cwl_war, get, "/clanwarleagues/wars/{warTag}", tag, "", single, clan_war)                                          \
  X(raid_seasons, get, "/clans/{clanTag}/capitalraidseasons", tag, "", paged, list<raid_season>)                       \
  X(player, get, "/players/{playerTag}", tag, "", single, player)                                                      \
  X(verify_token, post, "/players/{playerTag}/verifytoken", tag_token, "", single, token_verification)                 \
  X(battle_log, get, "/players/{playerTag}/battlelog", tag, "", single, list<battle_log_entry>)                        \
  X(league_history, get, "/players/{playerTag}/leaguehistory", tag, "", single, list<league_history_entry>)            \
  X(league_tiers, get, "/leaguetiers", none, "", paged, list<league_tier>)                                             \
  X(league_tier, get, "/leaguetiers/{leagueTierId}", id, "", single, league_tier)                                      \
  X(leagues, get, "/leagues", none, "", paged, list<league>)                                                           \
  X(league, get, "/leagues/{leagueId}", id, "", single, league)                                                        \
  X(league_seasons, get, "/leagues/{leagueId}/seasons", id, "", paged, list<league_season>)                            \
  X(league_season_rankings, get, "/leagues/{leagueId}/seasons/{seasonId}", id_season, "", paged, list<player_ranking>) \
  X(ranked_league_group, get, "/leaguegroup/{leagueGroupTag}/{leagueSeasonId}", tag_season_player, "playerTag",        \
    single, ranked_league_group)                                                                                       \
  X(war_leagues, get, "/warleagues", none, "", paged, list<war_league>)                                                \
  X(war_league, get, "/warleagues/{leagueId}", id, "", single, war_league)                                             \
  X(capital_leagues, get, "/capitalleagues", none, "", paged, list<capital_league>)                                    \
  X(capital_league, get, "/capitalleagues/{leagueId}", id, "", single, capital_league)                                 \
  X(builder_base_leagues, get, "/builderbaseleagues", none, "", paged, list<builder_base_league>)                      \
  X(builder_base_league, get, "/builderbaseleagues/{leagueId}", id, "", single, builder_base_league)                   \
  X(locations, get, "/locations", none, "", paged, list<location>)                                                     \
  X(location, get, "/locations/{locationId}", id, "", single, location)                                                \
  X(clan_rankings, get, "/locations/{locationId}/rankings/clans", where, "", paged, list<clan_ranking>)                \
  X(player_rankings, get, "/locations/{locationId}/rankings/players", where, "", paged, list<player_ranking>)          \
  X(clan_builder_base_rankings, get, "/locations/{locationId}/rankings/clans-builder-base", where, "", paged,           \
    list<clan_ranking>)                                                                                                \
  X(player_builder_base_rankings, get, "/locations/{locationId}/rankings/players-builder-base", where, "", paged,      \
    list<player_ranking>)                                                                                              \
  X(capital_rankings, get, "/locations/{locationId}/rankings/capitals", where, "", paged, list<clan_ranking>)          \
  X(gold_pass, get, "/goldpass/seasons/current", none, "", single, gold_pass_season)                                   \
  X(clan_labels, get, "/labels/clans", none, "", paged, list<label>)                                                   \
  X(player_labels, get, "/labels/players", none, "", paged, list<label>)
// clang-format on

// The parameter shapes. Each one gives, for a row's `paging`:
//   OVERWORLD_COC_PARAMS_<shape>(paging, D)  the parameter list; D is OVERWORLD_COC_DEFAULT in
//                                            declarations, OVERWORLD_COC_NO_DEFAULT in definitions
//   OVERWORLD_COC_ARGS_<shape>(paging)       the same parameters as arguments
//   OVERWORLD_COC_SHOWN_<shape>              the path's segments as given (for messages)
// and coc::param_shape::<shape> names it at run time (operations.hpp). A paged operation's last
// parameter is its `paging`, except with `filters`, where clan_search carries it.
#define OVERWORLD_COC_DEFAULT(value) = value
#define OVERWORLD_COC_NO_DEFAULT(value)

#define OVERWORLD_COC_PAGE_ONLY_paged(D) paging const& page D(paging())
#define OVERWORLD_COC_PAGE_ONLY_single(D)
#define OVERWORLD_COC_PAGE_AFTER_paged(D) , paging const& page D(paging())
#define OVERWORLD_COC_PAGE_AFTER_single(D)
#define OVERWORLD_COC_PAGE_ARG_ONLY_paged page
#define OVERWORLD_COC_PAGE_ARG_ONLY_single
#define OVERWORLD_COC_PAGE_ARG_AFTER_paged , page
#define OVERWORLD_COC_PAGE_ARG_AFTER_single

/// No path parameter: GET /leagues.
#define OVERWORLD_COC_PARAMS_none(pg, D) OVERWORLD_COC_PAGE_ONLY_##pg(D)
#define OVERWORLD_COC_ARGS_none(pg) OVERWORLD_COC_PAGE_ARG_ONLY_##pg
#define OVERWORLD_COC_SHOWN_none \
  {}
/// A player, clan or war tag ("#2PP" or "2pp"), checked before anything is sent.
#define OVERWORLD_COC_PARAMS_tag(pg, D) std::string_view tag OVERWORLD_COC_PAGE_AFTER_##pg(D)
#define OVERWORLD_COC_ARGS_tag(pg) tag OVERWORLD_COC_PAGE_ARG_AFTER_##pg
#define OVERWORLD_COC_SHOWN_tag \
  { tag }
/// A numeric id (league, location).
#define OVERWORLD_COC_PARAMS_id(pg, D) std::int64_t id OVERWORLD_COC_PAGE_AFTER_##pg(D)
#define OVERWORLD_COC_ARGS_id(pg) id OVERWORLD_COC_PAGE_ARG_AFTER_##pg
#define OVERWORLD_COC_SHOWN_id \
  { std::to_string(id) }
/// A location of the rankings: an id or location_ref::global().
#define OVERWORLD_COC_PARAMS_where(pg, D) location_ref const& where OVERWORLD_COC_PAGE_AFTER_##pg(D)
#define OVERWORLD_COC_ARGS_where(pg) where OVERWORLD_COC_PAGE_ARG_AFTER_##pg
#define OVERWORLD_COC_SHOWN_where \
  { where.segment() }
/// A league id and one of its season ids ("2026-03").
#define OVERWORLD_COC_PARAMS_id_season(pg, D) \
  std::int64_t league_id, std::string_view season_id OVERWORLD_COC_PAGE_AFTER_##pg(D)
#define OVERWORLD_COC_ARGS_id_season(pg) league_id, season_id OVERWORLD_COC_PAGE_ARG_AFTER_##pg
#define OVERWORLD_COC_SHOWN_id_season \
  { std::to_string(league_id), season_id }
/// A group tag and a season id, and optionally the player whose view of the group is asked.
#define OVERWORLD_COC_PARAMS_tag_season_player(pg, D) \
  std::string_view group_tag, std::string_view season_id, std::string_view player_tag D({})
#define OVERWORLD_COC_ARGS_tag_season_player(pg) group_tag, season_id, player_tag
#define OVERWORLD_COC_SHOWN_tag_season_player \
  { group_tag, season_id }
/// A player tag and the token to check, sent as the JSON body {"token": …}; never cached.
#define OVERWORLD_COC_PARAMS_tag_token(pg, D) std::string_view tag, std::string_view token
#define OVERWORLD_COC_ARGS_tag_token(pg) tag, token
#define OVERWORLD_COC_SHOWN_tag_token \
  { tag }
/// The clan search's filters (clan_search), with its paging in them.
#define OVERWORLD_COC_PARAMS_filters(pg, D) clan_search filters
#define OVERWORLD_COC_ARGS_filters(pg) filters
#define OVERWORLD_COC_SHOWN_filters \
  {}

#define OVERWORLD_COC_IS_PAGED_paged true
#define OVERWORLD_COC_IS_PAGED_single false

/// A row's parameter list and arguments.
#define OVERWORLD_COC_PARAMS(shape, pg, D) OVERWORLD_COC_PARAMS_##shape(pg, D)
#define OVERWORLD_COC_ARGS(shape, pg) OVERWORLD_COC_ARGS_##shape(pg)

/// `M(name, shape)` for a paged row, nothing for a single one.
#define OVERWORLD_COC_IF_PAGED_paged(M, name, shape) M(name, shape)
#define OVERWORLD_COC_IF_PAGED_single(M, name, shape)
#define OVERWORLD_COC_IF_PAGED(pg, M, name, shape) OVERWORLD_COC_IF_PAGED_##pg(M, name, shape)
