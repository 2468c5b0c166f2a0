// The handlers of the /v1 operations, as free functions of (dataset, request, clock), and the
// response shapes of the real API they share.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/http/message.hpp>
#include <overworld/server/sandbox/dataset.hpp>

#include <optional>
#include <string_view>

namespace overworld::sandbox::detail {

/// How long an answer may be cached: the remaining lifetime of an edge-cache entry of `ttl`
/// seconds, whose windows are counted on the world's clock (on the service clock when the world
/// stands still), in real seconds.
struct cache_timer {
  clock const& real;
  double scale = 0;           ///< world seconds per real second
  std::int64_t world_ms = 0;  ///< the world's time now, when it moves
  std::int64_t max_age(std::int64_t ttl) const;
};

struct call {
  dataset const& data;
  http::request const& req;
  std::int64_t now;  ///< the world time the answer is as of
  cache_timer const& cache;
};

/// The Legend League among the league tiers; its seasons are the legacy Legend League's.
inline constexpr std::int64_t legend_league_tier_id = 105000034;

/// How long the answers of the operations are cached (max-age), each a multiple of the last
/// ones that divide it, so that cache windows start on whole world minutes.
inline constexpr std::int64_t cache_lifetimes[] = {60, 120, 300, 600, 3600};

/// Errors carry this malformed value on the real API (a space where a comma belongs).
inline constexpr std::string_view error_cache_control = "public max-age=600";

/// 200 with the remaining lifetime of an edge-cache entry of `ttl` seconds: it counts down from
/// `ttl` to 1 and starts again, the same for every client.
http::response ok(call const& c, bytes body, std::int64_t ttl);
http::response ok(call const& c, std::string body, std::int64_t ttl);
/// {"reason":…,"message":…} (no message when empty) as the real API sends errors.
http::response error(unsigned status, std::string_view reason, std::string_view message = {},
                     std::string_view cache_control = error_cache_control);
http::response not_found_tag(std::string_view tag);
http::response unknown_parameter(std::string_view name);

using handler_fn = http::response (*)(call const&);

// Clans and players (handlers_clans.cpp).
http::response search_clans(call const& c);
http::response get_clan(call const& c);
http::response get_members(call const& c);
http::response get_warlog(call const& c);
http::response get_current_war(call const& c);
http::response get_league_group(call const& c);
http::response get_cwl_war(call const& c);
http::response get_raid_seasons(call const& c);
http::response get_player(call const& c);
http::response verify_token(call const& c);
http::response get_battlelog(call const& c);
http::response get_league_history(call const& c);

// Leagues, locations, labels, gold pass (handlers_leagues.cpp).
http::response list_league_tiers(call const& c);
http::response get_league_tier(call const& c);
http::response list_leagues(call const& c);
http::response get_league(call const& c);
http::response list_league_seasons(call const& c);
http::response get_league_season(call const& c);
http::response get_ranked_group(call const& c);
http::response list_war_leagues(call const& c);
http::response get_war_league(call const& c);
http::response list_capital_leagues(call const& c);
http::response get_capital_league(call const& c);
http::response list_builder_base_leagues(call const& c);
http::response get_builder_base_league(call const& c);
http::response list_locations(call const& c);
http::response get_location(call const& c);
http::response clan_rankings(call const& c);
http::response player_rankings(call const& c);
http::response clan_builder_base_rankings(call const& c);
http::response player_builder_base_rankings(call const& c);
http::response capital_rankings(call const& c);
http::response gold_pass(call const& c);
http::response clan_labels(call const& c);
http::response player_labels(call const& c);

/// The page a request asks for, or the 400 to answer.
std::optional<page_request> paging(http::request const& req, http::response& bad);
/// A stored list, paged as asked.
http::response list(call const& c, paged_list const& items, std::int64_t ttl);

}  // namespace overworld::sandbox::detail
