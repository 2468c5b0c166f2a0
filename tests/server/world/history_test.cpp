// Invasion history, one suite run against each implementation: a real SQLite file and a real
// PostgreSQL server (tests/support/postgres.hpp). Recorded at the tick, paged over HTTP, reopened,
// shared by two nodes, copied, and served through a PostgreSQL outage.
#include "http/server/support.hpp"
#include "server/world/support.hpp"
#include "support/postgres.hpp"
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

/// A node with its history open, serving over HTTP on 127.0.0.1:0 (the server goes first).
struct served_node {
  served_node(world_options const& o, clock const& time) : world(o, time) {
    std::string why;
    if (!world.open_history(why)) throw std::runtime_error("open_history: " + why);
    world.install(*server.routes);
    server.start();
  }
  world_service world;
  running_server server;
};

/// Where one test's history lives: a SQLite file in a temporary folder, or a new PostgreSQL database.
class HistoryStore : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres")
      postgres_ = store::postgres_options{overworld::testing::shared_postgres().create_database()};
  }

  /// World options whose history is this test's; every node made with them shares it.
  world_options options() const {
    world_options o;
    if (postgres_)
      o.history_postgres = postgres_;
    else
      o.history_db = dir_.path() + "/world.sqlite";
    return o;
  }

  /// A new, empty history of the other kind.
  std::unique_ptr<invasion_history> open_other_kind() {
    std::string why;
    auto h = postgres_ ? open_sqlite_history(dir_.path() + "/other.sqlite", why)
                       : open_postgres_history(
                             store::postgres_options{overworld::testing::shared_postgres().create_database()}, why);
    if (!h) throw std::runtime_error(why);
    return std::move(*h);
  }

  std::unique_ptr<invasion_history> open_history() {
    std::string why;
    auto h =
        postgres_ ? open_postgres_history(*postgres_, why) : open_sqlite_history(dir_.path() + "/world.sqlite", why);
    if (!h) throw std::runtime_error(why);
    return std::move(*h);
  }

 private:
  overworld::testing::temp_dir dir_;
  std::optional<store::postgres_options> postgres_;
};

INSTANTIATE_TEST_SUITE_P(Backends, HistoryStore, ::testing::Values("sqlite", "postgres"),
                         [](auto const& info) { return info.param; });

TEST_P(HistoryStore, EndedInvasionsArePagedNewestFirstAndSurviveARestart) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o = options();
  {
    served_node node{o, time};
    auto& world = node.world;
    auto& server = node.server;
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
  served_node again{o, time};
  auto all = get_json(again.server.port(), "/api/v2/invasions/history");
  EXPECT_EQ(all.at("invasions").as_array().size(), 5u);
}

TEST_P(HistoryStore, TheSillyMeterSurvivesARestart) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o = options();
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

TEST_P(HistoryStore, ASavedMeterWithTeamsNoLongerInThePoolIsNotTakenBack) {
  manual_clock time;
  world_options o = options();
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

/// An invasion that ended in `district` at `ended_at`.
ended_invasion ended_in(std::string district, std::string cog, std::int64_t started, std::int64_t ended_at) {
  district_view d;
  d.name = std::move(district);
  d.id = district_id(d.name);
  d.current = make(std::move(cog), started, false);
  d.invasion_id = invasion_id(d.name, *d.current);
  return {std::move(d), ended_at};
}

TEST_P(HistoryStore, AnEndTwoNodesSawIsKeptOnceAndEveryNodeServesTheSamePages) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_service a{options(), time};
  world_service b{options(), time};
  std::string why;
  ASSERT_TRUE(a.open_history(why)) << why;
  ASSERT_TRUE(b.open_history(why)) << why;
  // Both nodes hear the same districts: Flunky is replaced by Yesman in Zapwood, then Yesman ends too.
  for (auto const& [cog, started] : {std::pair{"Flunky", 1'699'990'000}, std::pair{"Yesman", 1'699'990'001}}) {
    for (auto* node : {&a, &b}) {
      node->districts().apply("Zapwood", district_report{5, district_status::online, make(cog, started)});
      node->publish();
    }
    time.advance(1s);
  }
  for (auto* node : {&a, &b}) {
    node->districts().apply("Zapwood", district_report{5, district_status::online, std::nullopt});
    node->publish();
    node->stop();  // flushes the queued writes
  }
  running_server server_a, server_b;
  a.install(*server_a.routes);
  b.install(*server_b.routes);
  server_a.start();
  server_b.start();
  unsigned status = 0;
  auto const from_a = get_json(server_a.port(), "/api/v2/invasions/history?limit=1", &status);
  EXPECT_EQ(status, 200u);
  auto const from_b = get_json(server_b.port(), "/api/v2/invasions/history?limit=1");
  EXPECT_EQ(from_a, from_b);
  ASSERT_EQ(from_a.at("invasions").as_array().size(), 1u);
  EXPECT_EQ(from_a.at("invasions").at(0).at("cog"), "Yesman");
  std::string const next{from_a.at("next").as_string()};
  auto const older_a = get_json(server_a.port(), "/api/v2/invasions/history?limit=5&before=" + next);
  auto const older_b = get_json(server_b.port(), "/api/v2/invasions/history?limit=5&before=" + next);
  EXPECT_EQ(older_a, older_b);
  ASSERT_EQ(older_a.at("invasions").as_array().size(), 1u);  // each end once, not once per node
  EXPECT_EQ(older_a.at("invasions").at(0).at("cog"), "Flunky");
  EXPECT_TRUE(older_a.at("next").is_null());
}

