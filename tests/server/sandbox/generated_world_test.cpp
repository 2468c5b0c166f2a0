// Generated worlds cover all 35 operations: made from nothing but a seed and a time, every
// operation answers with what the API would have, consistent with the rest of the world.
#include "world_support.hpp"

#include <gtest/gtest.h>

#include <set>

namespace overworld::sandbox::testing {
namespace {

class generated_world : public ::testing::Test {
 protected:
  static sandbox_server& s() {
    static sandbox_server server{{}, world_at(league_friday)};
    return server;
  }
  static json::value get(std::string const& target) {
    auto const r = s().get(target);
    EXPECT_EQ(r.result_int(), 200) << target << ": " << r.body();
    return json::parse(r.body());
  }
  static json::array items(std::string const& target) { return get(target).at("items").as_array(); }
  /// The made-up clans in the order they were made: eight by eight in league groups, the last
  /// two paired for regular wars.
  static std::vector<std::string> clans() {
    std::vector<std::string> out;
    for (auto const& c : s().sandbox->data()->plan->clans) out.push_back(c.tag);
    return out;
  }
};

TEST_F(generated_world, ClansPlayersAndTheirLists) {
  auto const found = items("/v1/clans?name=sandbox%20clan&limit=100");
  EXPECT_EQ(found.size(), 26u);
  auto const tag = clans()[0];
  auto const clan = get("/v1/clans/" + in_path(tag));
  EXPECT_EQ(clan.at("memberList").as_array().size(), 20u);
  EXPECT_TRUE(clan.at("labels").is_array());
  EXPECT_TRUE(clan.at("clanCapital").at("districts").is_array());
  EXPECT_EQ(clan.at("location").at("id").as_int64(), 32000007);
  EXPECT_EQ(items("/v1/clans/" + in_path(tag) + "/members").size(), 20u);

  std::string const player{clan.at("memberList").at(0).at("tag").as_string()};
  auto const profile = get("/v1/players/" + in_path(player));
  EXPECT_EQ(profile.at("clan").at("tag").as_string(), tag);
  EXPECT_TRUE(profile.at("leagueTier").at("id").is_int64());
  EXPECT_TRUE(profile.at("builderBaseLeague").at("id").is_int64());
  auto const verified = s().request("POST", "/v1/players/" + in_path(player) + "/verifytoken", test_key,
                                    R"({"token":"sandbox-)" + player.substr(1) + "\"}");
  EXPECT_EQ(json::parse(verified.body()).at("status"), "ok");

  auto const battles = items("/v1/players/" + in_path(player) + "/battlelog");
  ASSERT_EQ(battles.size(), 20u);
  for (auto const& b : battles) {
    EXPECT_EQ(s().get("/v1/players/" + in_path(std::string{b.at("opponentPlayerTag").as_string()})).result_int(), 200);
  }
  auto const history = items("/v1/players/" + in_path(player) + "/leaguehistory");
  ASSERT_EQ(history.size(), 8u);
  EXPECT_LT(history[0].at("leagueSeasonId").as_int64(), history[7].at("leagueSeasonId").as_int64());

