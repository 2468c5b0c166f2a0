// Wars through the admin API: states, attacks and their totals, both sides of a war between two
// clans of the dataset, the war log at the end.
#include "admin_support.hpp"

#include <gtest/gtest.h>

namespace overworld::sandbox::testing {
namespace {

class admin_war : public admin_test {
 protected:
  void SetUp() override {
    clans = public_clans();
    ASSERT_GE(clans.size(), 3u);
    a = clans[0];
    b = clans[1];
    // The generator may have put them in wars of their own.
    for (auto const& tag : clans) ASSERT_EQ(set_state(tag, R"("notInWar")").result_int(), 200);
  }
  sandbox_server::response set_state(std::string const& clan, std::string const& state, std::string const& more = {}) {
    return call("PUT", "/clans/" + in_path(clan) + "/war", R"({"state":)" + state + more + "}");
  }
  json::value war_of(std::string const& clan) { return get_json("/v1/clans/" + in_path(clan) + "/currentwar"); }
  std::string member(json::value const& war, char const* side, std::size_t i) {
    return std::string{war.at(side).at("members").at(i).at("tag").as_string()};
  }
  sandbox_server::response attack(std::string const& clan, std::string const& attacker, std::string const& defender,
                                  int stars, int destruction) {
    return call("POST", "/clans/" + in_path(clan) + "/war/attacks",
                R"({"attacker":")" + attacker + R"(","defender":")" + defender + R"(","stars":)" +
                    std::to_string(stars) + R"(,"destructionPercentage":)" + std::to_string(destruction) + "}");
  }

  std::vector<std::string> clans;
  std::string a, b;
};

TEST_F(admin_war, BetweenTwoClansOfTheDataset) {
  ASSERT_EQ(set_state(a, R"("preparation")", R"(,"teamSize":5,"opponent":")" + b + "\"").result_int(), 200);
  auto const ours = war_of(a);
  EXPECT_EQ(ours.at("state").as_string(), "preparation");
  EXPECT_EQ(ours.at("teamSize").as_int64(), 5);
  EXPECT_EQ(ours.at("clan").at("tag").as_string(), a);
  EXPECT_EQ(ours.at("opponent").at("tag").as_string(), b);
  EXPECT_EQ(ours.at("clan").at("members").as_array().size(), 5u);
  auto const theirs = war_of(b);
  EXPECT_EQ(theirs.at("clan").at("tag").as_string(), b);
  EXPECT_EQ(theirs.at("opponent").at("tag").as_string(), a);
  EXPECT_EQ(set_state(b, R"("preparation")").result_int(), 409);  // already in this war

  auto const x = member(ours, "clan", 0), y = member(ours, "clan", 1), z = member(ours, "clan", 2);
  auto const target = member(ours, "opponent", 0);
  EXPECT_EQ(attack(a, x, target, 2, 85).result_int(), 409);  // not on preparation day
  ASSERT_EQ(set_state(a, R"("warEnded")").result_int(), 409);
  ASSERT_EQ(set_state(a, R"("inWar")").result_int(), 200);
  EXPECT_EQ(war_of(b).at("state").as_string(), "inWar");

  ASSERT_EQ(attack(a, x, target, 2, 85).result_int(), 200);
  auto w = war_of(a);
  EXPECT_EQ(w.at("clan").at("attacks").as_int64(), 1);
  EXPECT_EQ(w.at("clan").at("stars").as_int64(), 2);
  EXPECT_DOUBLE_EQ(w.at("clan").at("destructionPercentage").to_number<double>(), 17.0);
  auto const& made = w.at("clan").at("members").at(0).at("attacks").at(0);
  EXPECT_EQ(made.at("defenderTag").as_string(), target);
  EXPECT_EQ(made.at("order").as_int64(), 1);

  // A better attack on the same base counts only what it adds; a worse one adds nothing.
  ASSERT_EQ(attack(a, y, target, 3, 100).result_int(), 200);
  ASSERT_EQ(attack(a, z, target, 1, 50).result_int(), 200);
  w = war_of(a);
  EXPECT_EQ(w.at("clan").at("attacks").as_int64(), 3);
  EXPECT_EQ(w.at("clan").at("stars").as_int64(), 3);
  EXPECT_DOUBLE_EQ(w.at("clan").at("destructionPercentage").to_number<double>(), 20.0);
  auto const& defender = w.at("opponent").at("members").at(0);
  EXPECT_EQ(defender.at("opponentAttacks").as_int64(), 3);
  EXPECT_EQ(defender.at("bestOpponentAttack").at("attackerTag").as_string(), y);

