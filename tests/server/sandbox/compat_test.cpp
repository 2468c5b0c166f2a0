// What client libraries rely on beyond single responses (found by running clashofclans.js against
// the sandbox, tests/sandbox_js): the Legend League asked for by its league-tier id, and CWL data
// that hangs together the way the library walks it.
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
namespace bhttp = boost::beast::http;
using testing::sandbox_server;

struct compat : ::testing::Test {
  static sandbox_server& s() {
    static sandbox_server server;
    return server;
  }
  static json::value body_of(sandbox_server::response const& r) { return json::parse(r.body()); }
  static json::value fixture(char const* name) {
    return json::parse(testing::read_file(testing::fixtures_dir() / name));
  }
  /// The first war tag of each scheduled round of the recorded group ("#0" rounds are not).
  static std::vector<std::string> scheduled_rounds() {
    std::vector<std::string> tags;
    auto const group = fixture("cwl_leaguegroup.json");
    for (auto const& round : group.at("rounds").as_array()) {
      std::string first{round.at("warTags").as_array().front().as_string()};
      if (first != "#0") tags.push_back(first);
    }
    return tags;
  }
  static std::string encoded(std::string tag) { return "%23" + tag.substr(1); }
};

TEST_F(compat, LegendSeasonsAnswerForTheLegendLeagueTier) {
  // clashofclans.js 4.x asks for /leagues/105000034/seasons (LEGEND_LEAGUE_ID is the league tier).
  auto const legacy = s().get("/v1/leagues/29000022/seasons");
  auto const tier = s().get("/v1/leagues/105000034/seasons");
  ASSERT_EQ(tier.result_int(), 200) << tier.body();
  EXPECT_EQ(tier.body(), legacy.body());
  EXPECT_EQ(tier[bhttp::field::content_type], "application/json; charset=utf-8");

  auto const latest = std::string{fixture("league_seasons.json").at("items").as_array().back().at("id").as_string()};
  auto const ranking = s().get("/v1/leagues/105000034/seasons/" + latest + "?limit=3");
  ASSERT_EQ(ranking.result_int(), 200) << ranking.body();
  auto const items = body_of(ranking).at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0], fixture("league_season_rankings.json").at("items").as_array()[0]);
  EXPECT_EQ(body_of(ranking).at("paging").at("cursors").at("after"), "eyJwb3MiOjN9");

  // Another tier has no seasons, and an id that is neither a league nor a tier is unknown.
  auto const other = s().get("/v1/leagues/105000005/seasons");
  EXPECT_EQ(other.result_int(), 400);
  EXPECT_EQ(other.body(), R"({"reason":"badRequest","message":"Seasons are available only for legendary league"})");
  EXPECT_EQ(s().get("/v1/leagues/105000005/seasons/" + latest).result_int(), 400);
  EXPECT_EQ(s().get("/v1/leagues/105000099/seasons").body(),
            R"({"reason":"badRequest","message":"Unknown value for parameter leagueId"})");
}

TEST_F(compat, EveryScheduledCwlRoundHasAWarInTheStateOfItsPlace) {
  // The library looks for the current war in the last two scheduled rounds and for the previous
  // one in the last three: every round before the one at war has ended.
  auto const rounds = scheduled_rounds();
  ASSERT_GE(rounds.size(), 3u);
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    auto const r = s().get("/v1/clanwarleagues/wars/" + encoded(rounds[i]));
    ASSERT_EQ(r.result_int(), 200) << rounds[i];
    char const* const expected = i + 1 == rounds.size() ? "preparation" : i + 2 == rounds.size() ? "inWar" : "warEnded";
    EXPECT_EQ(body_of(r).at("state"), expected) << "round " << i + 1;
  }
  // The round's other wars, not recorded, are made between the group's clans, in the same state.
  auto const group = fixture("cwl_leaguegroup.json");
  auto const& all = group.at("rounds").as_array();
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    auto const first = body_of(s().get("/v1/clanwarleagues/wars/" + encoded(rounds[i])));
    for (auto const& tag : all[i].at("warTags").as_array()) {
      auto const r = s().get("/v1/clanwarleagues/wars/" + encoded(std::string{tag.as_string()}));
      ASSERT_EQ(r.result_int(), 200) << tag;
      EXPECT_EQ(body_of(r).at("state"), first.at("state")) << tag;
    }
  }
}

TEST_F(compat, ClansOfTheCwlWarsFindTheirGroup) {
  // A clan fighting a round's war is in that group: /currentwar/leaguegroup answers for both sides.
  auto const group = testing::read_file(testing::fixtures_dir() / "cwl_leaguegroup.json");
  auto const war = fixture("cwl_war_inwar.json");
  for (char const* side : {"clan", "opponent"}) {
    std::string const tag{war.at(side).at("tag").as_string()};
    auto const r = s().get("/v1/clans/" + encoded(tag) + "/currentwar/leaguegroup");
    ASSERT_EQ(r.result_int(), 200) << side << " " << tag;
    EXPECT_EQ(r.body(), group);
  }
  // During CWL the clan's regular war answers notInWar, which sends clients to the group.
  std::string const clan{war.at("clan").at("tag").as_string()};
  EXPECT_EQ(body_of(s().get("/v1/clans/" + encoded(clan) + "/currentwar")).at("state"), "notInWar");
  // Clans in no group still get the real 404.
  auto const outside = s().get("/v1/clans/%232GPVRU0C0/currentwar/leaguegroup");
  EXPECT_EQ(outside.result_int(), 404);
  EXPECT_EQ(outside.body(), R"({"reason":"notFound"})");
}

}  // namespace
}  // namespace overworld::sandbox
