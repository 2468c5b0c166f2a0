// The Silly Meter's state machine on a manual clock: Active -> Reward -> Inactive -> Active, the
// tally, running totals from districts, admin calls, and long gaps.
#include <overworld/server/world/silly_meter.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;

struct silly : ::testing::Test {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  silly_meter_options options() {
    silly_meter_options o;
    o.seed = 3;
    o.max_hp = 1000;
    o.tally = 60s;
    o.reward = 3600s;
    o.inactive = 600s;
    return o;
  }
  boost::json::value json(silly_meter const& m) { return boost::json::parse(m.json()); }
};

TEST_F(silly, StartsActiveWithThreeTeamsFromThePool) {
  silly_meter m{options(), time};
  auto const teams = m.teams();
  EXPECT_EQ(std::set<std::string>(teams.begin(), teams.end()).size(), 3u);
  std::string descriptions;
  for (auto const& t : teams) {
    for (auto const& d : default_silly_teams()) {
      if (d.name == t) descriptions += (descriptions.empty() ? "\"" : ",\"") + d.description + "\"";
    }
  }
  EXPECT_EQ(m.json(), R"({"state":"Active","hp":0,"rewards":[")" + teams[0] + R"(",")" + teams[1] + R"(",")" +
                          teams[2] + R"("],"rewardDescriptions":[)" + descriptions +
                          R"(],"winner":null,"rewardPoints":[null,null,null],"nextUpdateTimestamp":1700000060,)"
                          R"("asOf":1700000000})");
}

TEST_F(silly, RunningTotalsCountWhatGrewAndARestartCountsFromZero) {
  silly_meter m{options(), time};
  auto const t = m.teams();
  m.report("A", {{t[0], 100}});                       // history: not counted
  m.report("A", {{t[0], 130}});                       // +30
  m.report("A", {{t[0], 20}});                        // restarted: +20
  m.report("B", {{t[1], 7}});                         // history
  m.report("B", {{t[1], 17}, {"Not In Play", 500}});  // +10; the other team is dropped
  time.advance(59s);
  m.advance();
  EXPECT_EQ(m.hp(), 0);
  time.advance(1s);
  m.advance();
  EXPECT_EQ(m.hp(), 60);
  EXPECT_EQ(json(m).at("nextUpdateTimestamp"), 1700000120);
}

TEST_F(silly, FullMeterRewardsTheLeaderThenCoolsDownThenFillsAgain) {
  silly_meter m{options(), time};
  auto const t = m.teams();
  m.report("A", {{t[0], 0}, {t[2], 0}});
  m.report("A", {{t[0], 300}, {t[2], 900}});
  time.advance(60s);
  m.advance();
  auto reward = json(m);
  EXPECT_EQ(reward.at("state"), "Reward");
  EXPECT_EQ(reward.at("hp"), 1000);
  EXPECT_EQ(reward.at("winner"), boost::json::value(t[2]));
  EXPECT_EQ(serialize(reward.at("rewardPoints")), "[300,0,900]");
  EXPECT_EQ(reward.at("nextUpdateTimestamp"), 1700000060 + 3600);
  m.report("A", {{t[0], 5000}});  // no points while the reward runs
  time.advance(3600s);
  m.advance();
  auto inactive = json(m);
  EXPECT_EQ(inactive.at("state"), "Inactive");
  EXPECT_EQ(inactive.at("hp"), 0);
  EXPECT_TRUE(inactive.at("winner").is_null());
  EXPECT_EQ(inactive.at("nextUpdateTimestamp"), 1700003660 + 600);
  EXPECT_EQ(inactive.at("asOf"), 1700003660);
  time.advance(600s);
  m.advance();
  EXPECT_EQ(m.state(), silly_state::active);
  EXPECT_EQ(m.hp(), 0);
  EXPECT_EQ(json(m).at("nextUpdateTimestamp"), 1700004260 + 60);
}

TEST_F(silly, ALongGapWalksTheStatesOnceAndDoesNotMultiplyPoints) {
  silly_meter m{options(), time};
  auto const t = m.teams();
  m.report("A", {{t[0], 0}});
  m.report("A", {{t[0], 10}});
  time.advance(std::chrono::hours{24 * 30});
  m.advance();
  EXPECT_EQ(m.state(), silly_state::active);
  EXPECT_EQ(m.hp(), 10);  // one tally for the whole gap
  EXPECT_EQ(json(m).at("nextUpdateTimestamp"), 1700000000 + 30 * 86400 + 60);
}

TEST_F(silly, AdminCalls) {
  silly_meter m{options(), time};
  auto const t = m.teams();
  EXPECT_EQ(m.add_points("Nobody", 5).error(), errc::not_found);
  EXPECT_EQ(m.add_points(t[0], 0).error(), errc::invalid_argument);
  EXPECT_EQ(m.add_points(t[0], 1001).error(), errc::invalid_argument);
  ASSERT_TRUE(m.add_points(t[0], 400));
  EXPECT_EQ(m.hp(), 400);
  EXPECT_EQ(json(m).at("nextUpdateTimestamp"), 1700000060);  // the regular tally keeps its time
  EXPECT_EQ(m.enter(silly_state::active, t[0]).error(), errc::invalid_argument);
  EXPECT_EQ(m.enter(silly_state::reward, "Nobody").error(), errc::not_found);
  ASSERT_TRUE(m.enter(silly_state::reward, t[1]));
  EXPECT_EQ(json(m).at("winner"), boost::json::value(t[1]));
  EXPECT_EQ(m.add_points(t[0], 1).error(), errc::unsupported);
  ASSERT_TRUE(m.enter(silly_state::active));
  EXPECT_EQ(m.hp(), 0);
  EXPECT_TRUE(json(m).at("winner").is_null());
}

TEST(silly_state_names, ReadInAnyCase) {
  EXPECT_EQ(silly_state_from_string("reward"), silly_state::reward);
  EXPECT_EQ(silly_state_from_string("ACTIVE"), silly_state::active);
  EXPECT_FALSE(silly_state_from_string("Cooldown"));
}

}  // namespace
}  // namespace overworld::world
