// Leagues, locations and rankings, labels and the gold pass; the shared response shapes.
#include "handlers.hpp"
#include "views.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace overworld::sandbox::detail {

namespace {

std::optional<std::int64_t> id_param(call const& c, std::string_view name) {
  auto const text = c.req.param(name);
  std::int64_t n = 0;
  auto const [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return n;
}

http::response by_id(call const& c, id_table const& table, std::string_view param, std::string_view error_name,
                     std::int64_t ttl) {
  auto const id = id_param(c, param);
  auto it = id ? table.by_id.find(*id) : table.by_id.end();
  if (it == table.by_id.end()) return unknown_parameter(error_name);
  return ok(c, it->second, ttl);
}

bytes const& empty_list() {
  static bytes const body = std::make_shared<std::string const>(R"({"items":[],"paging":{"cursors":{}}})");
  return body;
}

/// The league of /leagues/{leagueId}/seasons…: a legacy trophy league or, since the league tiers
/// replaced them, a league tier (clients now ask for the Legend League as tier 105000034).
std::optional<std::int64_t> season_league(call const& c) {
  auto const id = id_param(c, "leagueId");
  if (!id || !(c.data.leagues->by_id.contains(*id) || c.data.league_tiers->by_id.contains(*id))) return std::nullopt;
  return id;
}

bool is_legend_league(std::int64_t id) { return id == legend_league_id || id == legend_league_tier_id; }

using rankings_member = paged_list location_rankings::*;

http::response rankings(call const& c, rankings_member which, std::int64_t ttl) {
  auto const param = c.req.param("locationId");
  std::int64_t id = 0;
  if (param != "global") {
    auto const parsed = id_param(c, "locationId");
    auto const country = parsed ? c.data.location_is_country->find(*parsed) : c.data.location_is_country->end();
    if (country == c.data.location_is_country->end()) return unknown_parameter("locationId");
    id = *parsed;
    // Regions are not ranked: an empty list, cached like the region itself.
    if (!country->second) return ok(c, empty_list(), 600);
  }
  http::response bad;
  auto const page = paging(c.req, bad);
  if (!page) return bad;
  auto it = c.data.rankings->find(id);
  if (it == c.data.rankings->end()) return ok(c, page->paged() ? render_page(paged_list{}, *page) : empty_list(), ttl);
  return ok(c, render_page(it->second.*which, *page), ttl);
}

}  // namespace

std::int64_t cache_timer::max_age(std::int64_t ttl) const {
  if (scale <= 0) return ttl - unix_seconds(real.now()) % ttl;
  std::int64_t const window = ttl * 1000;
  auto const left_ms = static_cast<double>(window - (world_ms % window + window) % window) / scale;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(left_ms / 1000)));
}

http::response ok(call const& c, bytes body, std::int64_t ttl) {
  http::response r{200};
  r.content_type = "application/json; charset=utf-8";
  r.shared_body = std::move(body);
  r.header("Cache-Control", "max-age=" + std::to_string(c.cache.max_age(ttl)));
  return r;
}

http::response ok(call const& c, std::string body, std::int64_t ttl) {
  return ok(c, std::make_shared<std::string const>(std::move(body)), ttl);
}

http::response error(unsigned status, std::string_view reason, std::string_view message,
                     std::string_view cache_control) {
  std::string body = "{\"reason\":\"";
  body += reason;
  if (!message.empty()) {
    body += "\",\"message\":\"";
    for (char ch : message) {
      if (ch == '"' || ch == '\\') body += '\\';
      body += ch;
    }
  }
  body += "\"}";
  auto r = http::response::json(status, std::move(body));
  r.content_type = "application/json";
  r.header("Cache-Control", cache_control);
  return r;
}

http::response not_found_tag(std::string_view tag) {
  return error(404, "notFound", "Not found with tag " + std::string{tag});
}

http::response unknown_parameter(std::string_view name) {
  return error(400, "badRequest", "Unknown value for parameter " + std::string{name});
}

std::optional<page_request> paging(http::request const& req, http::response& bad) {
  std::string why;
  auto page = parse_page_request(req.query_param("limit"), req.query_param("after"), req.query_param("before"), why);
  if (!page) bad = error(400, "badRequest", why);
  return page;
}

