// Profile changes through the admin API: a clan's profile (and what follows it: the members'
// `clan`, the search entry), a member's role, a player's profile and its entry in the clan, a
// hero's level and an achievement; refused changes change nothing.
#include "admin_support.hpp"

#include <gtest/gtest.h>

namespace overworld::sandbox::testing {
namespace {

class admin_profiles : public admin_test {
 protected:
  void SetUp() override {
    clan = public_clans().front();
    members = members_of(clan);
    ASSERT_GE(members.size(), 3u);
  }
  json::value member_entry(std::string const& tag) {
    auto const profile = get_json("/v1/clans/" + in_path(clan));
    for (auto const& m : profile.at("memberList").as_array()) {
      if (m.at("tag").as_string() == tag) return m;
    }
    ADD_FAILURE() << tag << " is not in " << clan;
    return {};
  }
  std::string clan;
  std::vector<std::string> members;
};

TEST_F(admin_profiles, AClanProfileAndWhatFollowsIt) {
  auto const r = call("PATCH", "/clans/" + in_path(clan),
                      R"({"name":"Renamed Clan","description":"d","type":"closed","badge":"https://b/x.png",)"
                      R"("locationId":32000006,"clanLevel":12,"isWarLogPublic":false})");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  auto const profile = get_json("/v1/clans/" + in_path(clan));
  EXPECT_EQ(profile.at("name"), "Renamed Clan");
  EXPECT_EQ(profile.at("description"), "d");
  EXPECT_EQ(profile.at("type"), "closed");
  EXPECT_EQ(profile.at("badgeUrls").at("medium"), "https://b/x.png");
  EXPECT_EQ(profile.at("location").at("id").as_int64(), 32000006);
  EXPECT_EQ(profile.at("clanLevel").as_int64(), 12);
  EXPECT_EQ(profile.at("isWarLogPublic"), false);
  EXPECT_EQ(s.get("/v1/clans/" + in_path(clan) + "/warlog").result_int(), 403);  // private now
  auto const player = get_json("/v1/players/" + in_path(members[0]));
  EXPECT_EQ(player.at("clan").at("name"), "Renamed Clan");
  EXPECT_EQ(player.at("clan").at("clanLevel").as_int64(), 12);
  auto const found = get_json("/v1/clans?name=renamed%20clan");
  ASSERT_EQ(found.at("items").as_array().size(), 1u);
  EXPECT_EQ(found.at("items").at(0).at("tag").as_string(), clan);
}

TEST_F(admin_profiles, BadClanChangesChangeNothing) {
  auto const before = s.get("/v1/clans/" + in_path(clan)).body();
  for (char const* body : {R"({"type":"secret"})", R"({"clanLevel":0})", R"({"locationId":1})", R"({"name":""})",
                           R"({"colour":"red"})", R"({})", R"({"name":5})"}) {
    EXPECT_EQ(call("PATCH", "/clans/" + in_path(clan), body).result_int(), 400) << body;
  }
  EXPECT_EQ(call("PATCH", "/clans/%23QQQQQQ", R"({"name":"x"})").result_int(), 404);
  EXPECT_EQ(s.get("/v1/clans/" + in_path(clan)).body(), before);
}

TEST_F(admin_profiles, AMembersRole) {
  auto const r = call("PATCH", "/clans/" + in_path(clan) + "/members/" + in_path(members[1]), R"({"role":"admin"})");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  EXPECT_EQ(member_entry(members[1]).at("role"), "admin");
  EXPECT_EQ(get_json("/v1/players/" + in_path(members[1])).at("role"), "admin");
  EXPECT_EQ(
      call("PATCH", "/clans/" + in_path(clan) + "/members/" + in_path(members[1]), R"({"role":"boss"})").result_int(),
      400);
  auto const outsider = members_of(public_clans().at(1)).front();
  EXPECT_EQ(
      call("PATCH", "/clans/" + in_path(clan) + "/members/" + in_path(outsider), R"({"role":"admin"})").result_int(),
      404);
}

TEST_F(admin_profiles, ANewLeaderMakesTheOldOneCoLeader) {
  std::string leader;
  auto const profile = get_json("/v1/clans/" + in_path(clan));
  for (auto const& m : profile.at("memberList").as_array()) {
    if (m.at("role") == "leader") leader = std::string{m.at("tag").as_string()};
  }
  ASSERT_FALSE(leader.empty());
  auto const next = members[0] == leader ? members[1] : members[0];
  ASSERT_EQ(call("PATCH", "/clans/" + in_path(clan) + "/members/" + in_path(next), R"({"role":"leader"})").result_int(),
            200);
  EXPECT_EQ(member_entry(next).at("role"), "leader");
  EXPECT_EQ(member_entry(leader).at("role"), "coLeader");
  EXPECT_EQ(get_json("/v1/players/" + in_path(leader)).at("role"), "coLeader");
}

TEST_F(admin_profiles, APlayersProfileAndItsClanEntry) {
  auto const path = "/players/" + in_path(members[0]);
  auto const r =
      call("PATCH", path + "/profile",
           R"({"name":"New Name","townHallLevel":15,"builderHallLevel":9,"expLevel":200,"leagueTierId":105000034})");
  ASSERT_EQ(r.result_int(), 200) << r.body();
  auto const player = get_json("/v1" + path);
  EXPECT_EQ(player.at("name"), "New Name");
  EXPECT_EQ(player.at("townHallLevel").as_int64(), 15);
  EXPECT_EQ(player.at("builderHallLevel").as_int64(), 9);
  EXPECT_EQ(player.at("expLevel").as_int64(), 200);
  EXPECT_EQ(player.at("leagueTier").at("id").as_int64(), 105000034);
  auto const entry = member_entry(members[0]);
  EXPECT_EQ(entry.at("name"), "New Name");
  EXPECT_EQ(entry.at("townHallLevel").as_int64(), 15);
  for (char const* body : {R"({"townHallLevel":0})", R"({"leagueTierId":7})", R"({"age":3})", R"({})"}) {
    EXPECT_EQ(call("PATCH", path + "/profile", body).result_int(), 400) << body;
  }
  EXPECT_EQ(call("PATCH", "/players/%23QQQQQQ/profile", R"({"name":"x"})").result_int(), 404);
}

TEST_F(admin_profiles, HeroesTroopsSpellsAndAchievements) {
  auto const path = "/players/" + in_path(members[0]);
  ASSERT_EQ(call("PUT", path + "/items", R"({"list":"heroes","name":"Archer Queen","level":40})").result_int(), 200);
  ASSERT_EQ(call("PUT", path + "/items", R"({"list":"heroes","name":"Archer Queen","level":41})").result_int(), 200);
  ASSERT_EQ(call("PUT", path + "/items", R"({"list":"achievements","name":"Sweet Victory!","value":50,"stars":2})")
                .result_int(),
            200);
  auto const player = get_json("/v1" + path);
  auto const& heroes = player.at("heroes").as_array();
  ASSERT_EQ(heroes.size(), 1u);
  EXPECT_EQ(heroes.at(0).at("level").as_int64(), 41);
  auto const& feats = player.at("achievements").as_array();
  ASSERT_EQ(feats.size(), 1u);
  EXPECT_EQ(feats.at(0).at("value").as_int64(), 50);
  EXPECT_EQ(feats.at(0).at("stars").as_int64(), 2);
  for (char const* body :
       {R"({"list":"pets","name":"L.A.S.S.I","level":1})", R"({"list":"heroes","name":"X"})",
        R"({"list":"achievements","name":"X","value":1,"stars":4})", R"({"list":"spells","name":"Rage","level":-1})"}) {
    EXPECT_EQ(call("PUT", path + "/items", body).result_int(), 400) << body;
  }
}

}  // namespace
}  // namespace overworld::sandbox::testing