TEST_P(HistoryStore, TheSameEndRecordedTwiceIsKeptOnce) {
  auto first = open_history();
  auto second = open_history();  // another node on the same history
  first->record({ended_in("Zapwood", "Flunky", 1'699'990'000, 1'700'000'000)});
  first->flush();  // written before the other node's, which then finds it kept
  second->record({ended_in("Zapwood", "Flunky", 1'699'990'000, 1'700'000'009),
                  ended_in("Zapwood", "Yesman", 1'699'990'100, 1'700'000'010)});
  second->flush();
  auto const kept = first->contents();
  ASSERT_TRUE(kept) << kept.error().message();
  ASSERT_EQ(kept->invasions.size(), 2u);
  EXPECT_EQ(kept->invasions[0].cog, "Flunky");
  EXPECT_EQ(kept->invasions[0].ended_at, 1'700'000'000);  // the first writer's
  EXPECT_EQ(kept->invasions[1].cog, "Yesman");
  EXPECT_LT(kept->invasions[0].id, kept->invasions[1].id);
}

TEST_P(HistoryStore, TheMeterIsSavedAndLoadedAndTheLastWriterWins) {
  auto a = open_history();
  auto b = open_history();
  EXPECT_FALSE(a->load_meter());
  silly_saved meter;
  meter.state = silly_state::reward;
  meter.hp = 5000;
  meter.teams = {"Toon Troopers", "Laff Lovers", "Gag Grabbers"};
  meter.points = {10, 20, 30};
  meter.winner = 2;
  meter.next_update = 1'700'100'000;
  meter.as_of = 1'700'000'000;
  a->save_meter(meter);
  a->flush();
  EXPECT_EQ(b->load_meter(), meter);
  silly_saved later = meter;
  later.state = silly_state::inactive;
  later.winner.reset();
  later.as_of += 60;
  b->save_meter(later);
  b->flush();
  EXPECT_EQ(a->load_meter(), later);
}

TEST_P(HistoryStore, ContentsLoadIntoAnEmptyHistoryOfTheOtherKindWithTheirIds) {
  auto source = open_history();
  source->record({ended_in("Zapwood", "Flunky", 1'699'990'000, 1'700'000'000),
                  ended_in("Gulp Gulch", "Yesman", 1'699'990'100, 1'700'000'010),
                  ended_in("Zapwood", "Big Wig", 1'699'990'200, 1'700'000'020)});
  silly_saved meter;
  meter.teams = {"A", "B", "C"};
  meter.hp = 77;
  source->save_meter(meter);
  source->flush();
  auto const contents = source->contents();
  ASSERT_TRUE(contents) << contents.error().message();
  ASSERT_EQ(contents->invasions.size(), 3u);

  auto target = open_other_kind();
  ASSERT_TRUE(target->load(*contents));
  EXPECT_EQ(target->contents().value(), *contents);
  // A history that holds anything is refused, and left as it was.
  history_contents other;
  other.invasions.push_back(stored_from(ended_in("Zapwood", "Two-Face", 1, 2)));
  other.invasions.back().id = 1;
  EXPECT_EQ(target->load(other).error(), errc::invalid_argument);
  EXPECT_EQ(target->contents().value(), *contents);
  // New ends are numbered after the copied ones.
  target->record({ended_in("Zapwood", "Mr. Hollywood", 1'700'000'100, 1'700'000'200)});
  target->flush();
  auto const after = target->contents().value();
  ASSERT_EQ(after.invasions.size(), 4u);
  EXPECT_GT(after.invasions.back().id, contents->invasions.back().id);
}

/// A node on its own PostgreSQL server, which the test stops and starts again.
TEST(HistoryOnPostgres, AnOutageAnswers503AndTheHistoryRecoversByItself) {
  overworld::testing::postgres_server postgres;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o;
  o.history_postgres = store::postgres_options{postgres.conninfo()};
  served_node node{o, time};
  auto& world = node.world;
  auto& server = node.server;
  world.districts().apply("Zapwood", district_report{5, district_status::online, make("Flunky", 1'699'990'000)});
  world.publish();
  world.districts().apply("Zapwood", district_report{5, district_status::online, make("Yesman", 1'699'990'001)});
  world.publish();  // Flunky ended
  world.stop();
  unsigned status = 0;
  ASSERT_EQ(get_json(server.port(), "/api/v2/invasions/history").at("invasions").as_array().size(), 1u);

  postgres.stop();
  {
    raw_connection c{server.port()};
    c.send(get_request("/api/v2/invasions/history"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 503);
    EXPECT_EQ(r->body(), R"({"error":"invasion history is unavailable"})");
    EXPECT_EQ((*r)[http::testing::bhttp::field::content_type], "application/json");
    EXPECT_EQ((*r)[http::testing::bhttp::field::retry_after], "5");
    EXPECT_EQ((*r)[http::testing::bhttp::field::cache_control], "no-store");
  }
  // An end seen during the outage is kept, and written once the server is back.
  world.districts().apply("Zapwood", district_report{5, district_status::online, std::nullopt});
  world.publish();
  world.stop();

  postgres.start();
  auto const back = get_json(server.port(), "/api/v2/invasions/history", &status);
  EXPECT_EQ(status, 200u);  // the first call after the restart, without being asked to reconnect
  world.publish();          // the next tick writes what was held back
  world.stop();
  auto const all = get_json(server.port(), "/api/v2/invasions/history", &status);
  EXPECT_EQ(status, 200u);
  ASSERT_EQ(all.at("invasions").as_array().size(), 2u);
  EXPECT_EQ(all.at("invasions").at(0).at("cog"), "Yesman");
  EXPECT_EQ(all.at("invasions").at(1).at("cog"), "Flunky");
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

TEST_P(HistoryStore, PagesCarryTheSnapshotMaxAge) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o = options();
  o.tick = 10s;
  served_node node{o, time};
  time.advance(4s);
  raw_connection c{node.server.port()};
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
