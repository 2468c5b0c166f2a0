// The events engine against a sandbox whose time moves (sandbox.time_scale): the Clan War League
// week's rounds, the end of a season, and an hour of a living world that gives the same events
// twice from the same seed. The test's clock is the only clock: each step moves it, brings the
// world up to it and polls what is due.
#include "events_support.hpp"

#include <gtest/gtest.h>

namespace overworld::coc::events::testing {
namespace {

using sandbox::testing::moving_sandbox;
using sandbox::testing::world_at;

struct moving_world {
  moving_sandbox world;
  stepped_engine engine;

  moving_world(std::shared_ptr<sandbox::dataset const> data, std::int64_t start, double scale)
      : world(std::move(data), start, scale), engine(world.s, engine_options(), std::chrono::seconds{1}) {}

  std::vector<std::string> clans() {
    std::vector<std::string> out;
    for (auto const& c : world.sandbox().data()->plan->clans) out.push_back(c.tag);
    return out;
  }
  /// `n` steps of `seconds` of world time each.
  void run(int n, std::int64_t seconds) {
    for (int i = 0; i < n; ++i) {
      world.pass(seconds);
      world.sandbox().advance();
      engine.step();
    }
  }
  std::vector<event> of(kind k, unsigned round) {
    std::vector<event> out;
    for (auto const& e : engine.seen->of(k)) {
      if (e.round == round) out.push_back(e);
    }
    return out;
  }
};

TEST(events_time, TheLeagueWeeksRoundsStartAndEndOnce) {
  moving_world m{world_at(sandbox::testing::before_league, 16, 15), sandbox::testing::before_league, 3600};
  std::string clan;
  for (auto const& c : m.world.sandbox().data()->plan->clans) {
    if (c.cwl_group != sandbox::world_plan::none && clan.empty()) clan = c.tag;
  }
  ASSERT_FALSE(clan.empty());
  ASSERT_TRUE(m.engine.events.watch_war(clan));
  ASSERT_TRUE(m.engine.events.watch_league_group(clan));
  m.run(1, 60);         // the baseline: the Saturday before the league
  m.run(24 * 5, 3600);  // to Thursday the 5th: rounds 1 and 2 have ended, 3 is on
  for (unsigned round : {1U, 2U}) {
    auto const started = m.of(kind::cwl_round_start, round);
    ASSERT_EQ(started.size(), 1u) << "round " << round;
    EXPECT_EQ(started[0].watched, clan);
    EXPECT_FALSE(started[0].war_tag.empty());
    auto const ended = m.of(kind::cwl_round_end, round);
    ASSERT_EQ(ended.size(), 1u) << "round " << round;
    EXPECT_EQ(ended[0].war_tag, started[0].war_tag);
    EXPECT_EQ(m.of(kind::cwl_round_drawn, round).size(), 1u) << "round " << round;
    EXPECT_EQ(m.of(kind::war_new, round).size(), 1u) << "round " << round;
  }
  auto const states = m.engine.seen->of(kind::cwl_group_state);
  ASSERT_GE(states.size(), 2u);
  EXPECT_EQ(states[0].before, "");
  EXPECT_EQ(states[0].after, "preparation");
  EXPECT_EQ(states[1].after, "inWar");
}

TEST(events_time, TheSeasonEndsOnce) {
  moving_world m{world_at(sandbox::testing::before_season_end, 8, 10), sandbox::testing::before_season_end, 3600};
  ASSERT_TRUE(m.engine.events.watch_api());
  m.run(1, 60);
  m.run(4, 3600);  // past Monday 05:00
  auto const ended = m.engine.seen->of(kind::season_end);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].item, "2026-03-30");  // the sandbox names seasons by their last day
  EXPECT_EQ(ended[0].watched, "");
}

/// Every event of a world hour, as JSON lines, watching clans, their wars and raids, and players.
std::vector<std::string> one_hour(std::uint64_t seed) {
  moving_world m{world_at(sandbox::testing::friday_morning, 10, 15, seed), sandbox::testing::friday_morning, 60};
  auto const clans = m.clans();
  for (std::size_t i = 0; i < 4; ++i) {
    m.engine.events.watch_clan(clans[i]);
    m.engine.events.watch_war(clans[i]);
    m.engine.events.watch_raids(clans[i]);
    m.engine.events.watch_league_group(clans[i]);
  }
  auto const profile = m.world.body("/v1/clans/%23" + clans[0].substr(1));
  for (auto const& member : profile.at("memberList").as_array()) {
    m.engine.events.watch_player(std::string{member.at("tag").as_string()});
  }
  m.engine.events.watch_api();
  m.run(60, 60);
  std::vector<std::string> lines;
  for (auto const& e : m.engine.seen->all()) lines.push_back(to_json(e));
  return lines;
}

TEST(events_time, AnHourReplaysTheSameEventsFromTheSameSeed) {
  auto const first = one_hour(21);
  auto const second = one_hour(21);
  EXPECT_GT(first.size(), 10u);  // the hour was not still: the raid weekend opened, wars went on
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) ASSERT_EQ(first[i], second[i]) << "event " << i;
  EXPECT_NE(first, one_hour(22));
}

}  // namespace
}  // namespace overworld::coc::events::testing
