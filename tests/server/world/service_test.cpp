// Reports → snapshot → GET on a real server; bad reports; 304s and max-age; rate limits;
// readers during ticks.
#include "http/server/support.hpp"

#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/world/world_service.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <thread>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using http::testing::get_request;
using http::testing::raw_connection;
using http::testing::running_server;

std::string report_request(std::string const& district, std::string const& body, std::string const& key,
                           std::string const& type = "application/json") {
  return "POST /internal/v1/districts/" + http::percent_encode(district) + "/report HTTP/1.1\r\nHost: h\r\n" +
         (key.empty() ? "" : "Authorization: Bearer " + key + "\r\n") + "Content-Type: " + type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct world_fixture : ::testing::Test {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  running_server server;
  std::unique_ptr<world_service> world;

  void SetUp() override {
    world_options o;
    o.reporter_key = "shared-key";
    o.district_secrets = {{"Boingy Acres", "boingy-secret"}};
    o.game.version = "v9";
    world = std::make_unique<world_service>(o, time);
    world->install(*server.routes);
    server.start();
  }
  std::string get_body(std::string const& path) {
    raw_connection c{server.port()};
    c.send(get_request(path));
    auto r = c.read();
    return r ? r->body() : std::string{};
  }
};

TEST_F(world_fixture, ReportThenSnapshotThenGet) {
  raw_connection c{server.port()};
  c.send(report_request(
      "Boingy Acres",
      R"({"population":42,"invasion":{"cog":"Flunky","defeated":10,"total":100,"started_at":1699999990}})",
      "boingy-secret"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), R"({"accepted":true})");
  // Nothing shows until the tick publishes: GETs read snapshots, never the tracker.
  EXPECT_EQ(get_body("/api/invasions"), R"({"lastUpdated":1700000000,"invasions":{},"error":null})");
  time.advance(1s);
  world->publish();
  EXPECT_EQ(
      get_body("/api/invasions"),
      R"({"lastUpdated":1700000001,"invasions":{"Boingy Acres":{"asOf":1700000000,"type":"Flunky","progress":"10/100"}},"error":null})");
  auto const pop = boost::json::parse(get_body("/api/population"));
  EXPECT_EQ(pop.at("totalPopulation"), 42);
  auto const v1 = boost::json::parse(get_body("/api/v1/districts/"));
  EXPECT_EQ(v1.at(0).at("cogs_attacking"), "Flunky");
  EXPECT_EQ(get_body("/api/v1/districts"), get_body("/api/v1/districts/"));
  EXPECT_EQ(boost::json::parse(get_body("/api/v1/game_info.js")).at("version"), "v9");
  EXPECT_EQ(boost::json::parse(get_body("/api/v2/districts")).at("districts").at(0).at("name"), "Boingy Acres");
}

TEST_F(world_fixture, EveryGetHasCorsEtagAndMaxAge) {
  world->publish();
  for (auto path : {"/api/invasions", "/api/population", "/api/status", "/api/v1/districts/", "/api/v1/districts.js",
                    "/api/v1/game_info.js", "/api/v2/districts", "/api/v2/invasions", "/api/fieldoffices",
                    "/api/sillymeter", "/api/doodles"}) {
    raw_connection c{server.port()};
    c.send(get_request(path));
    auto r = c.read();
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->result_int(), 200) << path;
    EXPECT_EQ((*r)[http::testing::bhttp::field::access_control_allow_origin], "*") << path;
    EXPECT_EQ((*r)[http::testing::bhttp::field::content_type], "application/json") << path;
    EXPECT_EQ((*r)[http::testing::bhttp::field::cache_control], "public, max-age=1") << path;
    std::string const etag{(*r)[http::testing::bhttp::field::etag]};
    ASSERT_FALSE(etag.empty());
    c.send(get_request(path, "If-None-Match: " + etag + "\r\n"));
    auto again = c.read();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->result_int(), 304) << path;
    EXPECT_EQ((*again)[http::testing::bhttp::field::etag], etag);
    EXPECT_EQ(again->body(), "");
  }
}

