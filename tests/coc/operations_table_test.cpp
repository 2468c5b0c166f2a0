// The operation table against the API's OpenAPI description (docs/api/coc-openapi-2026-endpoints.json):
// every operation of the description is in the table with its method, path and parameters, and
// the table has nothing the description does not. Paths built from the table are the API's.
#include "server/sandbox/support.hpp"
#include "support/data.hpp"

#include <overworld/coc/blocking.hpp>
#include <overworld/coc/operations.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace overworld::coc {
namespace {

namespace json = boost::json;

struct described {
  std::set<std::string> path_parameters;
  std::set<std::string> query_parameters;
  std::vector<std::string> path_in_order;  ///< the path's parameters as they come
  bool body = false;
};

// "GET /clans/{clanTag}" -> its parameters, from the description.
std::map<std::string, described> from_description() {
  std::ifstream in{overworld::testing::source_path("docs/api/coc-openapi-2026-endpoints.json")};
  std::stringstream text;
  text << in.rdbuf();
  auto const doc = json::parse(text.str()).as_object();
  std::map<std::string, described> out;
  for (auto const& [path, item] : doc.at("paths").as_object()) {
    for (auto const& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      auto& d = out[std::string{method} + " " + std::string{path}];
      d.body = operation.as_object().contains("requestBody");
      for (auto i = path.find('{'); i != json::string_view::npos; i = path.find('{', i + 1)) {
        d.path_in_order.emplace_back(path.substr(i + 1, path.find('}', i) - i - 1));
      }
      auto const* params = operation.as_object().if_contains("parameters");
      if (!params) continue;
      for (auto const& p : params->as_array()) {
        auto const& o = p.as_object();
        auto& where = o.at("in").as_string() == "path" ? d.path_parameters : d.query_parameters;
        where.insert(std::string{o.at("name").as_string()});
      }
    }
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

described from_table(operation const& o) {
  described d;
  for (auto i = o.path.find('{'); i != std::string_view::npos; i = o.path.find('{', i + 1)) {
    d.path_parameters.insert(std::string{o.path.substr(i + 1, o.path.find('}', i) - i - 1)});
  }
  for (std::string_view q = o.query; !q.empty();) {
    auto const comma = q.find(',');
    d.query_parameters.insert(std::string{q.substr(0, comma)});
    q = comma == std::string_view::npos ? std::string_view{} : q.substr(comma + 1);
  }
  if (o.paged) d.query_parameters.insert({"limit", "after", "before"});
  return d;
}

TEST(coc_operations, TheTableIsTheDescription) {
  auto const spec = from_description();
  ASSERT_EQ(spec.size(), operation_count);
  std::set<std::string> seen;
  std::set<std::string_view> names;
  for (auto const& o : operations()) {
    auto const key = lower(http::to_string(o.method)) + " " + std::string{o.path};
    SCOPED_TRACE(key);
    EXPECT_TRUE(seen.insert(key).second) << "declared twice";
    EXPECT_TRUE(names.insert(o.name).second) << "name used twice";
    EXPECT_FALSE(o.model.empty());
    auto const it = spec.find(key);
    ASSERT_NE(it, spec.end()) << "not in the description";
    auto const mine = from_table(o);
    EXPECT_EQ(mine.path_parameters, it->second.path_parameters);
    EXPECT_EQ(mine.query_parameters, it->second.query_parameters);
  }
  for (auto const& [key, d] : spec) EXPECT_TRUE(seen.contains(key)) << key << " is not in the table";
}

// What each segment of a shape is, as the end of the description's parameter name.
std::vector<std::string_view> segment_kinds(param_shape shape) {
  switch (shape) {
    case param_shape::tag:
    case param_shape::tag_token:
      return {"Tag"};
    case param_shape::id:
      return {"Id"};
    case param_shape::where:
      return {"locationId"};
    case param_shape::id_season:
      return {"leagueId", "seasonId"};
    case param_shape::tag_season_player:
      return {"Tag", "SeasonId"};
    case param_shape::none:
    case param_shape::filters:
      return {};
  }
  return {};
}

TEST(coc_operations, ShapesFitTheDescribedParameters) {
  // A tag where the description has a tag, an id where it has an id; a body only for the token.
  auto const spec = from_description();
  for (auto const& o : operations()) {
    auto const key = lower(http::to_string(o.method)) + " " + std::string{o.path};
    SCOPED_TRACE(key);
    auto const it = spec.find(key);
    ASSERT_NE(it, spec.end());
    auto const kinds = segment_kinds(o.shape);
    ASSERT_EQ(kinds.size(), it->second.path_in_order.size());
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      EXPECT_TRUE(it->second.path_in_order[i].ends_with(kinds[i])) << it->second.path_in_order[i];
    }
    EXPECT_EQ(it->second.body, o.shape == param_shape::tag_token);
    EXPECT_EQ(o.shape == param_shape::filters || o.shape == param_shape::tag_season_player, !o.query.empty());
  }
}

TEST(coc_operations, PathsAreFilledInOrder) {
  EXPECT_EQ(expand_path(operation_of(op::clan_members), {"%232PP"}), "/clans/%232PP/members");
  EXPECT_EQ(expand_path(operation_of(op::league_season_rankings), {"29000022", "2026-03"}),
            "/leagues/29000022/seasons/2026-03");
  EXPECT_EQ(expand_path(operation_of(op::gold_pass), {}), "/goldpass/seasons/current");
  EXPECT_THROW((void)expand_path(operation_of(op::clan), {}), std::invalid_argument);
  EXPECT_THROW((void)expand_path(operation_of(op::clan), {"a", "b"}), std::invalid_argument);
  EXPECT_EQ(operation_of(op::verify_token).method, http::verb::post);
  EXPECT_EQ(operation_of(op::player).name, "player");
}

TEST(coc_operations, EachCallSendsItsRowsRequest) {
  // The row's method and path, the shape's segments encoded, its query and body; a tag that cannot
  // exist is refused with the path as given, and nothing is sent.
  sandbox::testing::sandbox_server server;
  client_options o;
  o.base_url = "http://127.0.0.1:" + std::to_string(server.server.port()) + "/v1";
  o.keys = {sandbox::testing::test_key};
  o.cache_enabled = false;
  std::mutex m;
  std::vector<http::client_request> sent;
  o.on_request.push_back([&](http::client_request& r) {
    std::lock_guard lock{m};
    sent.push_back(r);
  });
  client c{o};
  auto const last = [&] {
    std::lock_guard lock{m};
    return sent.back();
  };
  (void)c.wait(c.ranked_league_group("#2pp", "1773032400", "8qu8j9lp"));
  EXPECT_EQ(last().url, o.base_url + "/leaguegroup/%232PP/1773032400?playerTag=%238QU8J9LP");
  (void)c.wait(c.verify_token("2pp", "to\"ken"));
  EXPECT_EQ(last().method, http::verb::post);
  EXPECT_EQ(last().url, o.base_url + "/players/%232PP/verifytoken");
  EXPECT_EQ(last().body, R"({"token":"to\"ken"})");
  (void)c.wait(c.league_season_rankings(29000022, "2026-02 23", {.limit = 2}));
  EXPECT_EQ(last().url, o.base_url + "/leagues/29000022/seasons/2026-02%2023?limit=2");
  (void)c.wait(c.search_clans({.name = "ab c", .label_ids = {1, 2}, .page = {.limit = 3}}));
  EXPECT_EQ(last().url, o.base_url + "/clans?name=ab%20c&labelIds=1%2C2&limit=3");
  (void)c.wait(c.capital_rankings(location_ref::global(), {.after = "x"}));
  EXPECT_EQ(last().url, o.base_url + "/locations/global/rankings/capitals?after=x");

  auto const before = sent.size();
  auto bad = c.wait(c.ranked_league_group("#2PPA", "1"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, "invalidTag");
  EXPECT_EQ(bad.error().path, "/leaguegroup/#2PPA/1");
  EXPECT_EQ(sent.size(), before);
}

#define OVERWORLD_TEST_NAME(name, method, route, shape, query, pg, model) #name,
constexpr std::string_view listed[] = {OVERWORLD_COC_OPERATIONS(OVERWORLD_TEST_NAME)};
#undef OVERWORLD_TEST_NAME

TEST(coc_operations, NamesAreTheListsNames) {
  ASSERT_EQ(std::size(listed), operation_count);
  for (std::size_t i = 0; i < operation_count; ++i) EXPECT_EQ(operations()[i].name, listed[i]);
}

// A row is enough: every row has its raw call, its typed call answering the row's model, its
// blocking call and, when it pages, its blocking range — with arguments of the row's shape.
#define OVERWORLD_TEST_ARGS_none
#define OVERWORLD_TEST_ARGS_tag "#2PP"
#define OVERWORLD_TEST_ARGS_id \
  std::int64_t { 29000022 }
#define OVERWORLD_TEST_ARGS_where location_ref::global()
#define OVERWORLD_TEST_ARGS_id_season std::int64_t{29000022}, "2026-03"
#define OVERWORLD_TEST_ARGS_tag_season_player "#2PP", "2026-03", "#8QU8J9LP"
#define OVERWORLD_TEST_ARGS_tag_token "#2PP", "token"
#define OVERWORLD_TEST_ARGS_filters \
  clan_search {}
#define OVERWORLD_TEST_RANGE(name, shape)                                                                          \
  static_assert(std::is_same_v<decltype(std::declval<blocking_client&>().name##_all(OVERWORLD_TEST_ARGS_##shape)), \
                               paged_items<list_item<api::call<answer_t<op::name>>>::type>>);
#define OVERWORLD_TEST_ROW(name, method, route, shape, query, pg, model)                                            \
  static_assert(std::is_same_v<decltype(std::declval<client&>().name(OVERWORLD_TEST_ARGS_##shape)), client::call>); \
  static_assert(std::is_same_v<decltype(std::declval<api&>().name(OVERWORLD_TEST_ARGS_##shape)),                    \
                               api::call<answer_t<op::name>>>);                                                     \
  static_assert(std::is_same_v<decltype(std::declval<blocking_client&>().name(OVERWORLD_TEST_ARGS_##shape)),        \
                               api_result<model>>);                                                                 \
  OVERWORLD_COC_IF_PAGED(pg, OVERWORLD_TEST_RANGE, name, shape)
OVERWORLD_COC_OPERATIONS(OVERWORLD_TEST_ROW)
#undef OVERWORLD_TEST_ROW
#undef OVERWORLD_TEST_RANGE

TEST(coc_operations, PagedCallsTakeTheirPagingLast) {
  // search_clans too (in place of its filters' own), so that all_of and the ranges follow any.
  static_assert(
      std::is_same_v<decltype(std::declval<api&>().search_clans(clan_search{}, paging{})), api::call<list<clan>>>);
  int paged = 0;
#define OVERWORLD_TEST_COUNT(name, shape) ++paged;
#define OVERWORLD_TEST_PAGED(name, method, route, shape, query, pg, model) \
  OVERWORLD_COC_IF_PAGED(pg, OVERWORLD_TEST_COUNT, name, shape)
  OVERWORLD_COC_OPERATIONS(OVERWORLD_TEST_PAGED)
#undef OVERWORLD_TEST_PAGED
#undef OVERWORLD_TEST_COUNT
  EXPECT_EQ(paged, std::count_if(operations().begin(), operations().end(), [](auto const& o) { return o.paged; }));
  EXPECT_EQ(paged, 19);
}

}  // namespace
}  // namespace overworld::coc
