// `overworld watch invasions` against the world service: from the event stream and by polling,
// as lines for people and as JSON lines, stopping after --count events or on SIGTERM.
#include "cli/support.hpp"
#include "cli/world_support.hpp"
#include "support/process.hpp"
#include "text_width.hpp"

#include <gtest/gtest.h>

#include <set>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

struct cli_watch : ::testing::Test {
  world_server world;
  void SetUp() override {
    world.report(
        "Boingy Acres",
        R"({"population":42,"invasion":{"cog":"Version 2.0 Flunky","defeated":10,"total":100,"started_at":1699999990}})");
    world.report("Zoink Falls", R"({"population":7})");
    world.publish();
  }
};

TEST_F(cli_watch, JsonLinesFromTheStreamAndFromPolling) {
  for (std::string const mode : {"always", "never"}) {
    auto const r = run({"--base-url", world.url(), "--json", "watch", "invasions", "--stream", mode, "--count", "1",
                        "--interval", "100ms"},
                       {}, {}, std::chrono::seconds{30});
    ASSERT_EQ(r.code, 0) << mode << ": " << r.err;
    auto const events = lines(r.out);
    ASSERT_EQ(events.size(), 1u) << r.out;
    auto const e = json::parse(events[0]);
    EXPECT_EQ(e.at("event"), "invasion.started") << mode;
    EXPECT_EQ(e.at("district"), "Boingy Acres");
    EXPECT_EQ(e.at("invasion").at("cog"), "Flunky");
    EXPECT_EQ(e.at("invasion").at("v2"), true);
    EXPECT_EQ(e.at("invasion").at("defeated"), 10);
    EXPECT_EQ(e.at("invasion").at("total"), 100);
  }
}

TEST_F(cli_watch, DistrictEventsOnRequestAndLinesForPeople) {
  auto const r = run(
      {"--base-url", world.url(), "--json", "watch", "invasions", "--districts", "--count", "3", "--interval", "100ms"},
      {}, {}, std::chrono::seconds{30});
  ASSERT_EQ(r.code, 0) << r.err;
  std::multiset<std::string> seen;
  for (auto const& l : lines(r.out)) {
    auto const e = json::parse(l);
    seen.insert(to_text(e.at("event")) + " " + to_text(e.at("district")));
  }
  EXPECT_EQ(seen, (std::multiset<std::string>{"district.online Boingy Acres", "district.online Zoink Falls",
                                              "invasion.started Boingy Acres"}));

  auto const text = run({"--base-url", world.url(), "watch", "invasions", "--count", "1", "--interval", "100ms"}, {},
                        {}, std::chrono::seconds{30});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("started"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Boingy Acres"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Flunky (v2.0)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("10/100"), std::string::npos) << text.out;
}

TEST_F(cli_watch, EventsFilterAndProgressThinning) {
  // Started and ended only: the progress in between is not printed.
  overworld::testing::child_process watch{OVERWORLD_CLI_PATH,
                                          {"--base-url", world.url(), "watch", "invasions", "--stream", "always",
                                           "--events", "started,ended", "--count", "2"},
                                          {{"NO_COLOR", "1"}}};
  ASSERT_TRUE(watch.wait_for_line("started", std::chrono::seconds{20})) << watch.output();
  world.report(
      "Boingy Acres",
      R"({"population":42,"invasion":{"cog":"Version 2.0 Flunky","defeated":50,"total":100,"started_at":1699999990}})");
  world.publish();
  world.report("Boingy Acres", R"({"population":42})");
  world.publish();
  EXPECT_EQ(watch.wait(std::chrono::seconds{20}), 0) << watch.output();
  EXPECT_NE(watch.output().find("  ended  "), std::string::npos) << watch.output();
  EXPECT_EQ(watch.output().find("  progress  "), std::string::npos) << watch.output();
}

TEST_F(cli_watch, LinesFitTheTerminal) {
  if (!terminals_available()) GTEST_SKIP() << "no pseudo-terminals";
  for (unsigned short const columns : {60, 120}) {
    auto const r =
        run_on_terminal({"--base-url", world.url(), "watch", "invasions", "--count", "1", "--interval", "100ms"},
                        {{"NO_COLOR", "1"}}, columns);
    ASSERT_EQ(r.code, 0) << r.err;
    auto const line = lines(r.out).at(0);
    EXPECT_LT(display_width(line), std::size_t{columns}) << line;
    EXPECT_NE(line.find("  started  "), std::string::npos) << line;
    // Columns apart: the cog and its progress never run together.
    EXPECT_EQ(line.find("(v2.0)10/100"), std::string::npos) << line;
    if (columns == 120) {
      EXPECT_NE(line.find("Flunky (v2.0)"), std::string::npos) << line;
    }
  }
}

TEST_F(cli_watch, StopsOnSigterm) {
  // Nothing new will happen: only the signal ends it.
  overworld::testing::child_process watch{
      OVERWORLD_CLI_PATH,
      {"--base-url", world.url(), "--json", "watch", "invasions", "--interval", "100ms"},
      {{"NO_COLOR", "1"}}};
  ASSERT_TRUE(watch.wait_for_line("invasion.started", std::chrono::seconds{20})) << watch.output();
  watch.signal(SIGTERM);
  EXPECT_EQ(watch.wait(std::chrono::seconds{20}), 0) << watch.output();
}

TEST(cli_watch_unavailable, StreamAlwaysWithoutAStreamFails) {
  // A server without /api/v2/invasions/stream.
  http::testing::running_server server;
  server.start();
  auto const r = run(
      {"--base-url", "http://127.0.0.1:" + std::to_string(server.port()), "watch", "invasions", "--stream", "always"},
      {}, {}, std::chrono::seconds{30});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.code, -1) << "it ended by itself";
  EXPECT_FALSE(r.err.empty());
}

}  // namespace
}  // namespace overworld::cli::testing
