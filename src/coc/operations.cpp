// The raw calls of the operation list: each one turns its parameters into the path segments,
// query and body of its row (one builder per parameter shape), then send_op sends the row's
// method to the row's path. Tags are checked first: a tag that cannot exist costs no request.
#include <overworld/coc/client.hpp>
#include <overworld/coc/operations.hpp>
#include <overworld/coc/tags.hpp>
#include <overworld/core/log.hpp>

#include <array>

namespace overworld::coc {
namespace detail {

// A path segment as the caller gave it (for messages) and as it is sent.
struct segment {
  std::string shown;
  std::string sent;
};

struct op_request {
  std::vector<segment> path;
  query_params query;
  std::string body;
  std::string bad_tag;  ///< a tag that cannot exist, and why
  error_code bad_tag_code;
};

}  // namespace detail

namespace {

using detail::op_request;
using detail::segment;

// A call that fails before anything is sent.
client::call refused(error e) { co_return api_result<raw_response>{boost::system::in_place_error, std::move(e)}; }

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

void add_tag(op_request& r, std::string_view tag) {
  auto parsed = parse_tag(tag);
  if (parsed) {
    r.path.push_back({std::string{tag}, encode_tag(*parsed)});
    return;
  }
  if (r.bad_tag_code) return;  // the first bad tag is the one reported
  r.bad_tag = std::string{tag};
  r.bad_tag_code = parsed.error();
  r.path.push_back({std::string{tag}, std::string{tag}});
}

void add_text(op_request& r, std::string_view text) {
  r.path.push_back({std::string{text}, http::percent_encode(text)});
}

void add_id(op_request& r, std::int64_t id) {
  auto text = std::to_string(id);
  r.path.push_back({text, text});
}

op_request paged(paging const& page) {
  op_request r;
  append_paging(r.query, page);
  return r;
}

// One builder per parameter shape (operation_list.hpp), named after it.
op_request none_request(paging const& page = {}) { return paged(page); }

op_request tag_request(std::string_view tag, paging const& page = {}) {
  auto r = paged(page);
  add_tag(r, tag);
  return r;
}

op_request id_request(std::int64_t id, paging const& page = {}) {
  auto r = paged(page);
  add_id(r, id);
  return r;
}

op_request where_request(location_ref const& where, paging const& page = {}) {
  auto r = paged(page);
  r.path.push_back({where.segment(), where.segment()});
  return r;
}

op_request id_season_request(std::int64_t league_id, std::string_view season_id, paging const& page = {}) {
  auto r = paged(page);
  add_id(r, league_id);
  add_text(r, season_id);
  return r;
}

op_request tag_season_player_request(std::string_view group_tag, std::string_view season_id,
                                     std::string_view player_tag) {
  op_request r;
  add_tag(r, group_tag);
  add_text(r, season_id);
  if (!player_tag.empty()) r.query.emplace_back("playerTag", normalize_tag(player_tag));
  return r;
}

op_request tag_token_request(std::string_view tag, std::string_view token) {
  op_request r;
  add_tag(r, tag);
  r.body = "{\"token\":\"";
  append_json_escaped(r.body, token);
  r.body += "\"}";
  return r;
}

std::string joined_ids(std::vector<std::int64_t> const& ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

op_request filters_request(clan_search const& f) {
  op_request r;
  auto& q = r.query;
  if (!f.name.empty()) q.emplace_back("name", f.name);
  if (!f.war_frequency.empty()) q.emplace_back("warFrequency", f.war_frequency);
  if (f.location_id) q.emplace_back("locationId", std::to_string(*f.location_id));
  if (f.min_members) q.emplace_back("minMembers", std::to_string(*f.min_members));
  if (f.max_members) q.emplace_back("maxMembers", std::to_string(*f.max_members));
  if (f.min_clan_points) q.emplace_back("minClanPoints", std::to_string(*f.min_clan_points));
  if (f.min_clan_level) q.emplace_back("minClanLevel", std::to_string(*f.min_clan_level));
  if (!f.label_ids.empty()) q.emplace_back("labelIds", joined_ids(f.label_ids));
  append_paging(q, f.page);
  return r;
}

// The row's path with the segments as shown or as sent.
std::string path_of(operation const& o, std::vector<segment> const& path, std::string segment::*which) {
  std::array<std::string_view, 2> parts{};
  for (std::size_t i = 0; i < path.size() && i < parts.size(); ++i) parts[i] = path[i].*which;
  return expand_path(o, std::span<std::string_view const>{parts.data(), path.size()});
}

}  // namespace

client::call client::send_op(op id, op_request request) {
  auto const& o = operation_of(id);
  if (request.bad_tag_code) {
    return refused(invalid_tag(request.bad_tag, path_of(o, request.path, &segment::shown), request.bad_tag_code));
  }
  raw_request req;
  req.method = o.method;
  req.path = path_of(o, request.path, &segment::sent);
  req.query = std::move(request.query);
  req.body = std::move(request.body);
  req.cache = o.method == http::verb::get ? cache_mode::use : cache_mode::bypass;
  return send(std::move(req));
}

#define OVERWORLD_COC_RAW_DEFINITION(name, method, route, shape, query, pg, model)       \
  client::call client::name(OVERWORLD_COC_PARAMS(shape, pg, OVERWORLD_COC_NO_DEFAULT)) { \
    return send_op(op::name, shape##_request(OVERWORLD_COC_ARGS(shape, pg)));            \
  }
OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_RAW_DEFINITION)
#undef OVERWORLD_COC_RAW_DEFINITION

}  // namespace overworld::coc