  // The player's ranked league group: it is in it, with its attacks and defenses.
  auto const group =
      get("/v1/leaguegroup/" + in_path(std::string{profile.at("currentLeagueGroupTag").as_string()}) + "/" +
          std::to_string(profile.at("currentLeagueSeasonId").as_int64()) + "?playerTag=" + in_path(player));
  std::set<std::string> members;
  for (auto const& m : group.at("members").as_array()) members.emplace(m.at("playerTag").as_string());
  EXPECT_TRUE(members.contains(player));
  EXPECT_FALSE(group.at("attackLogs").as_array().empty());
  // Last week's group answers too; next week's has not begun.
  auto const group_tag = in_path(std::string{profile.at("currentLeagueGroupTag").as_string()});
  auto const last_week = std::to_string(profile.at("previousLeagueSeasonId").as_int64());
  EXPECT_EQ(s().get("/v1/leaguegroup/" + group_tag + "/" + last_week).result_int(), 200);
  EXPECT_EQ(s().get("/v1/leaguegroup/" + group_tag + "/1773032400").result_int(), 404);
  EXPECT_EQ(s().get("/v1/leaguegroup/%232PP/1773032400").result_int(), 404);
}

TEST_F(generated_world, LeagueGroupsOfEightWithSevenRounds) {
  auto const tag = clans()[0];
  auto const group = get("/v1/clans/" + in_path(tag) + "/currentwar/leaguegroup");
  EXPECT_EQ(group.at("state"), "inWar");
  EXPECT_EQ(group.at("season"), "2026-03");
  ASSERT_EQ(group.at("clans").as_array().size(), 8u);
  for (auto const& c : group.at("clans").as_array()) EXPECT_EQ(c.at("members").as_array().size(), 20u);
  auto const& rounds = group.at("rounds").as_array();
  ASSERT_EQ(rounds.size(), 7u);
  // Rounds 1-3 are over, 4 fights, 5 prepares; 6 and 7 are not drawn yet.
  char const* const states[] = {"warEnded", "warEnded", "warEnded", "inWar", "preparation"};
  for (std::size_t r = 0; r < 7; ++r) {
    auto const& tags = rounds[r].at("warTags").as_array();
    ASSERT_EQ(tags.size(), 4u);
    for (auto const& t : tags) {
      std::string const war_tag{t.as_string()};
      if (r >= 5) {
        EXPECT_EQ(war_tag, "#0");
        continue;
      }
      auto const war = get("/v1/clanwarleagues/wars/" + in_path(war_tag));
      EXPECT_EQ(war.at("state"), states[r]) << "round " << r + 1;
      EXPECT_EQ(war.at("teamSize"), 15);
      EXPECT_EQ(war.at("clan").at("members").as_array().size(), 15u);
      EXPECT_TRUE(war.as_object().contains("warStartTime"));
      EXPECT_FALSE(war.as_object().contains("attacksPerMember"));  // as the API leaves it out of league wars
      if (r < 3) {
        EXPECT_GT(war.at("clan").at("attacks").as_int64() + war.at("opponent").at("attacks").as_int64(), 0);
      }
    }
  }
  // During the league week the clans' regular wars answer notInWar (or 403: a private war log).
  for (std::size_t i = 0; i < 24; ++i) {
    auto const r = s().get("/v1/clans/" + in_path(clans()[i]) + "/currentwar");
    if (r.result_int() == 200) {
      EXPECT_EQ(json::parse(r.body()).at("state"), "notInWar");
    } else {
      EXPECT_EQ(r.result_int(), 403);
    }
  }
  // The two clans outside the league fight a regular war with a history.
  auto const outside = clans()[24];
  auto const war = s().get("/v1/clans/" + in_path(outside) + "/currentwar");
  if (war.result_int() == 200) {
    EXPECT_NE(json::parse(war.body()).at("state"), "notInWar");
  }
  EXPECT_EQ(s().get("/v1/clans/" + in_path(outside) + "/currentwar/leaguegroup").result_int(), 404);
}

TEST_F(generated_world, RaidWeekendsWithDistrictsAndAttacks) {
  auto const tag = clans()[3];
  auto const seasons = items("/v1/clans/" + in_path(tag) + "/capitalraidseasons");
  ASSERT_EQ(seasons.size(), 2u);
  // Friday noon: the weekend opened at 07:00; the one before has ended with its rewards.
  EXPECT_EQ(seasons[0].at("state"), "ongoing");
  EXPECT_EQ(seasons[0].at("startTime"), "20260306T070000.000Z");
  EXPECT_EQ(seasons[1].at("state"), "ended");
  EXPECT_GT(seasons[1].at("offensiveReward").as_int64(), 0);
  auto const& ended = seasons[1].as_object();
  EXPECT_GT(ended.at("totalAttacks").as_int64(), 0);
  std::int64_t looted = 0;
  for (auto const& m : ended.at("members").as_array()) looted += m.at("capitalResourcesLooted").as_int64();
  EXPECT_EQ(looted, ended.at("capitalTotalLoot").as_int64());
  ASSERT_FALSE(ended.at("attackLog").as_array().empty());
  auto const& raid = ended.at("attackLog").at(0);
  std::string const raided{raid.at("defender").at("tag").as_string()};
  EXPECT_EQ(s().get("/v1/clans/" + in_path(raided)).result_int(), 200);
  auto const& district = raid.at("districts").at(0);
  EXPECT_GT(district.at("attackCount").as_int64(), 0);
  EXPECT_EQ(district.at("attacks").as_array().size(), static_cast<std::size_t>(district.at("attackCount").as_int64()));
  // The raided clan's defense log has the same raid.
  auto const theirs = items("/v1/clans/" + in_path(raided) + "/capitalraidseasons").at(1);
  bool mirrored = false;
  for (auto const& d : theirs.at("defenseLog").as_array()) {
    if (d.at("attacker").at("tag").as_string() == tag) {
      mirrored = d.at("districts") == raid.at("districts");
    }
  }
  EXPECT_TRUE(mirrored);
}

TEST_F(generated_world, ReferenceListsRankingsSeasonsAndTheGoldPass) {
  EXPECT_EQ(items("/v1/leaguetiers").size(), 35u);
  EXPECT_EQ(get("/v1/leaguetiers/105000034").at("name"), "Legend League");
  EXPECT_EQ(items("/v1/leagues").size(), 23u);
  EXPECT_EQ(get("/v1/leagues/29000022").at("name"), "Legend League");
  EXPECT_EQ(items("/v1/warleagues").size(), 19u);
  EXPECT_EQ(get("/v1/warleagues/48000018").at("name"), "Champion League I");
  EXPECT_EQ(items("/v1/capitalleagues").size(), 23u);
  EXPECT_EQ(get("/v1/capitalleagues/85000022").at("name"), "Legend League");
  EXPECT_EQ(items("/v1/builderbaseleagues").size(), 42u);
  EXPECT_EQ(get("/v1/builderbaseleagues/44000041").at("name"), "Diamond League");
  EXPECT_EQ(items("/v1/labels/clans").size(), 17u);
  EXPECT_EQ(items("/v1/labels/players").size(), 19u);
  EXPECT_EQ(items("/v1/locations").size(), 8u);  // the regions and the sandbox's country
  EXPECT_EQ(get("/v1/locations/32000007").at("isCountry"), true);

  for (char const* location : {"32000007", "global"}) {
    for (char const* kind : {"clans", "clans-builder-base", "capitals"}) {
      EXPECT_EQ(items(std::string{"/v1/locations/"} + location + "/rankings/" + kind).size(), 26u) << kind;
    }
    for (char const* kind : {"players", "players-builder-base"}) {
      auto const ranked = items(std::string{"/v1/locations/"} + location + "/rankings/" + kind);
      ASSERT_EQ(ranked.size(), 200u) << kind;
      char const* score = std::string_view{kind} == "players" ? "trophies" : "builderBaseTrophies";
      for (std::size_t i = 1; i < ranked.size(); ++i) {
        EXPECT_GE(ranked[i - 1].at(score).as_int64(), ranked[i].at(score).as_int64());
        EXPECT_EQ(ranked[i].at("rank").as_int64(), static_cast<std::int64_t>(i + 1));
      }
    }
  }
  EXPECT_EQ(items("/v1/locations/32000000/rankings/players").size(), 0u);  // a region

  auto const seasons = items("/v1/leagues/29000022/seasons");
  ASSERT_EQ(seasons.size(), 12u);
  EXPECT_EQ(seasons.back().at("id"), "2026-02-23");  // the last Monday of February
  EXPECT_EQ(items("/v1/leagues/29000022/seasons/2026-02-23").size(), 200u);
  EXPECT_EQ(items("/v1/leagues/29000022/seasons/2025-12-29?limit=5").size(), 5u);
  auto const pass = get("/v1/goldpass/seasons/current");
  EXPECT_EQ(pass.at("startTime"), "20260301T080000.000Z");
  EXPECT_EQ(pass.at("endTime"), "20260401T080000.000Z");
}

TEST(SandboxGeneratedWorlds, OneSeedAndStartTimeMakeOneWorld) {
  auto const a = world_at(league_friday, 12, 16, 11);
  auto const b = world_at(league_friday, 12, 16, 11);
  auto const c = world_at(league_friday, 12, 16, 12);
  std::size_t compared = 0, differing = 0;
  for (auto const& [tag, clan] : a->clans) {
    auto const* other = b->clan(tag);
    ASSERT_TRUE(other);
    EXPECT_EQ(*clan.profile, *other->profile);
    EXPECT_EQ(clan.current_war == nullptr, other->current_war == nullptr);
    if (clan.current_war) {
      EXPECT_EQ(*clan.current_war, *other->current_war);
    }
    EXPECT_EQ(clan.raid_seasons->items, other->raid_seasons->items);
    EXPECT_EQ(clan.warlog->items, other->warlog->items);
    ++compared;
  }
  for (auto const& [tag, player] : a->players) EXPECT_EQ(*player.profile, *b->player(tag)->profile);
  for (auto const& [tag, war] : a->cwl_wars) EXPECT_EQ(*war, *b->cwl_wars.at(tag));
  for (auto const& [tag, clan] : c->clans) differing += a->clan(tag) == nullptr;
  EXPECT_EQ(compared, 12u);
  EXPECT_EQ(differing, 12u);  // another seed, other tags
}

}  // namespace
}  // namespace overworld::sandbox::testing
