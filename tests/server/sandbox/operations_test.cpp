// The 35 operations over the wire: tags, paging, search rules, errors with the real bodies.
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
namespace bhttp = boost::beast::http;
using testing::sandbox_server;

struct operations : ::testing::Test {
  static sandbox_server& s() {
    static sandbox_server server;
    return server;
  }
  static json::object body_of(sandbox_server::response const& r) { return json::parse(r.body()).as_object(); }
};

TEST_F(operations, EveryOperationAnswers) {
  // One request per operation, with ids the fixtures hold.
  std::vector<std::string> const targets{
      "/v1/clans?name=clan",
      "/v1/clans/%232PP",
      "/v1/clans/%2329Y8PRCJR/members",
      "/v1/clans/%2329Y8PRCJR/warlog",
      "/v1/clans/%232GPVRU0C0/currentwar",
      "/v1/clans/%23GYR89PJ9/currentwar/leaguegroup",
      "/v1/clanwarleagues/wars/%2382G0JYVGG",
      "/v1/clans/%2329Y8PRCJR/capitalraidseasons",
      "/v1/players/%232PP",
      "/v1/players/%232PP/battlelog",
      "/v1/players/%232PP/leaguehistory",
      "/v1/leaguetiers",
      "/v1/leaguetiers/105000034",
      "/v1/leagues",
      "/v1/leagues/29000022",
      "/v1/leagues/29000022/seasons",
      "/v1/leagues/29000022/seasons/2026-02-23",
      "/v1/leaguegroup/%232PP/1773032400",
      "/v1/warleagues",
      "/v1/warleagues/48000012",
      "/v1/capitalleagues",
      "/v1/capitalleagues/85000000",
      "/v1/builderbaseleagues",
      "/v1/builderbaseleagues/44000000",
      "/v1/locations",
      "/v1/locations/32000007",
      "/v1/locations/32000007/rankings/clans",
      "/v1/locations/32000007/rankings/players",
      "/v1/locations/global/rankings/clans-builder-base",
      "/v1/locations/32000007/rankings/players-builder-base",
      "/v1/locations/32000007/rankings/capitals",
      "/v1/goldpass/seasons/current",
      "/v1/labels/clans",
      "/v1/labels/players",
  };
  for (auto const& t : targets) {
    auto const r = s().get(t);
    EXPECT_EQ(r.result_int(), 200) << t << ": " << r.body();
    EXPECT_EQ(r[bhttp::field::content_type], "application/json; charset=utf-8") << t;
    EXPECT_NO_THROW((void)json::parse(r.body())) << t;
  }
  auto const v = s().request("POST", "/v1/players/%232PP/verifytoken", testing::test_key, R"({"token":"TOKEN"})");
  EXPECT_EQ(v.result_int(), 200);
}

TEST_F(operations, TagsAreNormalisedAndUnknownOnesAre404) {
  EXPECT_EQ(s().get("/v1/players/%232pp").result_int(), 200);
  auto const r = s().get("/v1/players/%232PPP");
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(r.body(), R"({"reason":"notFound","message":"Not found with tag 2PPP"})");
  EXPECT_EQ(r[bhttp::field::content_type], "application/json");
  EXPECT_EQ(r[bhttp::field::cache_control], "public max-age=600");
  EXPECT_EQ(s().get("/v1/clans/%23ABC").body(), R"({"reason":"notFound","message":"Not found with tag ABC"})");
}

TEST_F(operations, BadIdsAre400WithTheRealMessages) {
  EXPECT_EQ(s().get("/v1/locations/1").body(),
            R"({"reason":"badRequest","message":"Unknown value for parameter locationId"})");
  EXPECT_EQ(s().get("/v1/locations/x/rankings/players").body(),
            R"({"reason":"badRequest","message":"Unknown value for parameter locationId"})");
  EXPECT_EQ(s().get("/v1/leaguetiers/1").body(),
            R"({"reason":"badRequest","message":"Unknown value for parameter leagueTierId"})");
  EXPECT_EQ(s().get("/v1/warleagues/1").body(),
            R"({"reason":"badRequest","message":"Unknown value for parameter leagueId"})");
  auto const seasons = s().get("/v1/leagues/29000021/seasons");
  EXPECT_EQ(seasons.result_int(), 400);
  EXPECT_EQ(seasons.body(), R"({"reason":"badRequest","message":"Seasons are available only for legendary league"})");
}