http::response list(call const& c, paged_list const& items, std::int64_t ttl) {
  http::response bad;
  auto const page = paging(c.req, bad);
  if (!page) return bad;
  return ok(c, render_page(items, *page), ttl);
}

http::response list_league_tiers(call const& c) { return list(c, c.data.league_tiers->list, 600); }
http::response get_league_tier(call const& c) {
  return by_id(c, *c.data.league_tiers, "leagueTierId", "leagueTierId", 600);
}
http::response list_leagues(call const& c) { return list(c, c.data.leagues->list, 600); }
http::response get_league(call const& c) { return by_id(c, *c.data.leagues, "leagueId", "leagueId", 600); }

http::response list_league_seasons(call const& c) {
  auto const id = season_league(c);
  if (!id) return unknown_parameter("leagueId");
  if (!is_legend_league(*id)) {
    auto r = error(400, "badRequest", "Seasons are available only for legendary league", "max-age=600");
    r.content_type = "application/json; charset=utf-8";
    return r;
  }
  return list(c, *c.data.legend_seasons, 600);
}

http::response get_league_season(call const& c) {
  auto const id = season_league(c);
  if (!id) return unknown_parameter("leagueId");
  if (!is_legend_league(*id)) return error(400, "badRequest", "Seasons are available only for legendary league");
  std::string const season{c.req.param("seasonId")};
  auto it = c.data.season_rankings->find(season);
  if (it != c.data.season_rankings->end()) return list(c, it->second, 3600);
  auto made = legend_ranking(c.data, season);
  if (!made) return unknown_parameter("seasonId");
  return list(c, *made, 3600);
}

http::response get_ranked_group(call const& c) {
  auto const season = id_param(c, "leagueSeasonId");
  if (!season) return unknown_parameter("leagueSeasonId");
  auto tag = normalize_tag(c.req.param("leagueGroupTag"));
  if (!tag) return error(404, "notFound");
  if (auto const* group = c.data.ranked_groups.find(*tag)) return ok(c, *group, 300);
  auto const player = normalize_tag(c.req.query_param("playerTag").value_or(""));
  auto made = ranked_group(c.data, *tag, *season, player.value_or(""), c.now);
  if (!made) return error(404, "notFound");
  return ok(c, std::move(*made), 300);
}

http::response list_war_leagues(call const& c) { return list(c, c.data.war_leagues->list, 600); }
http::response get_war_league(call const& c) { return by_id(c, *c.data.war_leagues, "leagueId", "leagueId", 600); }
http::response list_capital_leagues(call const& c) { return list(c, c.data.capital_leagues->list, 600); }
http::response get_capital_league(call const& c) {
  return by_id(c, *c.data.capital_leagues, "leagueId", "leagueId", 600);
}
http::response list_builder_base_leagues(call const& c) { return list(c, c.data.builder_base_leagues->list, 600); }
http::response get_builder_base_league(call const& c) {
  return by_id(c, *c.data.builder_base_leagues, "leagueId", "leagueId", 600);
}

http::response list_locations(call const& c) { return list(c, c.data.locations->list, 60); }
http::response get_location(call const& c) { return by_id(c, *c.data.locations, "locationId", "locationId", 600); }
http::response clan_rankings(call const& c) { return rankings(c, &location_rankings::clans, 60); }
http::response player_rankings(call const& c) { return rankings(c, &location_rankings::players, 60); }
http::response clan_builder_base_rankings(call const& c) {
  return rankings(c, &location_rankings::clans_builder_base, 60);
}
http::response player_builder_base_rankings(call const& c) {
  return rankings(c, &location_rankings::players_builder_base, 60);
}
http::response capital_rankings(call const& c) { return rankings(c, &location_rankings::capitals, 600); }

http::response gold_pass(call const& c) {
  if (!c.data.gold_pass) return error(404, "notFound");
  return ok(c, c.data.gold_pass, 60);
}
http::response clan_labels(call const& c) { return list(c, c.data.clan_labels->list, 60); }
http::response player_labels(call const& c) { return list(c, c.data.player_labels->list, 60); }

}  // namespace overworld::sandbox::detail
