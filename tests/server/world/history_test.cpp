// Invasion history against a real SQLite file: recorded at the tick, paged over HTTP, reopened.
#include "http/server/support.hpp"
#include "server/world/support.hpp"
#include "support/process.hpp"

#include <overworld/server/world/world_service.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using http::testing::get_request;
using http::testing::raw_connection;
using http::testing::running_server;

invasion make(std::string cog, std::int64_t started, bool mega = false) {
  return testing::make_invasion(std::move(cog), 10, mega ? 1'000'000 : 100, started, mega);
}

boost::json::value get_json(std::uint16_t port, std::string const& target, unsigned* status = nullptr) {
  raw_connection c{port};
  c.send(get_request(target));
  auto r = c.read();
  if (!r) return nullptr;
  if (status) *status = r->result_int();
  return boost::json::parse(r->body());
}

TEST(History, EndedInvasionsArePagedNewestFirstAndSurviveARestart) {
  overworld::testing::temp_dir dir;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o;
  o.history_db = dir.path() + "/world.sqlite";
  {
    world_service world{o, time};
    std::string why;
    ASSERT_TRUE(world.open_history(why)) << why;
    running_server server;
    world.install(*server.routes);
    server.start();
    // Five invasions, one after another, in one district (each replaced by the next), then none.
    char const* cogs[] = {"Flunky", "Yesman", "Big Wig", "Loan Shark", "Two-Face"};
    for (int i = 0; i < 5; ++i) {
      world.districts().apply("Zapwood",
                              district_report{5, district_status::online, make(cogs[i], 1'699'990'000 + i, i == 4)});
      world.publish();
      time.advance(1s);
    }
    world.districts().apply("Zapwood", district_report{5, district_status::online, std::nullopt});
    world.publish();
    world.stop();  // flushes the queued writes

    unsigned status = 0;
    auto page1 = get_json(server.port(), "/api/v2/invasions/history?limit=2", &status);
    EXPECT_EQ(status, 200u);
    auto const& items = page1.at("invasions").as_array();
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].at("cog"), "Two-Face");  // newest first
    EXPECT_EQ(items[0].at("mega"), true);
    EXPECT_TRUE(items[0].at("total").is_null());
    EXPECT_EQ(items[1].at("cog"), "Loan Shark");
    EXPECT_EQ(items[1].at("department"), "cashbot");
    EXPECT_EQ(items[1].at("endedAt"), 1'700'000'005 - 1);
    std::string const next{page1.at("next").as_string()};
    auto page2 = get_json(server.port(), "/api/v2/invasions/history?limit=2&before=" + next);
    EXPECT_EQ(page2.at("invasions").as_array().at(0).at("cog"), "Big Wig");
    auto page3 = get_json(server.port(),
                          "/api/v2/invasions/history?limit=2&before=" + std::string{page2.at("next").as_string()});
    ASSERT_EQ(page3.at("invasions").as_array().size(), 1u);
    EXPECT_EQ(page3.at("invasions").at(0).at("cog"), "Flunky");
    EXPECT_TRUE(page3.at("next").is_null());

    {
      raw_connection c{server.port()};
      c.send(get_request("/api/v2/invasions/history?limit=2"));
      auto first = c.read();
      ASSERT_TRUE(first);
      std::string const etag{(*first)[http::testing::bhttp::field::etag]};
      ASSERT_FALSE(etag.empty());
      c.send(get_request("/api/v2/invasions/history?limit=2", "If-None-Match: " + etag + "\r\n"));
      auto again = c.read();
      ASSERT_TRUE(again);
      EXPECT_EQ(again->result_int(), 304);
    }
    get_json(server.port(), "/api/v2/invasions/history?limit=0", &status);
    EXPECT_EQ(status, 400u);
    get_json(server.port(), "/api/v2/invasions/history?before=abc", &status);
    EXPECT_EQ(status, 400u);
  }
  // A new process on the same file sees the same history.
  world_service again{o, time};
  std::string why;
  ASSERT_TRUE(again.open_history(why)) << why;
  running_server server;
  again.install(*server.routes);
  server.start();
  auto all = get_json(server.port(), "/api/v2/invasions/history");
  EXPECT_EQ(all.at("invasions").as_array().size(), 5u);
}

TEST(History, TheSillyMeterSurvivesARestart) {
  overworld::testing::temp_dir dir;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o;
  o.history_db = dir.path() + "/world.sqlite";
  o.silly.seed = 11;
  silly_saved before;
  {
    world_service world{o, time};
    std::string why;
    ASSERT_TRUE(world.open_history(why)) << why;
    auto const team = world.silly().teams()[1];
    ASSERT_TRUE(world.silly().add_points(team, 1234));
    ASSERT_TRUE(world.silly().enter(silly_state::reward, team));
    world.publish();
    world.stop();  // flushes the queued writes
    before = world.silly().saved();
  }
  time.advance(60s);
  world_options other = o;
  other.silly.seed = 99;  // a new draw of teams would differ: what is read back is what was kept
  world_service again{other, time};
  std::string why;
  ASSERT_TRUE(again.open_history(why)) << why;
  EXPECT_EQ(again.silly().saved(), before);
  EXPECT_EQ(again.silly().state(), silly_state::reward);
  auto const served = boost::json::parse(*again.current()->get(endpoint::ttr_sillymeter).body);
  EXPECT_EQ(served.at("winner"), boost::json::value(before.teams[1]));
  EXPECT_EQ(served.at("rewardPoints").at(1), 1234);
  EXPECT_EQ(served.at("nextUpdateTimestamp"), 1'700'000'000 + 48 * 3600);
}

TEST(History, ASavedMeterWithTeamsNoLongerInThePoolIsNotTakenBack) {
  overworld::testing::temp_dir dir;
  manual_clock time;
  world_options o;
  o.history_db = dir.path() + "/world.sqlite";
  {
    world_service world{o, time};
    std::string why;
    ASSERT_TRUE(world.open_history(why)) << why;
    world.publish();
    world.stop();
  }
  world_options other = o;
  other.silly.teams = {{"A", "a"}, {"B", "b"}, {"C", "c"}};
  world_service again{other, time};
  std::string why;
  ASSERT_TRUE(again.open_history(why)) << why;
  auto const teams = again.silly().teams();
  EXPECT_EQ(std::set<std::string>(teams.begin(), teams.end()), (std::set<std::string>{"A", "B", "C"}));
}

TEST(History, SilenceIsNotAnEnd) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  tracker t{tracker_options{30s, 120s, 5min}, time};
  invasion_ends ends;
  std::vector<district_view> last;
  auto const tick = [&] {
    auto views = t.collect();
    auto out = ends.update(last, views, unix_seconds(time.now()));
    last = std::move(views);
    return out;
  };
  t.apply("A", district_report{5, district_status::online, make("Flunky", 1'699'999'000)});
  t.apply("B", district_report{5, district_status::online, make("Yesman", 1'699'999'000)});
  EXPECT_TRUE(tick().empty());
  // Both fall silent: their invasions leave the public view but are not over yet.
  time.advance(31s);
  EXPECT_TRUE(tick().empty());
  EXPECT_EQ(ends.held(), 2u);
  // A comes back with the same invasion: nothing ended. B comes back with another one: the first ended
  // when B was last heard from.
  t.apply("A", district_report{5, district_status::online, make("Flunky", 1'699'999'000)});
  t.apply("B", district_report{5, district_status::online, make("Cold Caller", 1'700'000'030)});
  auto const back = tick();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].district.current->cog, "Yesman");
  EXPECT_EQ(back[0].ended_at, 1'700'000'000);
  EXPECT_EQ(ends.held(), 0u);
  // A falls silent again and is dropped: its invasion ended when A was last heard from.
  t.apply("B", district_report{5, district_status::online, make("Cold Caller", 1'700'000'030)});
  time.advance(31s);
  t.apply("B", district_report{5, district_status::online, make("Cold Caller", 1'700'000'030)});
  EXPECT_TRUE(tick().empty());
  time.advance(100s);
  t.apply("B", district_report{5, district_status::online, std::nullopt});
  auto const dropped = tick();
  ASSERT_EQ(dropped.size(), 2u);
  EXPECT_EQ(dropped[0].district.current->cog, "Flunky");
  EXPECT_EQ(dropped[0].ended_at, 1'700'000'031);
  EXPECT_EQ(dropped[1].district.current->cog, "Cold Caller");  // ended by its report
  EXPECT_EQ(dropped[1].ended_at, 1'700'000'162);
}

TEST(History, PagesCarryTheSnapshotMaxAge) {
  overworld::testing::temp_dir dir;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o;
  o.tick = 10s;
  o.history_db = dir.path() + "/world.sqlite";
  world_service world{o, time};
  std::string why;
  ASSERT_TRUE(world.open_history(why)) << why;
  running_server server;
  world.install(*server.routes);
  server.start();
  time.advance(4s);
  raw_connection c{server.port()};
  c.send(get_request("/api/v2/invasions/history"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ((*r)[http::testing::bhttp::field::cache_control], "public, max-age=6");
  EXPECT_EQ((*r)[http::testing::bhttp::field::access_control_allow_origin], "*");
}

TEST(History, DisabledHistoryAnswers503) {
  world_service world{world_options{}};
  running_server server;
  world.install(*server.routes);
  server.start();
  unsigned status = 0;
  auto body = get_json(server.port(), "/api/v2/invasions/history", &status);
  EXPECT_EQ(status, 503u);
  EXPECT_TRUE(body.as_object().contains("error"));
}

TEST(History, UnwritableDatabaseIsAClearError) {
  world_options o;
  o.history_db = "/proc/overworld-cannot-write-here/world.sqlite";
  world_service world{o};
  std::string why;
  EXPECT_FALSE(world.open_history(why));
  EXPECT_NE(why.find("/proc/overworld-cannot-write-here"), std::string::npos) << why;
}

}  // namespace
}  // namespace overworld::world