TEST_F(operations, PrivateWarLogAndClansOutsideCwl) {
  // The Order keeps its war log private.
  auto const log = s().get("/v1/clans/%232PP/warlog");
  EXPECT_EQ(log.result_int(), 403);
  EXPECT_EQ(log.body(), R"({"reason":"accessDenied"})");
  EXPECT_EQ(log[bhttp::field::cache_control], "max-age=600");
  auto const war = s().get("/v1/clans/%232PP/currentwar");
  EXPECT_EQ(war.result_int(), 403);
  EXPECT_EQ(war[bhttp::field::cache_control], "max-age=120");
  auto const cwl = s().get("/v1/clans/%232GPVRU0C0/currentwar/leaguegroup");
  EXPECT_EQ(cwl.result_int(), 404);
  EXPECT_EQ(cwl.body(), R"({"reason":"notFound"})");
  // A clan with a public log and no war.
  EXPECT_EQ(body_of(s().get("/v1/clans/%2329Y8PRCJR/currentwar")).at("state"), "notInWar");
  EXPECT_EQ(body_of(s().get("/v1/clans/%232GPVRU0C0/currentwar")).at("state"), "inWar");
}

TEST_F(operations, RegionsHaveNoRankings) {
  auto const r = s().get("/v1/locations/32000000/rankings/players");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"({"items":[],"paging":{"cursors":{}}})");
  EXPECT_EQ(r[bhttp::field::cache_control].substr(0, 8), "max-age=");
}

TEST_F(operations, PagingWalksAListBothWays) {
  auto const all = body_of(s().get("/v1/clans/%2329Y8PRCJR/warlog")).at("items").as_array();
  ASSERT_EQ(all.size(), 140u);
  auto first = body_of(s().get("/v1/clans/%2329Y8PRCJR/warlog?limit=50"));
  EXPECT_EQ(first.at("items").as_array().size(), 50u);
  EXPECT_EQ(first.at("items").as_array()[0], all[0]);
  auto const& cursors = first.at("paging").at("cursors").as_object();
  EXPECT_FALSE(cursors.contains("before"));
  std::string const after{cursors.at("after").as_string()};
  EXPECT_EQ(after, "eyJwb3MiOjUwfQ");
  auto second = body_of(s().get("/v1/clans/%2329Y8PRCJR/warlog?limit=100&after=" + after));
  EXPECT_EQ(second.at("items").as_array().size(), 90u);
  EXPECT_EQ(second.at("items").as_array()[0], all[50]);
  EXPECT_FALSE(second.at("paging").at("cursors").as_object().contains("after"));
  std::string const before{second.at("paging").at("cursors").at("before").as_string()};
  auto back = body_of(s().get("/v1/clans/%2329Y8PRCJR/warlog?limit=10&before=" + before));
  EXPECT_EQ(back.at("items").as_array()[0], all[40]);

  auto const both = s().get("/v1/clans/%2329Y8PRCJR/warlog?after=" + after + "&before=" + before);
  EXPECT_EQ(both.result_int(), 400);
  EXPECT_EQ(body_of(both).at("reason"), "badRequest");
  EXPECT_EQ(s().get("/v1/locations?limit=abc").result_int(), 400);
}

