// `overworld coc watch` against a sandbox whose world runs 3,600 times as fast as the test's
// clock (so the answers' max-age is under a second and the command polls every --interval): a
// scripted change is printed once, as a line or as JSON; unknown event names are refused.
#include "cli/support.hpp"
#include "server/sandbox/world_support.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;
using sandbox::testing::in_path;
using sandbox::testing::moving_sandbox;

struct cli_coc_watch : ::testing::Test {
  moving_sandbox world{sandbox::testing::world_at(sandbox::testing::before_raids, 4, 10),
                       sandbox::testing::before_raids, 3600};
  std::string clan, joiner;

  void SetUp() override {
    auto const& plan = world.sandbox().data()->plan->clans;
    clan = plan.at(0).tag;
    auto const other = world.body("/v1/clans/" + in_path(plan.at(1).tag));
    joiner = std::string{other.at("memberList").at(0).at("tag").as_string()};
  }
  std::vector<std::string> args(std::vector<std::string> more, bool as_json) {
    std::vector<std::string> all{"--base-url", "http://127.0.0.1:" + std::to_string(world.s.server.port()) + "/v1"};
    if (as_json) all.emplace_back("--json");
    all.insert(all.end(), {"coc", "--key", sandbox::testing::test_key, "watch"});
    all.insert(all.end(), more.begin(), more.end());
    return all;
  }
  /// Starts the command, waits until it has taken stock, makes `joiner` join `clan`, and moves the
  /// world past the clan's cache window so that the change can be seen.
  std::string join_while_watching(bool as_json) {
    overworld::testing::child_process watch{
        OVERWORLD_CLI_PATH,
        args({"clan", clan, "--events", "member_join", "--count", "1", "--interval", "200ms"}, as_json),
        {{"NO_COLOR", "1"}}};
    EXPECT_TRUE(watch.wait_for_line("watching 1 clan", std::chrono::seconds{20})) << watch.output();
    auto const r = world.call("POST", "/clans/" + in_path(clan) + "/members", R"({"tag":")" + joiner + R"("})");
    EXPECT_EQ(r.result_int(), 200) << r.body();
    world.pass(180);
    auto const line = watch.wait_for_line(as_json ? "\"member_join\"" : "member_join", std::chrono::seconds{20});
    EXPECT_TRUE(line) << watch.output();
    EXPECT_EQ(watch.wait(std::chrono::seconds{20}), 0) << watch.output();
    return line.value_or("");
  }
};

TEST_F(cli_coc_watch, PrintsAJoinAsALine) {
  auto const line = join_while_watching(false);
  EXPECT_NE(line.find("member_join " + clan + ": " + joiner), std::string::npos) << line;
  EXPECT_NE(line.find("joined"), std::string::npos) << line;
}

TEST_F(cli_coc_watch, PrintsAJoinAsJson) {
  auto const line = join_while_watching(true);
  auto const e = json::parse(line);
  EXPECT_EQ(e.at("event"), "member_join");
  EXPECT_EQ(e.at("watched").as_string(), clan);
  EXPECT_EQ(e.at("tag").as_string(), joiner);
  EXPECT_FALSE(e.at("name").as_string().empty());
}

TEST_F(cli_coc_watch, UnknownEventsAreRefusedWithTheValidOnes) {
  auto const r = run(args({"clan", clan, "--events", "member_join,war_atack"}, false));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown event 'war_atack'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("member_leave"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("war_attack"), std::string::npos) << "a war event offered for a clan: " << r.err;
  auto const war = run(args({"war", clan, "--events", "member_join"}, false));
  EXPECT_EQ(war.code, 2);
  EXPECT_NE(war.err.find("war_attack"), std::string::npos) << war.err;
  EXPECT_EQ(run(args({"guild", clan}, false)).code, 2);
}

}  // namespace
}  // namespace overworld::cli::testing
