// The generator's wars: both clans of a pair see the same war from their side, attacks come from
// the team's members, and the war logs agree on who won.
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using testing::sandbox_server;

std::set<std::string> tags_of(json::array const& members) {
  std::set<std::string> out;
  for (auto const& m : members) out.emplace(m.at("tag").as_string());
  return out;
}

TEST(SandboxGeneratedWars, BothSidesSeeTheSameWar) {
  auto data = std::make_shared<dataset>();
  generator_options g;
  g.clans = 12;
  g.members_per_clan = 12;
  g.start_time = 1'700'000'000;
  generate_into(*data, g);
  sandbox_server s{{}, data};
  auto const path = [](std::string const& tag, char const* what) {
    return "/v1/clans/" + http::percent_encode(tag) + what;
  };

  std::size_t compared = 0;
  for (auto const& [tag, clan] : data->clans) {
    if (!clan.war_log_public || !clan.current_war) continue;
    auto const war = json::parse(s.get(path(tag, "/currentwar")).body()).as_object();
    std::string const state{war.at("state").as_string()};
    EXPECT_TRUE(state == "preparation" || state == "inWar" || state == "warEnded") << state;
    EXPECT_EQ(war.at("teamSize"), 10);  // 12 members: the largest multiple of 5
    EXPECT_LT(war.at("preparationStartTime").as_string(), war.at("startTime").as_string());
    EXPECT_LT(war.at("startTime").as_string(), war.at("endTime").as_string());
    auto const& us = war.at("clan").as_object();
    auto const& them = war.at("opponent").as_object();
    EXPECT_EQ(us.at("tag").as_string(), tag);
    EXPECT_EQ(us.at("members").as_array().size(), 10u);
    // Every attack is by one of ours on one of theirs.
    auto const ours = tags_of(us.at("members").as_array());
    auto const theirs = tags_of(them.at("members").as_array());
    std::int64_t attacks = 0;
    for (auto const& m : us.at("members").as_array()) {
      if (!m.as_object().contains("attacks")) continue;
      for (auto const& a : m.at("attacks").as_array()) {
        ++attacks;
        EXPECT_TRUE(ours.contains(std::string{a.at("attackerTag").as_string()}));
        EXPECT_TRUE(theirs.contains(std::string{a.at("defenderTag").as_string()}));
        EXPECT_LE(a.at("stars").as_int64(), 3);
      }
    }
    EXPECT_EQ(us.at("attacks").as_int64(), attacks);

    std::string const other{them.at("tag").as_string()};
    ASSERT_TRUE(data->clans.contains(other));
    ASSERT_NE(other, tag);
    auto const log = json::parse(s.get(path(tag, "/warlog")).body()).at("items").as_array();
    ASSERT_GE(log.size(), 3u);  // the three wars before this one (and this one when it has ended)
    for (auto const& entry : log) EXPECT_EQ(entry.at("opponent").at("tag").as_string(), other);
    EXPECT_LT(log[1].at("endTime").as_string(), log[0].at("endTime").as_string());  // newest first
    if (!data->clans.at(other).war_log_public) continue;
    // The opponent's view mirrors ours.
    auto const mirror = json::parse(s.get(path(other, "/currentwar")).body()).as_object();
    EXPECT_EQ(mirror.at("clan"), war.at("opponent"));
    EXPECT_EQ(mirror.at("opponent"), war.at("clan"));
    EXPECT_EQ(mirror.at("endTime"), war.at("endTime"));
    auto const other_log = json::parse(s.get(path(other, "/warlog")).body()).at("items").as_array();
    ASSERT_EQ(other_log.size(), log.size());
    for (std::size_t i = 0; i < log.size(); ++i) {
      auto const ours = log[i].at("result").as_string(), theirs = other_log[i].at("result").as_string();
      EXPECT_TRUE(ours == "tie" ? theirs == "tie" : ours != theirs) << ours << " " << theirs;
      EXPECT_EQ(other_log[i].at("clan").at("stars"), log[i].at("opponent").at("stars"));
      EXPECT_EQ(other_log[i].at("endTime"), log[i].at("endTime"));
    }
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

TEST(SandboxGeneratedWars, ClansTooSmallForAWarAreNotInOne) {
  auto data = std::make_shared<dataset>();
  generator_options g;
  g.clans = 2;
  g.members_per_clan = 4;
  generate_into(*data, g);
  for (auto const& [tag, clan] : data->clans) EXPECT_FALSE(clan.current_war) << tag;
}

}  // namespace
}  // namespace overworld::sandbox
