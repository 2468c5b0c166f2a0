// overworld-server's Clash of Clans sandbox with its world clock running, as users start it: time
// configured from the environment, the world moving on its own clock, and a clean stop with the
// calendar's thread running.
#include "http/server/support.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

namespace overworld {
namespace {

using testing::child_process;
using testing::temp_dir;

TEST(ServerApp, TheSandboxWorldRunsOnItsOwnClock) {
  temp_dir dir;
  // An hour a second from one world minute before the league week: the groups form a sixtieth of
  // a real second after the start.
  child_process p{testing::bin_dir() + "/overworld-server",
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_ADMIN_LISTEN", "127.0.0.1:0"},
                   {"OVERWORLD_SANDBOX_LISTEN", "127.0.0.1:0"},
                   {"OVERWORLD_SANDBOX_CHECK_KEYS", "false"},
                   {"OVERWORLD_SANDBOX_GENERATE_CLANS", "8"},
                   {"OVERWORLD_SANDBOX_MEMBERS_PER_CLAN", "15"},
                   {"OVERWORLD_SANDBOX_TIME_SCALE", "3600"},
                   {"OVERWORLD_SANDBOX_START_TIME", "2026-02-28T23:59:00Z"}}};
  auto const line = p.wait_for_line("Clash of Clans sandbox on");
  ASSERT_TRUE(line) << p.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*line, m, std::regex{R"(127\.0\.0\.1:(\d+))"}));
  auto const port = static_cast<std::uint16_t>(std::stoi(m[1]));
  ASSERT_TRUE(p.wait_for_line("sandbox world time runs 3600x")) << p.output();
  ASSERT_TRUE(p.wait_for_line("listening on")) << p.output();

  auto const get = [&](std::string const& path) {
    http::testing::raw_connection c{port};
    c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  };
  auto const search = get("/v1/clans?name=sandbox%20clan&limit=1");
  ASSERT_EQ(search.first, 200u) << search.second;
  std::smatch found;
  ASSERT_TRUE(std::regex_search(search.second, found, std::regex{R"re("tag":"#([0-9A-Z]+)")re"})) << search.second;
  auto const group = "/v1/clans/%23" + found[1].str() + "/currentwar/leaguegroup";

  // Wait for the event (the group formed at world midnight), bounded generously for a loaded
  // machine: 60 real seconds are 60 world hours.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  auto answer = get(group);
  while (answer.first != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    answer = get(group);
  }
  ASSERT_EQ(answer.first, 200u) << answer.second;
  EXPECT_NE(answer.second.find(R"("season":"2026-03")"), std::string::npos) << answer.second;
  // Eight clans (each with its clanLevel; their members have none).
  std::size_t clans = 0;
  for (auto at = answer.second.find("\"clanLevel\""); at != std::string::npos;
       at = answer.second.find("\"clanLevel\"", at + 1)) {
    ++clans;
  }
  EXPECT_EQ(clans, 8u) << answer.second;

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0) << p.output();
}

}  // namespace
}  // namespace overworld