TEST_F(operations, ClanSearchRules) {
  auto const none = s().get("/v1/clans");
  EXPECT_EQ(none.result_int(), 400);
  EXPECT_EQ(body_of(none).at("reason"), "badRequest");
  EXPECT_EQ(s().get("/v1/clans?limit=5").result_int(), 400);  // paging is not a filter
  EXPECT_EQ(s().get("/v1/clans?name=te").result_int(), 400);
  EXPECT_EQ(s().get("/v1/clans?warFrequency=sometimes").result_int(), 400);
  EXPECT_EQ(s().get("/v1/clans?minMembers=many").result_int(), 400);

  auto const found = body_of(s().get("/v1/clans?name=TEST&minMembers=40&limit=500"));
  ASSERT_FALSE(found.at("items").as_array().empty());
  for (auto const& c : found.at("items").as_array()) {
    std::string name{c.at("name").as_string()};
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_NE(name.find("test"), std::string::npos);
    EXPECT_GE(c.at("members").as_int64(), 40);
  }
  auto const labelled = body_of(s().get("/v1/clans?labelIds=56000000,56000009&warFrequency=always"));
  ASSERT_FALSE(labelled.at("items").as_array().empty());
  for (auto const& c : labelled.at("items").as_array()) {
    EXPECT_EQ(c.at("warFrequency"), "always");
    std::set<std::int64_t> ids;
    for (auto const& l : c.at("labels").as_array()) ids.insert(l.at("id").as_int64());
    EXPECT_TRUE(ids.contains(56000000) && ids.contains(56000009));
  }
  auto const paged = body_of(s().get("/v1/clans?name=test&limit=2"));
  EXPECT_EQ(paged.at("items").as_array().size(), 2u);
  EXPECT_EQ(paged.at("paging").at("cursors").at("after"), "eyJwb3MiOjJ9");
  auto const located = body_of(s().get("/v1/clans?locationId=32000006&minClanLevel=20"));
  for (auto const& c : located.at("items").as_array()) {
    EXPECT_EQ(c.at("location").at("id").as_int64(), 32000006);
    EXPECT_GE(c.at("clanLevel").as_int64(), 20);
  }
}

TEST_F(operations, VerifyToken) {
  auto const ok = s().request("POST", "/v1/players/%232PP/verifytoken", testing::test_key, R"({"token":"TOKEN"})");
  EXPECT_EQ(ok.body(), R"({"tag":"#2PP","token":"TOKEN","status":"ok"})");
  EXPECT_EQ(ok[bhttp::field::cache_control], "public max-age=600");
  auto const bad = s().request("POST", "/v1/players/%232PP/verifytoken", testing::test_key, R"({"token":"nope"})");
  EXPECT_EQ(bad.result_int(), 200);
  EXPECT_EQ(bad.body(), R"({"tag":"#2PP","token":"nope","status":"invalid"})");
  EXPECT_EQ(s().request("POST", "/v1/players/%232PP/verifytoken", testing::test_key, "{}").result_int(), 400);
  EXPECT_EQ(s().request("POST", "/v1/players/%232PPP/verifytoken", testing::test_key, R"({"token":"x"})").result_int(),
            404);
}

TEST_F(operations, CwlGroupAndWars) {
  auto const group = body_of(s().get("/v1/clans/%23GYR89PJ9/currentwar/leaguegroup"));
  EXPECT_EQ(group.at("state"), "inWar");
  EXPECT_EQ(body_of(s().get("/v1/clanwarleagues/wars/%2382G0JYVGG")).at("state"), "warEnded");
  EXPECT_EQ(body_of(s().get("/v1/clanwarleagues/wars/%2382GJVR0C8")).at("state"), "preparation");
  EXPECT_EQ(body_of(s().get("/v1/clanwarleagues/wars/%2382GG9LRPG")).at("state"), "inWar");
  EXPECT_EQ(s().get("/v1/clanwarleagues/wars/%23PPPPPP").result_int(), 404);
}

TEST_F(operations, LegacyLeaguesAreComplete) {
  auto const leagues = body_of(s().get("/v1/leagues")).at("items").as_array();
  ASSERT_EQ(leagues.size(), 23u);
  EXPECT_EQ(leagues.back().at("name"), "Legend League");
  EXPECT_TRUE(leagues.back().as_object().contains("iconUrls"));  // taken from the recorded data
}

}  // namespace
}  // namespace overworld::sandbox
