// One coherent world: a client walking the sandbox from every entry point finds every tag it is
// given, in the recorded demo world (completed around its recordings) and in generated ones.
#include "walker.hpp"
#include "world_support.hpp"

#include <gtest/gtest.h>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using testing::sandbox_server;
using testing::world_walker;

std::string first_problems(world_walker const& w) {
  std::string out;
  for (std::size_t i = 0; i < w.problems.size() && i < 15; ++i) out += "\n  " + w.problems[i];
  return out;
}

TEST(SandboxWorld, TheDemoWorldHasNoDanglingTag) {
  sandbox_server s;
  world_walker w{s};
  // The clans whose member lists were recorded (clan.json, and clan_members.json's clan).
  auto const responses = json::parse(testing::read_file(testing::fixtures_dir() / "_responses.json"));
  w.recorded_lists = {
      std::string{json::parse(testing::read_file(testing::fixtures_dir() / "clan.json")).at("tag").as_string()},
      std::string{responses.at("clan_members.json").at("request_args").at("clantag").as_string()}};
  w.walk();
  EXPECT_TRUE(w.problems.empty()) << w.problems.size() << " problems:" << first_problems(w);
  // Everything the recordings name is there: the 832 clans of the search and the rest.
  EXPECT_GT(w.clans.size(), 1500u);
  EXPECT_GT(w.players.size(), 20000u);
  EXPECT_EQ(w.wars.size(), 20u);  // every war tag of the recorded league group
  EXPECT_TRUE(w.players.contains("#2PP"));
  EXPECT_TRUE(w.clans.contains("#90PU0RRG"));  // #2PP's clan
}

TEST(SandboxWorld, AGeneratedWorldHasNoDanglingTag) {
  // Three league groups, and two clans in a regular war.
  // At a time when everything is on: the league week (rounds 1 to 3 over, round 4 fighting, round
  // 5 preparing) and a raid weekend.
  sandbox_server s{{}, testing::world_at(testing::league_friday)};
  world_walker w{s};
  w.walk();
  EXPECT_TRUE(w.problems.empty()) << w.problems.size() << " problems:" << first_problems(w);
  EXPECT_EQ(w.clans.size(), 26u);
  EXPECT_GE(w.players.size(), 26u * 20);
  EXPECT_EQ(w.wars.size(), 3u * 4 * 5);  // three groups, four wars in each of five rounds
}

TEST(SandboxWorld, AGeneratedWorldBesideTheRecordedOneHasNoDanglingTag) {
  std::string why;
  auto data = load_dataset(testing::fixtures_dir(), why, 5, testing::league_friday);
  ASSERT_TRUE(data) << why;
  generator_options g;
  g.clans = 16;
  g.members_per_clan = 15;
  g.seed = 5;
  g.start_time = testing::league_friday;
  generate_into(**data, g);
  sandbox_server s{{}, *data};
  world_walker w{s};
  w.recorded_lists = {"#2PP", "#29Y8PRCJR"};
  w.walk();
  EXPECT_TRUE(w.problems.empty()) << w.problems.size() << " problems:" << first_problems(w);
}

TEST(SandboxWorld, AWorldStaysCoherentAsTimeMoves) {
  // From the eve of the league week through its first rounds and a raid weekend: wars end into
  // the logs, groups form, members leave and join. At each stop the whole world still resolves.
  testing::moving_sandbox m{testing::world_at(testing::before_league, 18, 20, 9), testing::before_league, 3600};
  for (std::int64_t const days : {1, 3, 6}) {
    m.until(testing::before_league + days * 86400);
    world_walker w{m.s};
    w.walk();
    EXPECT_TRUE(w.problems.empty()) << "day " << days << ": " << w.problems.size() << " problems:" << first_problems(w);
    EXPECT_EQ(w.clans.size(), 18u) << "day " << days;
    EXPECT_GE(w.players.size(), 18u * 20) << "day " << days;
  }
}

}  // namespace
}  // namespace overworld::sandbox
