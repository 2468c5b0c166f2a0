// District reports shared by several nodes through a real Redis (tests/support/redis.hpp): a
// report accepted by one node is in the other's snapshot and event stream at its next tick, the
// district cap holds across nodes, a silent district is forgotten everywhere, and a node that
// cannot reach Redis refuses reports (503) and serves its last snapshot marked stale.
#include "http/server/support.hpp"
#include "support/io_thread.hpp"
#include "support/redis.hpp"

#include <overworld/server/world/world_service.hpp>
#include <overworld/store/redis.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using http::testing::get_request;
using http::testing::raw_connection;
using http::testing::running_server;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;

std::string report_request(std::string const& district, std::string const& body) {
  return "POST /internal/v1/districts/" + http::percent_encode(district) +
         "/report HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer key\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// A report of a Flunky invasion, and the district's running total of silly points for `team`.
std::string invasion_body(std::int64_t defeated, std::string const& team = "Double Jellybeans") {
  return R"({"population":100,"invasion":{"cog":"Flunky","defeated":)" + std::to_string(defeated) +
         R"(,"total":4000,"started_at":1699999000},"silly_points":{")" + team + R"(":)" +
         std::to_string(defeated * 10) + "}}";
}

/// A node: a world service sharing its reports through `redis`, behind its own HTTP server.
struct node {
  node(std::shared_ptr<store::redis_client> redis, clock const& time, std::size_t max_districts = 1000) {
    world_options o;
    o.reporter_key = "key";
    o.tracking.max_districts = max_districts;
    o.silly.seed = 7;  // the same teams in play on every node
    world = std::make_unique<world_service>(o, time, &metrics);
    world->share(std::make_shared<shared_reports>(std::move(redis), max_districts));
    world->install(*server.routes);
    server.start();
  }

  unsigned report(std::string const& district, std::string const& body, std::string* answer = nullptr) {
    raw_connection c{server.port()};
    c.send(report_request(district, body));
    auto r = c.read();
    if (!r) return 0;
    if (answer) *answer = r->body();
    return r->result_int();
  }

  boost::json::value body(endpoint e) const { return boost::json::parse(*world->current()->get(e).body); }

  metrics_registry metrics;
  running_server server;
  std::unique_ptr<world_service> world;
};

class SharedReports : public ::testing::Test {
 protected:
  std::shared_ptr<store::redis_client> client() {
    store::redis_options o;
    o.url = redis.url();
    o.backoff_max = 100ms;
    std::string why;
    auto c = store::redis_client::create(io.executor(), o, why);
    EXPECT_TRUE(c) << why;
    (*c)->start();
    EXPECT_TRUE(eventually([&] { return (*c)->connected(); }));
    return *c;
  }
  void tick(node& n) { io.wait(n.world->refresh()); }

  redis_server redis;
  io_thread io;  // after the server: stopped first
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
};

TEST_F(SharedReports, AReportToOneNodeIsInTheOtherNodesSnapshotAndStreamAtItsNextTick) {
  node a{client(), time};
  node b{client(), time};  // a connection of its own, as another process has
  auto const events_before = b.world->events().last_id();
  ASSERT_EQ(a.report("Boingy Acres", invasion_body(100)), 200u);
  tick(b);  // one tick
  auto const invasions = b.body(endpoint::ttr_invasions).at("invasions").as_object();
  ASSERT_TRUE(invasions.contains("Boingy Acres")) << invasions;
  EXPECT_EQ(invasions.at("Boingy Acres").at("progress"), "100/4000");
  bool started = false;
  for (auto const& e : b.world->events().since(events_before)) started |= e.type == "invasion.started";
  EXPECT_TRUE(started);
  EXPECT_FALSE(b.world->stale());
  EXPECT_FALSE(b.body(endpoint::v2_invasions).as_object().contains("stale"));

  // A report to B comes back to A the same way, its time (not B's tick) counting for the rate.
  time.advance(60s);
  ASSERT_EQ(b.report("Boingy Acres", invasion_body(160)), 200u);
  time.advance(500ms);
  tick(a);
  auto const v2 = a.body(endpoint::v2_invasions).at("invasions").as_array();
  ASSERT_EQ(v2.size(), 1u);
  EXPECT_EQ(v2[0].at("defeated").as_int64(), 160);
  EXPECT_DOUBLE_EQ(v2[0].at("defeatRate").to_number<double>(), 60.0);
}

TEST_F(SharedReports, TheDistrictCapHoldsAcrossNodes) {
  auto redis_client = client();
  node a{redis_client, time, 2};
  node b{redis_client, time, 2};
  EXPECT_EQ(a.report("One", invasion_body(1)), 200u);
  EXPECT_EQ(b.report("Two", invasion_body(1)), 200u);
  std::string answer;
  EXPECT_EQ(a.report("Three", invasion_body(1), &answer), 422u);
  EXPECT_EQ(answer, R"x({"error":"too many districts: at most 2 are tracked (world.max_districts)"})x");
  EXPECT_EQ(b.report("One", invasion_body(2)), 200u);  // a known district still reports anywhere
  tick(a);
  tick(b);
  for (node* n : {&a, &b}) {
    auto const pop = n->body(endpoint::ttr_population).at("populationByDistrict").as_object();
    EXPECT_EQ(pop.size(), 2u) << pop;
    EXPECT_FALSE(pop.contains("Three"));
  }
}

TEST_F(SharedReports, ASilentDistrictIsForgottenEverywhere) {
  auto redis_client = client();
  node a{redis_client, time};
  node b{redis_client, time};
  ASSERT_EQ(a.report("Quiet Quarry", invasion_body(1)), 200u);
  tick(b);
  EXPECT_EQ(b.world->districts().size(), 1u);
  time.advance(a.world->options().tracking.drop_after + 1s);
  tick(b);
  EXPECT_EQ(b.world->districts().size(), 0u);
  auto left = io.wait(redis_client->command({"HLEN", "overworld:world:reports:at"}));
  ASSERT_TRUE(left);
  EXPECT_EQ(left->integer, 0);  // deleted from Redis too, so a node started later never sees it
  node c{redis_client, time};
  tick(c);
  EXPECT_EQ(c.world->districts().size(), 0u);
}

TEST_F(SharedReports, WithoutRedisReportsAre503AndTheLastSnapshotIsServedMarkedStale) {
  node a{client(), time};
  node b{client(), time};
  ASSERT_EQ(a.report("Boingy Acres", invasion_body(100)), 200u);
  tick(b);
  redis.stop();
  std::string answer;
  EXPECT_EQ(a.report("Boingy Acres", invasion_body(200), &answer), 503u);
  EXPECT_EQ(answer, R"({"error":"district reports cannot be shared now; send it again"})");
  tick(b);
  EXPECT_TRUE(b.world->stale());
  EXPECT_NE(b.metrics.render().find("overworld_world_stale 1"), std::string::npos);
  auto const v2 = b.body(endpoint::v2_invasions);
  EXPECT_EQ(v2.at("stale"), true);
  EXPECT_EQ(v2.at("invasions").as_array().at(0).at("defeated").as_int64(), 100);
  EXPECT_TRUE(b.body(endpoint::ttr_invasions).at("invasions").as_object().contains("Boingy Acres"));
  // Served over HTTP as it is, with a fresh max-age.
  raw_connection c{b.server.port()};
  c.send(get_request("/api/v2/districts"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_NE(r->body().find(R"("stale":true)"), std::string::npos) << r->body();

  redis.start();  // empty: it kept nothing
  ASSERT_TRUE(eventually([&] { return a.report("Boingy Acres", invasion_body(200)) == 200u; }));
  // B's own connection comes back on its own schedule: its ticks stay stale until then.
  ASSERT_TRUE(eventually([&] {
    tick(b);
    return !b.world->stale();
  }));
  EXPECT_NE(b.metrics.render().find("overworld_world_stale 0"), std::string::npos);
  auto const fresh = b.body(endpoint::v2_invasions);
  EXPECT_FALSE(fresh.as_object().contains("stale"));
  EXPECT_EQ(fresh.at("invasions").as_array().at(0).at("defeated").as_int64(), 200);
}

TEST_F(SharedReports, TheSillyMeterCountsWhatEveryNodeAccepted) {
  auto redis_client = client();
  node a{redis_client, time};
  node b{redis_client, time};
  auto const team = a.world->silly().teams().at(0);
  ASSERT_EQ(b.world->silly().teams().at(0), team);
  ASSERT_EQ(a.report("Boingy Acres", invasion_body(10, team)), 200u);  // its first total: history
  tick(b);
  ASSERT_EQ(b.report("Boingy Acres", invasion_body(30, team)), 200u);  // +200 points, on the other node
  tick(a);
  time.advance(a.world->options().silly.tally);
  tick(a);
  tick(b);
  EXPECT_EQ(a.world->silly().hp(), 200);
  EXPECT_EQ(b.world->silly().hp(), 200);
}

}  // namespace
}  // namespace overworld::world
