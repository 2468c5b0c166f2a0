// `overworld-server admin sillymeter …` against a running server: the meter lives in the server's
// memory, so the commands go through its admin API and the public /api/sillymeter follows.
#include "apps/app_support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

namespace overworld {
namespace {

using testing::admin;
using testing::child_process;
using testing::port_of;
using testing::server_binary;
using testing::temp_dir;

TEST(ServerApp, SillyMeterAdminCommandsReachTheRunningServer) {
  temp_dir dir;
  child_process p{server_binary(),
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"}, {"OVERWORLD_WORLD_TICK", "50ms"}}};
  auto admin_line = p.wait_for_line("admin API on");
  ASSERT_TRUE(admin_line) << p.output();
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  std::string const env = "OVERWORLD_ADMIN_LISTEN='127.0.0.1:" +
                          std::to_string(port_of(*admin_line, R"(admin API on http://127\.0\.0\.1:)")) + "'";
  auto const meter = [&] {
    http::testing::raw_connection c{port_of(*line)};
    c.send(http::testing::get_request("/api/sillymeter"));
    auto r = c.read();
    return r ? boost::json::parse(r->body()) : boost::json::value{};
  };
  std::string const team{meter().at("rewards").at(0).as_string()};

  auto [rc, out] = admin(dir.path(), "sillymeter points '" + team + "' 2500", "", env);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(boost::json::parse(out).at("hp"), 2500);
  std::tie(rc, out) = admin(dir.path(), "sillymeter points Nobody 1", "", env);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("404"), std::string::npos) << out;
  EXPECT_NE(out.find("no such team in play"), std::string::npos) << out;
  std::tie(rc, out) = admin(dir.path(), "sillymeter points '" + team + "' lots", "", env);
  EXPECT_EQ(rc, 2) << out;

  std::tie(rc, out) = admin(dir.path(), "sillymeter state reward --winner '" + team + "'", "", env);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(boost::json::parse(out).at("winner"), boost::json::value(team));
  // The next snapshot (world.tick = 50ms) has it; wait for it without a fixed sleep.
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    auto const m = meter();
    seen = m.is_object() && m.at("state") == "Reward" && m.at("winner") == boost::json::value(team);
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds{25});
  }
  EXPECT_TRUE(seen);

  // Without a reachable admin API the command says so.
  std::tie(rc, out) = admin(dir.path(), "sillymeter state Active", "", "OVERWORLD_ADMIN_LISTEN=''");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("admin.listen is empty"), std::string::npos) << out;
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

}  // namespace
}  // namespace overworld
