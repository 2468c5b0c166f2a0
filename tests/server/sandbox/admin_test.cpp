// The sandbox admin API: every change is seen over /v1 afterwards, players and clans stay
// consistent, and refused calls change nothing.
#include "admin_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

namespace overworld::sandbox::testing {
namespace {

bool contains(std::vector<std::string> const& list, std::string const& tag) {
  return std::find(list.begin(), list.end(), tag) != list.end();
}

class admin : public admin_test {
 protected:
  /// Every member of the clan's memberList names the clan in its own profile, and the counts agree.
  void expect_consistent(std::string const& clan) {
    auto const profile = get_json("/v1/clans/" + in_path(clan));
    auto const& list = profile.at("memberList").as_array();
    EXPECT_EQ(profile.at("members").as_int64(), static_cast<std::int64_t>(list.size()));
    auto const members = get_json("/v1/clans/" + in_path(clan) + "/members");
    EXPECT_EQ(members.at("items").as_array().size(), list.size());
    std::int64_t rank = 0;
    for (auto const& m : list) {
      EXPECT_EQ(m.at("clanRank").as_int64(), ++rank);
      auto const player = get_json("/v1/players/" + in_path(std::string{m.at("tag").as_string()}));
      EXPECT_EQ(player.at("clan").at("tag").as_string(), clan);
      EXPECT_EQ(player.at("role"), m.at("role"));
      EXPECT_EQ(player.at("donations"), m.at("donations"));
      EXPECT_EQ(player.at("trophies"), m.at("trophies"));
    }
  }
};

TEST_F(admin, WrongOrMissingKeyIs401) {
  auto const before = s.sandbox->data();
  auto const wrong = s.request("PUT", "/sandbox/admin/v1/maintenance", "not-the-key", R"({"on":true})");
  EXPECT_EQ(wrong.result_int(), 401);
  EXPECT_EQ(wrong[boost::beast::http::field::www_authenticate], "Bearer");
  EXPECT_EQ(wrong.body(), R"({"error":"missing or wrong admin key"})");
  EXPECT_EQ(s.request("GET", "/sandbox/admin/v1/status", "").result_int(), 401);
  // The API key of /v1 is not an admin key.
  EXPECT_EQ(s.request("GET", "/sandbox/admin/v1/status", test_key).result_int(), 401);
  EXPECT_FALSE(s.sandbox->maintenance());
  EXPECT_EQ(s.sandbox->data(), before);
  EXPECT_EQ(call("GET", "/status").result_int(), 200);
}

TEST_F(admin, MemberJoinsAnotherClanAndLeaves) {
  auto const data = s.sandbox->data();
  std::string const a = (*data->search_order)[0], b = (*data->search_order)[1];
  auto const player = members_of(b).back();
  auto const before_a = members_of(a).size();

  auto const joined =
      call("POST", "/clans/" + in_path(a) + "/members", R"({"tag":")" + player + R"(","role":"admin"})");
  ASSERT_EQ(joined.result_int(), 200) << joined.body();
  EXPECT_TRUE(contains(members_of(a), player));
  EXPECT_FALSE(contains(members_of(b), player));
  EXPECT_EQ(members_of(a).size(), before_a + 1);
  auto const profile = get_json("/v1/players/" + in_path(player));
  EXPECT_EQ(profile.at("clan").at("tag").as_string(), a);
  EXPECT_EQ(profile.at("role").as_string(), "admin");
  expect_consistent(a);
  expect_consistent(b);
  // The search sees the new member count.
  auto const found = get_json("/v1/clans?minMembers=" + std::to_string(before_a + 1));
  ASSERT_EQ(found.at("items").as_array().size(), 1u);
  EXPECT_EQ(found.at("items").at(0).at("tag").as_string(), a);
  // Cache-Control keeps its countdown form.
  EXPECT_TRUE(s.get("/v1/clans/" + in_path(a))[boost::beast::http::field::cache_control].starts_with("max-age="));

  auto const left = call("DELETE", "/clans/" + in_path(a) + "/members/" + in_path(player));
  ASSERT_EQ(left.result_int(), 200) << left.body();
  EXPECT_FALSE(contains(members_of(a), player));
  auto const alone = get_json("/v1/players/" + in_path(player));
  EXPECT_FALSE(alone.as_object().contains("clan"));
  EXPECT_FALSE(alone.as_object().contains("role"));
  expect_consistent(a);
  EXPECT_EQ(call("DELETE", "/clans/" + in_path(a) + "/members/" + in_path(player)).result_int(), 404);
}

TEST_F(admin, ReadersNeverSeeAHalfChangedClan) {
  auto const data = s.sandbox->data();
  std::string const a = (*data->search_order)[0], b = (*data->search_order)[1];
  auto const player = members_of(b).back();
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::thread reader{[&] {
    while (!done.load()) {
      auto const r = s.get("/v1/clans/" + in_path(a));
      auto const clan = json::parse(r.body());
      auto const& list = clan.at("memberList").as_array();
      bool const has = std::any_of(list.begin(), list.end(),
                                   [&](json::value const& m) { return m.at("tag").as_string() == player; });
      if (clan.at("members").as_int64() != static_cast<std::int64_t>(list.size()) ||
          has != (clan.at("members").as_int64() == 11)) {
        ++torn;
      }
      ++reads;
    }
  }};
  for (int i = 0; i < 25; ++i) {
    EXPECT_EQ(call("POST", "/clans/" + in_path(a) + "/members", R"({"tag":")" + player + R"("})").result_int(), 200);
    EXPECT_EQ(call("DELETE", "/clans/" + in_path(a) + "/members/" + in_path(player)).result_int(), 200);
  }
  done = true;
  reader.join();
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
}

TEST_F(admin, NewLeaderDemotesTheOldOne) {
  auto const data = s.sandbox->data();
  std::string const a = (*data->search_order)[2], b = (*data->search_order)[3];
  auto const newcomer = members_of(b).front();
  ASSERT_EQ(call("POST", "/clans/" + in_path(a) + "/members", R"({"tag":")" + newcomer + R"(","role":"leader"})")
                .result_int(),
            200);
  int leaders = 0;
  auto const profile = get_json("/v1/clans/" + in_path(a));
  for (auto const& m : profile.at("memberList").as_array()) {
    leaders += m.at("role") == "leader";
  }
  EXPECT_EQ(leaders, 1);
  expect_consistent(a);
  expect_consistent(b);
}

TEST_F(admin, RefusedCallsChangeNothing) {
  auto const data = s.sandbox->data();
  std::string const a = (*data->search_order)[0];
  auto const member = members_of(a).front();
  auto const path = "/clans/" + in_path(a) + "/members";
  struct bad {
    std::string method, path, body;
    unsigned status;
  };
  std::vector<bad> const calls{
      {"POST", path, "{not json", 400},
      {"POST", path, R"({"tag":"#2PP","rank":"member"})", 400},
      {"POST", path, R"({"tag":"not a tag!"})", 400},
      {"POST", path, R"({"tag":42})", 400},
      {"POST", path, R"({})", 400},
      {"POST", path, R"({"tag":"#2PP","role":"king"})", 400},
      {"POST", path, R"({"tag":"#2PP"})", 404},  // not a generated player
      {"POST", "/clans/%232PP/members", R"({"tag":")" + member + R"("})", 404},
      {"POST", path, R"({"tag":")" + member + R"("})", 409},
      {"PATCH", "/players/" + in_path(member), R"({"donations":-5})", 400},
      {"PATCH", "/players/" + in_path(member), R"({"donations":1.5})", 400},
      {"PATCH", "/players/" + in_path(member), R"({"gems":5})", 400},
      {"PATCH", "/players/" + in_path(member), R"({})", 400},
      {"PATCH", "/players/" + in_path(member), R"({"add":{"donations":-100000}})", 400},
      {"PATCH", "/players/" + in_path(member), R"({"add":{"donations":1},"trophies":3})", 400},
      // Adding near the int64 limit overflowed (undefined behaviour, which UBSan reports).
      {"PATCH", "/players/" + in_path(member), R"({"add":{"trophies":9223372036854775807}})", 400},
      {"PATCH", "/players/" + in_path(member), R"({"add":{"trophies":-9223372036854775807}})", 400},
      // Names served back later follow the name rule.
      {"PUT", "/clans/" + in_path(a) + "/war", R"({"state":"preparation","opponentName":"a\u0000b"})", 400},
      {"PUT", "/clans/" + in_path(a) + "/war", R"({"state":"preparation","opponentName":"\ud800"})", 400},
      {"PUT", "/clans/" + in_path(a) + "/war", R"({"state":"onFire"})", 400},
      {"PUT", "/clans/" + in_path(a) + "/war", R"({"state":"preparation","teamSize":7})", 400},
      {"PUT", "/clans/" + in_path(a) + "/war", R"({"state":"preparation","teamSize":15})", 409},
      {"POST", "/clans/" + in_path(a) + "/raids/attacks", R"({"attacker":")" + member + R"(","loot":5})", 409},
      {"POST", "/clans/" + in_path(a) + "/raids/end", R"({})", 409},
      {"PUT", "/maintenance", R"({"on":"yes"})", 400},
  };
  for (auto const& c : calls) {
    auto const r = call(c.method, c.path, c.body);
    EXPECT_EQ(r.result_int(), c.status) << c.method << " " << c.path << " " << c.body << ": " << r.body();
    EXPECT_TRUE(body_of(r).as_object().contains("error")) << r.body();
  }
  EXPECT_EQ(s.sandbox->data(), data);  // not even a copy was swapped in
  EXPECT_FALSE(s.sandbox->maintenance());
}

TEST_F(admin, DonationsAndTrophiesShowInProfileAndClan) {
  auto const data = s.sandbox->data();
  std::string const a = (*data->search_order)[0];
  auto const player = members_of(a).back();
  auto const path = "/players/" + in_path(player);
  ASSERT_EQ(call("PATCH", path, R"({"donations":123,"donationsReceived":45,"trophies":9000})").result_int(), 200);
  auto const profile = get_json("/v1" + path);
  EXPECT_EQ(profile.at("donations").as_int64(), 123);
  EXPECT_EQ(profile.at("donationsReceived").as_int64(), 45);
  EXPECT_EQ(profile.at("trophies").as_int64(), 9000);
  EXPECT_EQ(profile.at("bestTrophies").as_int64(), 9000);
  // Most trophies: first in the clan now.
  EXPECT_EQ(members_of(a).front(), player);
  auto const first = get_json("/v1/clans/" + in_path(a) + "/members?limit=1").at("items").at(0);
  EXPECT_EQ(first.at("tag").as_string(), player);
  EXPECT_EQ(first.at("donations").as_int64(), 123);
  EXPECT_EQ(first.at("donationsReceived").as_int64(), 45);
  EXPECT_EQ(first.at("clanRank").as_int64(), 1);

  ASSERT_EQ(call("PATCH", path, R"({"add":{"donations":7,"trophies":-100}})").result_int(), 200);
  auto const later = get_json("/v1" + path);
  EXPECT_EQ(later.at("donations").as_int64(), 130);
  EXPECT_EQ(later.at("trophies").as_int64(), 8900);
  EXPECT_EQ(later.at("bestTrophies").as_int64(), 9000);
  expect_consistent(a);
}

TEST_F(admin, MaintenanceSwitchesV1) {
  ASSERT_EQ(call("PUT", "/maintenance", R"({"on":true})").result_int(), 200);
  auto const down = s.get("/v1/goldpass/seasons/current");
  EXPECT_EQ(down.result_int(), 503);
  EXPECT_EQ(body_of(down).at("reason").as_string(), "inMaintenance");
  EXPECT_EQ(body_of(call("GET", "/status")).at("maintenance"), true);
  ASSERT_EQ(call("PUT", "/maintenance", R"({"on":false})").result_int(), 200);
  EXPECT_NE(s.get("/v1/goldpass/seasons/current").result_int(), 503);
}

TEST_F(admin, RaidWeekendStartsIsFoughtAndEnds) {
  auto const data = s.sandbox->data();
  std::string const a = (*data->search_order)[0];
  auto const members = members_of(a);
  auto const raids = "/clans/" + in_path(a) + "/raids";
  ASSERT_EQ(call("POST", raids).result_int(), 200);
  EXPECT_EQ(call("POST", raids).result_int(), 409);
  auto const season = [&] { return get_json("/v1/clans/" + in_path(a) + "/capitalraidseasons").at("items").at(0); };
  EXPECT_EQ(season().at("state").as_string(), "ongoing");

  auto const attack = [&](std::string const& who, int loot, bool completed) {
    return call("POST", raids + "/attacks",
                R"({"attacker":")" + who + R"(","loot":)" + std::to_string(loot) +
                    R"(,"districtsDestroyed":2,"raidCompleted":)" + (completed ? "true" : "false") + "}");
  };
  ASSERT_EQ(attack(members[0], 1000, false).result_int(), 200);
  ASSERT_EQ(attack(members[0], 500, true).result_int(), 200);
  ASSERT_EQ(attack(members[1], 250, false).result_int(), 200);
  EXPECT_EQ(attack("#2PP", 1, false).result_int(), 404);  // not a member
  auto const ongoing = season();
  EXPECT_EQ(ongoing.at("totalAttacks").as_int64(), 3);
  EXPECT_EQ(ongoing.at("capitalTotalLoot").as_int64(), 1750);
  EXPECT_EQ(ongoing.at("enemyDistrictsDestroyed").as_int64(), 6);
  EXPECT_EQ(ongoing.at("raidsCompleted").as_int64(), 1);
  auto const& raider = ongoing.at("members").at(0);
  EXPECT_EQ(raider.at("tag").as_string(), members[0]);
  EXPECT_EQ(raider.at("attacks").as_int64(), 2);
  EXPECT_EQ(raider.at("capitalResourcesLooted").as_int64(), 1500);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(attack(members[0], 1, false).result_int(), 200);
  EXPECT_EQ(attack(members[0], 1, false).result_int(), 409);  // 5 attacks and a bonus one

  ASSERT_EQ(call("POST", raids + "/end", R"({"offensiveReward":300,"defensiveReward":120})").result_int(), 200);
  auto const ended = season();
  EXPECT_EQ(ended.at("state").as_string(), "ended");
  EXPECT_EQ(ended.at("offensiveReward").as_int64(), 300);
  EXPECT_EQ(attack(members[1], 1, false).result_int(), 409);
  ASSERT_EQ(call("POST", raids).result_int(), 200);  // the next weekend
  auto const all = get_json("/v1/clans/" + in_path(a) + "/capitalraidseasons").at("items").as_array();
  ASSERT_EQ(all.size(), 4u);  // and the two weekends the clan had before
  EXPECT_EQ(all.at(0).at("state").as_string(), "ongoing");
  EXPECT_EQ(all.at(1).at("state").as_string(), "ended");
  EXPECT_EQ(all.at(1).at("offensiveReward").as_int64(), 300);
}

}  // namespace
}  // namespace overworld::sandbox::testing
