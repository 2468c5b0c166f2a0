// The 35 operations of the CoC v1 API: each path comes from the operation table
// (coc/operations.hpp), filled with the call's tag, id or location; query parameters and paging.
#include <overworld/coc/client.hpp>
#include <overworld/coc/operations.hpp>
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

// The path of an operation without parameters.
std::string path_of(op id) { return std::string{operation_of(id).path}; }

std::string id_path(op id, std::int64_t value) { return expand_path(operation_of(id), {std::to_string(value)}); }

std::string where_path(op id, location_ref const& where) { return expand_path(operation_of(id), {where.segment()}); }

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

client::call client::tag_get(op id, std::string_view tag, query_params query, std::string_view second) {
  auto const& o = operation_of(id);
  auto const path = [&](std::string_view first) {
    return second.empty() ? expand_path(o, {first}) : expand_path(o, {first, second});
  };
  auto parsed = parse_tag(tag);
  if (!parsed) return refused(invalid_tag(tag, path(tag), parsed.error()));
  return get_raw(path(encode_tag(*parsed)), std::move(query));
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
  return get_raw(path_of(op::search_clans), std::move(q));
}

client::call client::clan(std::string_view tag) { return tag_get(op::clan, tag); }
client::call client::clan_members(std::string_view tag, paging const& page) {
  return tag_get(op::clan_members, tag, paged(page));
}
client::call client::war_log(std::string_view tag, paging const& page) {
  return tag_get(op::war_log, tag, paged(page));
}
client::call client::current_war(std::string_view tag) { return tag_get(op::current_war, tag); }
client::call client::league_group(std::string_view clan_tag) { return tag_get(op::league_group, clan_tag); }
client::call client::cwl_war(std::string_view war_tag) { return tag_get(op::cwl_war, war_tag); }
client::call client::raid_seasons(std::string_view tag, paging const& page) {
  return tag_get(op::raid_seasons, tag, paged(page));
}

client::call client::player(std::string_view tag) { return tag_get(op::player, tag); }
client::call client::battle_log(std::string_view tag) { return tag_get(op::battle_log, tag); }
client::call client::league_history(std::string_view tag) { return tag_get(op::league_history, tag); }

client::call client::verify_token(std::string_view tag, std::string_view token) {
  auto parsed = parse_tag(tag);
  auto const& o = operation_of(op::verify_token);
  if (!parsed) return refused(invalid_tag(tag, expand_path(o, {tag}), parsed.error()));
  raw_request req;
  req.method = o.method;
  req.path = expand_path(o, {encode_tag(*parsed)});
  req.body = "{\"token\":\"";
  append_json_escaped(req.body, token);
  req.body += "\"}";
  req.cache = cache_mode::bypass;
  return send(std::move(req));
}

client::call client::league_tiers(paging const& page) { return get_raw(path_of(op::league_tiers), paged(page)); }
client::call client::league_tier(std::int64_t id) { return get_raw(id_path(op::league_tier, id)); }
client::call client::leagues(paging const& page) { return get_raw(path_of(op::leagues), paged(page)); }
client::call client::league(std::int64_t id) { return get_raw(id_path(op::league, id)); }
client::call client::league_seasons(std::int64_t league_id, paging const& page) {
  return get_raw(id_path(op::league_seasons, league_id), paged(page));
}
client::call client::league_season_rankings(std::int64_t league_id, std::string_view season_id, paging const& page) {
  return get_raw(expand_path(operation_of(op::league_season_rankings),
                             {std::to_string(league_id), http::percent_encode(season_id)}),
                 paged(page));
}

client::call client::ranked_league_group(std::string_view group_tag, std::string_view season_id,
                                         std::string_view player_tag) {
  query_params q;
  if (!player_tag.empty()) q.emplace_back("playerTag", normalize_tag(player_tag));
  return tag_get(op::ranked_league_group, group_tag, std::move(q), http::percent_encode(season_id));
}

client::call client::war_leagues(paging const& page) { return get_raw(path_of(op::war_leagues), paged(page)); }
client::call client::war_league(std::int64_t id) { return get_raw(id_path(op::war_league, id)); }
client::call client::capital_leagues(paging const& page) { return get_raw(path_of(op::capital_leagues), paged(page)); }
client::call client::capital_league(std::int64_t id) { return get_raw(id_path(op::capital_league, id)); }
client::call client::builder_base_leagues(paging const& page) {
  return get_raw(path_of(op::builder_base_leagues), paged(page));
}
client::call client::builder_base_league(std::int64_t id) { return get_raw(id_path(op::builder_base_league, id)); }

client::call client::locations(paging const& page) { return get_raw(path_of(op::locations), paged(page)); }
client::call client::location(std::int64_t id) { return get_raw(id_path(op::location, id)); }
client::call client::clan_rankings(location_ref const& where, paging const& page) {
  return get_raw(where_path(op::clan_rankings, where), paged(page));
}
client::call client::player_rankings(location_ref const& where, paging const& page) {
  return get_raw(where_path(op::player_rankings, where), paged(page));
}
client::call client::clan_builder_base_rankings(location_ref const& where, paging const& page) {
  return get_raw(where_path(op::clan_builder_base_rankings, where), paged(page));
}
client::call client::player_builder_base_rankings(location_ref const& where, paging const& page) {
  return get_raw(where_path(op::player_builder_base_rankings, where), paged(page));
}
client::call client::capital_rankings(location_ref const& where, paging const& page) {
  return get_raw(where_path(op::capital_rankings, where), paged(page));
}

client::call client::gold_pass() { return get_raw(path_of(op::gold_pass)); }
client::call client::clan_labels(paging const& page) { return get_raw(path_of(op::clan_labels), paged(page)); }
client::call client::player_labels(paging const& page) { return get_raw(path_of(op::player_labels), paged(page)); }

}  // namespace overworld::coc