  // The opponent sees the same war, and fights back in it.
  auto const seen = war_of(b);
  EXPECT_EQ(seen.at("opponent").at("stars").as_int64(), 3);
  EXPECT_EQ(seen.at("opponent").at("attacks").as_int64(), 3);
  ASSERT_EQ(attack(b, target, x, 1, 40).result_int(), 200);
  EXPECT_EQ(war_of(a).at("opponent").at("stars").as_int64(), 1);
  EXPECT_EQ(war_of(b).at("clan").at("members").at(0).at("attacks").at(0).at("order").as_int64(), 4);

  ASSERT_EQ(attack(a, x, member(ours, "opponent", 1), 1, 30).result_int(), 200);
  EXPECT_EQ(attack(a, x, member(ours, "opponent", 2), 1, 30).result_int(), 409);  // two attacks each
  EXPECT_EQ(attack(a, y, z, 1, 30).result_int(), 400);                            // same side
  EXPECT_EQ(attack(a, "#2PP", target, 1, 30).result_int(), 404);
  EXPECT_EQ(attack(a, y, target, 4, 30).result_int(), 400);

  ASSERT_EQ(set_state(a, R"("warEnded")").result_int(), 200);
  EXPECT_EQ(war_of(a).at("state").as_string(), "warEnded");
  EXPECT_EQ(war_of(b).at("state").as_string(), "warEnded");
  auto const log_a = get_json("/v1/clans/" + in_path(a) + "/warlog").at("items").at(0);
  EXPECT_EQ(log_a.at("result").as_string(), "win");
  EXPECT_EQ(log_a.at("opponent").at("tag").as_string(), b);
  EXPECT_EQ(log_a.at("clan").at("stars").as_int64(), 4);
  EXPECT_EQ(get_json("/v1/clans/" + in_path(b) + "/warlog").at("items").at(0).at("result").as_string(), "lose");

  ASSERT_EQ(set_state(a, R"("notInWar")").result_int(), 200);
  EXPECT_EQ(war_of(a).at("state").as_string(), "notInWar");
  EXPECT_EQ(war_of(b).at("state").as_string(), "notInWar");
}

TEST_F(admin_war, AgainstAMadeUpOpponent) {
  ASSERT_EQ(set_state(a, R"("preparation")", R"(,"attacksPerMember":1,"opponentName":"The Others")").result_int(), 200);
  auto const war = war_of(a);
  EXPECT_EQ(war.at("teamSize").as_int64(), 10);  // the whole clan
  EXPECT_EQ(war.at("attacksPerMember").as_int64(), 1);
  EXPECT_EQ(war.at("opponent").at("name").as_string(), "The Others");
  EXPECT_EQ(war.at("opponent").at("members").as_array().size(), 10u);
  EXPECT_TRUE(normalize_tag(std::string{war.at("opponent").at("tag").as_string()}).has_value());
  ASSERT_EQ(set_state(a, R"("inWar")").result_int(), 200);
  // The made-up side attacks too.
  ASSERT_EQ(attack(a, member(war, "opponent", 3), member(war, "clan", 3), 3, 100).result_int(), 200);
  EXPECT_EQ(attack(a, member(war, "opponent", 3), member(war, "clan", 4), 3, 100).result_int(), 409);
  EXPECT_EQ(war_of(a).at("opponent").at("stars").as_int64(), 3);
  ASSERT_EQ(set_state(a, R"("warEnded")").result_int(), 200);
  EXPECT_EQ(get_json("/v1/clans/" + in_path(a) + "/warlog").at("items").at(0).at("result").as_string(), "lose");
  // After the end, the next war can be prepared.
  EXPECT_EQ(set_state(a, R"("preparation")").result_int(), 200);
}

}  // namespace
}  // namespace overworld::sandbox::testing
