// The 35 operations of the CoC v1 API as paths and query parameters (docs/api/coc-api.md).
#include <overworld/coc/client.hpp>
#include <overworld/coc/tags.hpp>
#include <overworld/core/log.hpp>

namespace overworld::coc {
namespace {

// A call that fails before anything is sent.
client::call refused(error e) { co_return api_result<raw_response>{boost::system::in_place_error, std::move(e)}; }

query_params paged(paging const& page) {
  query_params q;
  append_paging(q, page);
  return q;
}

std::string id_path(std::string_view prefix, std::int64_t id, std::string_view suffix = {}) {
  std::string path{prefix};
  path += std::to_string(id);
  path += suffix;
  return path;
}

// The error of a tag that cannot exist: not worth a request of the key's quota.
error invalid_tag(std::string_view tag, std::string path, error_code code) {
  error e;
  e.kind = error_kind::bad_request;
  e.reason = "invalidTag";
  e.message = "invalid tag \"" + std::string{tag} + "\": " + code.message();
  e.path = std::move(path);
  e.code = code;
  return e;
}

}  // namespace

client::call client::tag_get(std::string_view prefix, std::string_view tag, std::string_view suffix,
                             query_params query) {
  auto parsed = parse_tag(tag);
  if (!parsed) {
    return refused(invalid_tag(tag, std::string{prefix} + std::string{tag} + std::string{suffix}, parsed.error()));
  }
  std::string path{prefix};
  path += encode_tag(*parsed);
  path += suffix;
  return get_raw(std::move(path), std::move(query));
}

client::call client::search_clans(clan_search f) {
  query_params q;
  if (!f.name.empty()) q.emplace_back("name", f.name);
  if (!f.war_frequency.empty()) q.emplace_back("warFrequency", f.war_frequency);
  if (f.location_id) q.emplace_back("locationId", std::to_string(*f.location_id));
  if (f.min_members) q.emplace_back("minMembers", std::to_string(*f.min_members));
  if (f.max_members) q.emplace_back("maxMembers", std::to_string(*f.max_members));
  if (f.min_clan_points) q.emplace_back("minClanPoints", std::to_string(*f.min_clan_points));
  if (f.min_clan_level) q.emplace_back("minClanLevel", std::to_string(*f.min_clan_level));
  if (!f.label_ids.empty()) {
    std::string ids;
    for (auto id : f.label_ids) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(id);
    }
    q.emplace_back("labelIds", std::move(ids));
  }
  append_paging(q, f.page);
  return get_raw("/clans", std::move(q));
}

client::call client::clan(std::string tag) { return tag_get("/clans/", tag, ""); }
client::call client::clan_members(std::string tag, paging page) {
  return tag_get("/clans/", tag, "/members", paged(page));
}
client::call client::war_log(std::string tag, paging page) { return tag_get("/clans/", tag, "/warlog", paged(page)); }
client::call client::current_war(std::string tag) { return tag_get("/clans/", tag, "/currentwar"); }
client::call client::league_group(std::string clan_tag) {
  return tag_get("/clans/", clan_tag, "/currentwar/leaguegroup");
}
client::call client::cwl_war(std::string war_tag) { return tag_get("/clanwarleagues/wars/", war_tag, ""); }
client::call client::raid_seasons(std::string tag, paging page) {
  return tag_get("/clans/", tag, "/capitalraidseasons", paged(page));
}

client::call client::player(std::string tag) { return tag_get("/players/", tag, ""); }
client::call client::battle_log(std::string tag) { return tag_get("/players/", tag, "/battlelog"); }
client::call client::league_history(std::string tag) { return tag_get("/players/", tag, "/leaguehistory"); }

client::call client::verify_token(std::string tag, std::string token) {
  auto parsed = parse_tag(tag);
  if (!parsed) return refused(invalid_tag(tag, "/players/" + tag + "/verifytoken", parsed.error()));
  raw_request req;
  req.method = http::verb::post;
  req.path = "/players/" + encode_tag(*parsed) + "/verifytoken";
  req.body = "{\"token\":\"";
  append_json_escaped(req.body, token);
  req.body += "\"}";
  req.cache = cache_mode::bypass;
  return send(std::move(req));
}

client::call client::league_tiers(paging page) { return get_raw("/leaguetiers", paged(page)); }
client::call client::league_tier(std::int64_t id) { return get_raw(id_path("/leaguetiers/", id)); }
client::call client::leagues(paging page) { return get_raw("/leagues", paged(page)); }
client::call client::league(std::int64_t id) { return get_raw(id_path("/leagues/", id)); }
client::call client::league_seasons(std::int64_t league_id, paging page) {
  return get_raw(id_path("/leagues/", league_id, "/seasons"), paged(page));
}
client::call client::league_season_rankings(std::int64_t league_id, std::string season_id, paging page) {
  return get_raw(id_path("/leagues/", league_id, "/seasons/") + http::percent_encode(season_id), paged(page));
}

client::call client::ranked_league_group(std::string group_tag, std::string season_id, std::string player_tag) {
  query_params q;
  if (!player_tag.empty()) q.emplace_back("playerTag", normalize_tag(player_tag));
  return tag_get("/leaguegroup/", group_tag, "/" + http::percent_encode(season_id), std::move(q));
}

client::call client::war_leagues(paging page) { return get_raw("/warleagues", paged(page)); }
client::call client::war_league(std::int64_t id) { return get_raw(id_path("/warleagues/", id)); }
client::call client::capital_leagues(paging page) { return get_raw("/capitalleagues", paged(page)); }
client::call client::capital_league(std::int64_t id) { return get_raw(id_path("/capitalleagues/", id)); }
client::call client::builder_base_leagues(paging page) { return get_raw("/builderbaseleagues", paged(page)); }
client::call client::builder_base_league(std::int64_t id) { return get_raw(id_path("/builderbaseleagues/", id)); }

client::call client::locations(paging page) { return get_raw("/locations", paged(page)); }
client::call client::location(std::int64_t id) { return get_raw(id_path("/locations/", id)); }
client::call client::clan_rankings(location_ref where, paging page) {
  return get_raw("/locations/" + where.segment() + "/rankings/clans", paged(page));
}
client::call client::player_rankings(location_ref where, paging page) {
  return get_raw("/locations/" + where.segment() + "/rankings/players", paged(page));
}
client::call client::clan_builder_base_rankings(location_ref where, paging page) {
  return get_raw("/locations/" + where.segment() + "/rankings/clans-builder-base", paged(page));
}
client::call client::player_builder_base_rankings(location_ref where, paging page) {
  return get_raw("/locations/" + where.segment() + "/rankings/players-builder-base", paged(page));
}
client::call client::capital_rankings(location_ref where, paging page) {
  return get_raw("/locations/" + where.segment() + "/rankings/capitals", paged(page));
}

client::call client::gold_pass() { return get_raw("/goldpass/seasons/current"); }
client::call client::clan_labels(paging page) { return get_raw("/labels/clans", paged(page)); }
client::call client::player_labels(paging page) { return get_raw("/labels/players", paged(page)); }

}  // namespace overworld::coc