TEST_F(world_fixture, MaxAgeCountsDownToTheNextSnapshot) {
  world_options o;
  o.tick = 10s;
  world_service slow{o, time};
  running_server s2;
  slow.install(*s2.routes);
  s2.start();
  time.advance(3s);
  raw_connection c{s2.port()};
  c.send(get_request("/api/status"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[http::testing::bhttp::field::cache_control], "public, max-age=7");
}

TEST_F(world_fixture, UnchangedContentKeepsItsEtagAcrossTicks) {
  world->publish();
  auto const first = world->current()->get(endpoint::ttr_invasions).etag;
  time.advance(1s);
  world->publish();
  EXPECT_EQ(world->current()->get(endpoint::ttr_invasions).etag, first);
  world->districts().apply("New", district_report{1, district_status::online, std::nullopt});
  world->publish();
  EXPECT_NE(world->current()->get(endpoint::ttr_population).etag, first);
}

TEST_F(world_fixture, BadReportsChangeNothing) {
  raw_connection ok{server.port()};
  ok.send(report_request("Zapwood", R"({"population":5})", "shared-key"));
  ASSERT_EQ(ok.read()->result_int(), 200);
  world->publish();
  std::string const before = get_body("/api/population");

  struct bad {
    std::string request;
    unsigned status;
  };
  std::vector<bad> const cases{
      {report_request("Zapwood", R"({"population":6})", ""), 401},
      {report_request("Zapwood", R"({"population":6})", "wrong"), 401},
      {report_request("Zapwood", R"({"population":6})", "boingy-secret"), 401},  // another district's secret
      {report_request("Zapwood", R"({"population":6})", "shared-key", "text/plain"), 415},
      {report_request("Zapwood", R"({"population":6)", "shared-key"), 400},
      {report_request("Zapwood", R"({"population":-6})", "shared-key"), 422},
      {report_request("Zapwood",
                      R"({"population":6,"invasion":{"cog":"Flunky","defeated":9,"total":5,"started_at":1699999999}})",
                      "shared-key"),
       422},
      {report_request("Zap\twood", R"({"population":6})", "shared-key"), 400},
      {report_request("Zapwood", R"({"population":6,"pad":")" + std::string(70'000, 'x') + "\"}", "shared-key"), 413},
  };
  for (auto const& c : cases) {
    raw_connection conn{server.port()};
    conn.send(c.request);
    auto r = conn.read();
    ASSERT_TRUE(r) << c.request.substr(0, 80);
    EXPECT_EQ(r->result_int(), c.status) << c.request.substr(0, 120) << " → " << r->body();
    EXPECT_EQ((*r)[http::testing::bhttp::field::content_type], "application/json");
    auto const body = boost::json::parse(r->body());
    EXPECT_TRUE(body.as_object().contains("error")) << r->body();
  }
  time.advance(1s);
  world->publish();
  auto const after = get_body("/api/population");
  EXPECT_EQ(boost::json::parse(after).at("populationByDistrict"),
            boost::json::parse(before).at("populationByDistrict"));
  EXPECT_EQ(world->districts().size(), 1u);
}

TEST_F(world_fixture, TtccRoutesAreRateLimitedAsDocumented) {
  running_server limited;
  world_service w{world_options{}, time};
  policy::rate_limit ten{10, 60s};
  server::add_rate_limit(*limited.routes, "ttcc", std::make_shared<server::local_limiter>(ten, time),
                         server::ttcc_refusal);
  w.install(*limited.routes);
  limited.start();
  raw_connection c{limited.port()};
  for (int i = 0; i < 10; ++i) {
    c.send(get_request("/api/v1/districts.js"));
    ASSERT_EQ(c.read()->result_int(), 200) << i;
  }
  c.send(get_request("/api/v1/districts.js"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 429);
  EXPECT_EQ((*r)[http::testing::bhttp::field::retry_after], "60");
  auto const body = boost::json::parse(r->body()).as_object();
  EXPECT_EQ(body.at("status"), false);
  EXPECT_EQ(body.at("reason"), 429);
  EXPECT_EQ(body.at("token"), "");
  // TTR routes are not limited by the TTCC group.
  c.send(get_request("/api/invasions"));
  EXPECT_EQ(c.read()->result_int(), 200);
  time.advance(60s);
  c.send(get_request("/api/v1/districts.js"));
  EXPECT_EQ(c.read()->result_int(), 200);
}

TEST_F(world_fixture, ReadersNeverSeeATornSnapshotWhileTicking) {
  std::atomic<bool> stop{false};
  std::atomic<int> good{0}, bad{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      raw_connection c{server.port()};
      while (!stop.load()) {
        c.send(get_request("/api/population"));
        auto r = c.read();
        if (!r) {
          ++bad;
          return;
        }
        auto const doc = boost::json::parse(r->body());
        // The total always equals the sum of the districts of the same snapshot.
        std::int64_t sum = 0;
        for (auto const& kv : doc.at("populationByDistrict").as_object()) sum += kv.value().as_int64();
        (sum == doc.at("totalPopulation").as_int64() ? good : bad)++;
      }
    });
  }
  // At least 200 ticks, and on until the readers have read a good number of snapshots: on a
  // loaded machine the ticks can be done before a reader thread has run at all.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  auto const more = [&](int tick) {
    if (tick < 200) return true;
    return good.load() < 50 && bad.load() == 0 && std::chrono::steady_clock::now() < deadline;
  };
  for (int tick = 0; more(tick); ++tick) {
    for (int d = 0; d < 10; ++d) {
      world->districts().apply("D" + std::to_string(d),
                               district_report{tick + d, district_status::online, std::nullopt});
    }
    time.advance(10ms);
    world->publish();
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GE(good.load(), 50);
}

}  // namespace
}  // namespace overworld::world
