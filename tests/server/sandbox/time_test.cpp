// Time moves (sandbox.time_scale): the world runs its calendar from its start time, the same way
// every time for a seed; answers are cached as the real API's edge cache does, on the world's
// clock; scripted changes still apply. The test's clock is the only clock: nothing sleeps.
#include "world_support.hpp"

#include <gtest/gtest.h>

#include <set>

namespace overworld::sandbox::testing {
namespace {

namespace bhttp = boost::beast::http;

std::vector<std::string> plan_clans(moving_sandbox& m) {
  std::vector<std::string> out;
  for (auto const& c : m.sandbox().data()->plan->clans) out.push_back(c.tag);
  return out;
}

/// What a client sees of a few clans and players at each world minute of an hour.
std::vector<std::string> one_hour(std::uint64_t seed) {
  moving_sandbox m{world_at(friday_morning, 10, 15, seed), friday_morning, 60};
  auto const clans = plan_clans(m);
  std::vector<std::string> targets;
  for (std::size_t i = 0; i < 4; ++i) {
    auto const tag = in_path(clans[i]);
    for (char const* what : {"", "/currentwar", "/members", "/capitalraidseasons", "/warlog"}) {
      targets.push_back("/v1/clans/" + tag + what);
    }
    auto const members = m.body("/v1/clans/" + tag).at("memberList").as_array();
    targets.push_back("/v1/players/" + in_path(std::string{members.at(0).at("tag").as_string()}));
  }
  std::vector<std::string> seen;
  for (int minute = 0; minute <= 60; ++minute) {
    for (auto const& t : targets) {
      auto const r = m.get(t);
      seen.push_back(std::to_string(minute) + " " + t + " " + std::to_string(r.result_int()) + " " + r.body());
    }
    m.pass(60);
  }
  return seen;
}

TEST(SandboxTime, AnHourReplaysTheSameWayFromTheSameSeed) {
  auto const first = one_hour(21);
  auto const second = one_hour(21);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) ASSERT_EQ(first[i], second[i]) << "answer " << i;
  // And the hour was not still: answers changed as it went (wars, the raid weekend opening).
  std::set<std::string> bodies;
  for (auto const& s : first) bodies.insert(s.substr(s.find(' ') + 1));
  EXPECT_GT(bodies.size(), first.size() / 61 + 10);
  EXPECT_NE(first, one_hour(22));
}

TEST(SandboxTime, AFrozenWorldStandsStill) {
  moving_sandbox m{world_at(friday_morning, 6, 10), friday_morning, 0};
  auto const clan = in_path(plan_clans(m)[0]);
  auto const before = m.get("/v1/clans/" + clan + "/capitalraidseasons").body();
  m.s.time.advance(std::chrono::hours{48});
  EXPECT_EQ(m.sandbox().world_time(), friday_morning);
  EXPECT_EQ(m.get("/v1/clans/" + clan + "/capitalraidseasons").body(), before);
  auto const status = json::parse(m.call("GET", "/status").body());
  EXPECT_EQ(status.at("time"), "2026-03-13T06:30:00Z");
  EXPECT_EQ(status.at("time_scale").to_number<double>(), 0.0);
}

TEST(SandboxTime, TheAdminStatusTellsTheWorldsTime) {
  moving_sandbox m{world_at(friday_morning, 2, 5), friday_morning, 60};
  m.pass(90 * 60);
  auto const status = json::parse(m.call("GET", "/status").body());
  EXPECT_EQ(status.at("time"), "2026-03-13T08:00:00Z");
  EXPECT_EQ(status.at("time_scale").to_number<double>(), 60.0);
}

TEST(SandboxTime, WarsPrepareFightEndAndGoIntoTheWarLog) {
  moving_sandbox m{world_at(before_raids, 4, 10), before_raids, 3600};
  auto const clans = plan_clans(m);
  // Find a clan whose war log is open; follow its war through a whole cycle.
  std::string clan;
  for (auto const& c : clans) {
    if (m.body("/v1/clans/" + in_path(c)).at("isWarLogPublic").as_bool()) clan = c;
  }
  ASSERT_FALSE(clan.empty());
  std::set<std::string> states;
  std::string ended_at;
  for (int hour = 0; hour < 4 * 24; ++hour) {
    auto const war = m.body("/v1/clans/" + in_path(clan) + "/currentwar");
    std::string const state{war.at("state").as_string()};
    states.insert(state);
    auto const t = m.sandbox().world_time();
    if (state == "inWar") {
      // On the battle day, and only then, attacks are made.
      EXPECT_LE(war.at("startTime").as_string(), api_time(t));
      EXPECT_GT(war.at("endTime").as_string(), api_time(t - 120));
    }
    if (state == "preparation") {
      EXPECT_EQ(war.at("clan").at("attacks").as_int64(), 0);
      EXPECT_GT(war.at("startTime").as_string(), api_time(t - 120));
    }
    if (state == "warEnded" && ended_at.empty()) {
      ended_at = std::string{war.at("endTime").as_string()};
      auto const log = m.body("/v1/clans/" + in_path(clan) + "/warlog").at("items").as_array();
      EXPECT_EQ(log.at(0).at("endTime").as_string(), ended_at);
      EXPECT_EQ(log.at(0).at("clan").at("stars"), war.at("clan").at("stars"));
      // The opponent logged the same war.
      std::string const other{war.at("opponent").at("tag").as_string()};
      auto const theirs = m.get("/v1/clans/" + in_path(other) + "/warlog");
      if (theirs.result_int() == 200) {
        EXPECT_EQ(json::parse(theirs.body()).at("items").at(0).at("endTime").as_string(), ended_at);
      }
    }
    m.pass(3600);
  }
  EXPECT_TRUE(states.contains("preparation"));
  EXPECT_TRUE(states.contains("inWar"));
  EXPECT_TRUE(states.contains("warEnded"));
  EXPECT_FALSE(ended_at.empty());
}

TEST(SandboxTime, LeagueRoundsAdvanceDailyInTheFirstWeek) {
  moving_sandbox m{world_at(before_league, 16, 15), before_league, 3600};
  auto const clan = in_path(plan_clans(m)[0]);
  auto const group = [&] { return m.get("/v1/clans/" + clan + "/currentwar/leaguegroup"); };
  EXPECT_EQ(group().result_int(), 404);
  m.until(before_league + 3600 + 600);  // March 1st, 00:10: the group forms
  auto g = json::parse(group().body());
  EXPECT_EQ(g.at("state"), "preparation");
  EXPECT_EQ(g.at("season"), "2026-03");
  EXPECT_EQ(g.at("rounds").at(0).at("warTags").at(0), "#0");
  for (int day = 1; day <= 7; ++day) {
    m.pass(86400);  // the 2nd + day - 1, 00:10: round `day` prepares, the one before fights
    g = json::parse(group().body());
    EXPECT_EQ(g.at("state"), "inWar") << "day " << day;
    auto const& rounds = g.at("rounds").as_array();
    for (int r = 1; r <= 7; ++r) {
      std::string const tag{rounds.at(static_cast<std::size_t>(r - 1)).at("warTags").at(0).as_string()};
      if (r > day) {
        EXPECT_EQ(tag, "#0") << "day " << day << " round " << r;
        continue;
      }
      auto const war = m.body("/v1/clanwarleagues/wars/" + in_path(tag));
      char const* expected = r == day ? "preparation" : r == day - 1 ? "inWar" : "warEnded";
      EXPECT_EQ(war.at("state"), expected) << "day " << day << " round " << r;
    }
    // Out of regular wars for the week (unless its war log is private).
    auto const regular = m.get("/v1/clans/" + clan + "/currentwar");
    if (regular.result_int() == 200) {
      EXPECT_EQ(json::parse(regular.body()).at("state"), "notInWar");
    }
  }
  m.pass(2 * 86400);  // the 10th: the last round has ended
  EXPECT_EQ(json::parse(group().body()).at("state"), "ended");
  m.pass(86400);  // the 11th: the league week is over
  EXPECT_EQ(group().result_int(), 404);
}

TEST(SandboxTime, RaidWeekendsOpenOnFridayCollectAttacksAndEndOnMonday) {
  moving_sandbox m{world_at(before_raids, 6, 12), before_raids, 3600};
  auto const clan = in_path(plan_clans(m)[2]);
  auto const latest = [&] { return m.body("/v1/clans/" + clan + "/capitalraidseasons").at("items").at(0); };
  EXPECT_EQ(latest().at("state"), "ended");
  m.until(before_raids + 19 * 3600 - 300);  // Friday 06:55
  EXPECT_EQ(latest().at("state"), "ended");
  m.pass(600);  // 07:05: the weekend opens
  auto season = latest();
  EXPECT_EQ(season.at("state"), "ongoing");
  EXPECT_EQ(season.at("startTime"), "20260313T070000.000Z");
  EXPECT_EQ(season.at("totalAttacks").as_int64(), 0);
  m.pass(12 * 3600);  // 19:05
  season = latest();
  EXPECT_GT(season.at("totalAttacks").as_int64(), 0);
  ASSERT_FALSE(season.at("attackLog").as_array().empty());
  EXPECT_GT(season.at("attackLog").at(0).at("districts").at(0).at("attackCount").as_int64(), 0);
  auto const halfway = season.at("totalAttacks").as_int64();
  m.until(before_raids + 19 * 3600 + 3 * 86400 - 600);  // Monday 06:50
  season = latest();
  EXPECT_EQ(season.at("state"), "ongoing");
  EXPECT_GT(season.at("totalAttacks").as_int64(), halfway);
  m.pass(1200);  // 07:10: over
  season = latest();
  EXPECT_EQ(season.at("state"), "ended");
  EXPECT_GT(season.at("offensiveReward").as_int64(), 0);
}

TEST(SandboxTime, MaxAgeCountsDownOnTheWorldClock) {
  // Twice real time: a 120 s cache window of the world lasts 60 real seconds.
  auto const start = before_raids;  // a whole number of minutes, and of 120 s
  moving_sandbox m{world_at(start, 4, 10), start, 2};
  auto const target = "/v1/clans/" + in_path(plan_clans(m)[0]);
  auto const max_age = [&] { return std::string{m.get(target)[bhttp::field::cache_control]}; };
  EXPECT_EQ(max_age(), "max-age=60");
  m.s.time.advance(std::chrono::seconds{10});
  EXPECT_EQ(max_age(), "max-age=50");
  m.s.time.advance(std::chrono::milliseconds{49'500});
  EXPECT_EQ(max_age(), "max-age=1");
  m.s.time.advance(std::chrono::milliseconds{500});
  EXPECT_EQ(max_age(), "max-age=60");  // a new window
  // Sixty times real time: the clan's 120 s window is two real seconds.
  moving_sandbox fast{world_at(start, 4, 10), start, 60};
  EXPECT_EQ(std::string{fast.get(target)[bhttp::field::cache_control]}, "max-age=2");
}

TEST(SandboxTime, AChangeIsSeenOnlyWhenTheCachedAnswerExpires) {
  auto const start = before_raids;
  moving_sandbox m{world_at(start, 4, 10), start, 2};
  auto const clan = plan_clans(m)[0];
  auto const player = std::string{m.body("/v1/clans/" + in_path(clan)).at("memberList").at(0).at("tag").as_string()};
  auto const donations = [&] { return m.body("/v1/players/" + in_path(player)).at("donations").as_int64(); };
  auto const before = donations();
  m.s.time.advance(std::chrono::seconds{5});  // 10 s into the player's 60 s window
  ASSERT_EQ(m.call("PATCH", "/players/" + in_path(player), R"({"donations":99999})").result_int(), 200);
  EXPECT_EQ(donations(), before);  // the cached answer, as an edge cache would give it
  auto const cached = m.get("/v1/players/" + in_path(player));
  EXPECT_EQ(std::string{cached[bhttp::field::cache_control]}, "max-age=25");
  m.s.time.advance(std::chrono::seconds{24});
  EXPECT_EQ(donations(), before);
  m.s.time.advance(std::chrono::seconds{1});
  EXPECT_EQ(donations(), 99999);
}

TEST(SandboxTime, ScriptedChangesComposeWithTime) {
  moving_sandbox m{world_at(before_raids, 4, 10), before_raids, 3600};
  auto const clan = plan_clans(m)[1];
  auto const player = std::string{m.body("/v1/clans/" + in_path(clan)).at("memberList").at(0).at("tag").as_string()};
  ASSERT_EQ(m.call("PATCH", "/players/" + in_path(player), R"({"add":{"trophies":100000}})").result_int(), 200);
  m.pass(2 * 86400);
  // Two days of drift later the scripted trophies are still there, and the player still first.
  auto const profile = m.body("/v1/players/" + in_path(player));
  EXPECT_GT(profile.at("trophies").as_int64(), 99000);
  EXPECT_EQ(m.body("/v1/clans/" + in_path(clan)).at("memberList").at(0).at("tag").as_string(), player);
  // Maintenance switched by hand holds while time goes on.
  ASSERT_EQ(m.call("PUT", "/maintenance", R"({"on":true})").result_int(), 200);
  m.pass(3600);
  EXPECT_EQ(m.get("/v1/clans/" + in_path(clan)).result_int(), 503);
}

TEST(SandboxTime, MaintenanceBreaksOnSchedule) {
  time_options t;
  t.maintenance_every = std::chrono::hours{6};
  t.maintenance_length = std::chrono::minutes{30};
  moving_sandbox m{world_at(before_raids, 2, 5), before_raids, 60, t};
  EXPECT_EQ(m.get("/v1/goldpass/seasons/current").result_int(), 200);
  m.pass(6 * 3600 + 60);
  auto const down = m.get("/v1/goldpass/seasons/current");
  EXPECT_EQ(down.result_int(), 503);
  EXPECT_EQ(json::parse(down.body()).at("reason"), "inMaintenance");
  m.pass(30 * 60);
  EXPECT_EQ(m.get("/v1/goldpass/seasons/current").result_int(), 200);
}

TEST(SandboxTime, TheSeasonEndsOnTheLastMondayAndTheGoldPassOnTheFirst) {
  moving_sandbox m{world_at(before_season_end, 4, 10), before_season_end, 3600};
  auto const seasons = [&] { return m.body("/v1/leagues/29000022/seasons").at("items").as_array(); };
  auto const count = seasons().size();
  auto const clan = plan_clans(m)[0];
  m.pass(2 * 3600);  // 06:00, after the 05:00 end
  auto const after = seasons();
  ASSERT_EQ(after.size(), count + 1);
  EXPECT_EQ(after.back().at("id"), "2026-03-30");
  EXPECT_EQ(m.body("/v1/leagues/29000022/seasons/2026-03-30?limit=3").at("items").as_array().size(), 3u);
  auto const profile = m.body("/v1/clans/" + in_path(clan));
  for (auto const& member : profile.at("memberList").as_array()) {
    EXPECT_LE(member.at("donations").as_int64(), 60);  // back to nothing, and an hour of giving
  }
  EXPECT_EQ(m.body("/v1/goldpass/seasons/current").at("startTime"), "20260301T080000.000Z");
  m.until(before_season_end + 2 * 86400 + 5 * 3600);  // April 1st, 09:00
  EXPECT_EQ(m.body("/v1/goldpass/seasons/current").at("startTime"), "20260401T080000.000Z");
}

TEST(SandboxTime, ConfigurationKeys) {
  config cfg{sandbox_config_keys()};
  ASSERT_TRUE(cfg.set("sandbox.time_scale", "60", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.start_time", "2026-03-01T00:00:00Z", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.seed", "42", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.maintenance_every", "168h", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.maintenance_duration", "30m", config_source::file));
  std::string why;
  auto const o = sandbox_options_from(cfg, why);
  ASSERT_TRUE(o) << why;
  EXPECT_EQ(o->time.scale, 60.0);
  EXPECT_EQ(o->time.start, 1'772'323'200);
  EXPECT_EQ(o->generate.start_time, 1'772'323'200);
  EXPECT_EQ(o->seed, 42u);
  EXPECT_EQ(o->generate.seed, 42u);
  EXPECT_EQ(o->time.maintenance_every, std::chrono::hours{168});
  EXPECT_EQ(o->time.maintenance_length, std::chrono::minutes{30});

  struct bad {
    char const* key;
    char const* value;
  };
  for (auto const& b : {bad{"sandbox.time_scale", "-1"}, bad{"sandbox.time_scale", "fast"},
                        bad{"sandbox.time_scale", "nan"}, bad{"sandbox.time_scale", "2000000"},
                        bad{"sandbox.start_time", "yesterday"}, bad{"sandbox.start_time", "2026-02-30T00:00:00Z"},
                        bad{"sandbox.seed", "-3"}, bad{"sandbox.maintenance_duration", "200h"},
                        bad{"sandbox.generate_clans", "20001"}, bad{"sandbox.members_per_clan", "51"}}) {
    config c{sandbox_config_keys()};
    ASSERT_TRUE(c.set("sandbox.maintenance_every", "168h", config_source::file));
    ASSERT_TRUE(c.set(b.key, b.value, config_source::file)) << b.key;
    EXPECT_FALSE(sandbox_options_from(c, why)) << b.key << " = " << b.value;
    EXPECT_NE(why.find(std::string{b.key}.substr(8)), std::string::npos) << why;
  }
}

}  // namespace
}  // namespace overworld::sandbox::testing
