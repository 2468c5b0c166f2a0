// The operation table against the API's OpenAPI description (docs/api/coc-openapi-2026-endpoints.json):
// every operation of the description is in the table with its method, path and parameters, and
// the table has nothing the description does not. Paths built from the table are the API's.
#include "support/data.hpp"

#include <overworld/coc/operations.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace overworld::coc {
namespace {

namespace json = boost::json;

struct described {
  std::set<std::string> path_parameters;
  std::set<std::string> query_parameters;
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

#define OVERWORLD_TEST_NAME(name) #name,
constexpr std::string_view listed[] = {OVERWORLD_COC_OPERATIONS(OVERWORLD_TEST_NAME)};
#undef OVERWORLD_TEST_NAME

TEST(coc_operations, NamesAreTheListsNames) {
  ASSERT_EQ(std::size(listed), operation_count);
  for (std::size_t i = 0; i < operation_count; ++i) EXPECT_EQ(operations()[i].name, listed[i]);
}

}  // namespace
}  // namespace overworld::coc
