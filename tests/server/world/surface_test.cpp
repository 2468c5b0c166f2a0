// TTR's field offices, silly meter and doodles over the wire: the extended report format, the exact
// bodies, bad reports that change nothing, the silly meter's admin calls, and the status page.
#include "http/server/support.hpp"

#include <overworld/server/world/world_service.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <map>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using http::testing::get_request;
using http::testing::raw_connection;
using http::testing::running_server;
namespace bhttp = http::testing::bhttp;

std::string post(std::string const& target, std::string const& body, std::string const& key,
                 std::string const& method = "POST") {
  return method + " " + target + " HTTP/1.1\r\nHost: h\r\n" +
         (key.empty() ? "" : "Authorization: Bearer " + key + "\r\n") +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}
std::string report(std::string const& district, std::string const& body) {
  return post("/internal/v1/districts/" + http::percent_encode(district) + "/report", body, "shared-key");
}

constexpr char full_report[] =
    R"({"population":120,"field_offices":[{"zone":5200,"department":"s","difficulty":2,"annexes":0,"open":false,)"
    R"("expiring":1700000090},{"zone":3100,"department":"sellbot","difficulty":0,"annexes":4}],)"
    R"("doodles":{"Toontown Central":[{"dna":"dl0123abcd","traits":["Rarely Tired","Always Playful"],"cost":245}],)"
    R"("The Brrrgh":[]},"silly_points":{"Double Jellybeans":10}})";

struct surface : ::testing::Test {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  running_server server;
  std::unique_ptr<world_service> world;

  void SetUp() override {
    world_options o;
    o.reporter_key = "shared-key";
    o.silly.seed = 7;
    world = std::make_unique<world_service>(o, time);
    world->install(*server.routes);
    world->install_admin(*server.routes, "admin-key");
    server.start();
  }
  std::pair<unsigned, std::string> send(std::string const& request) {
    raw_connection c{server.port()};
    c.send(request);
    auto r = c.read();
    if (!r) return {0, ""};
    return {r->result_int(), r->body()};
  }
  std::string get_body(std::string const& path) { return send(get_request(path)).second; }
};

TEST_F(surface, FieldOfficesAndDoodlesInTtrShapes) {
  ASSERT_EQ(send(report("Acrylic Acres", full_report)).first, 200);
  time.advance(1s);
  world->publish();
  EXPECT_EQ(get_body("/api/fieldoffices"),
            R"({"lastUpdated":1700000001,"fieldOffices":{)"
            R"("3100":{"department":"s","difficulty":0,"annexes":4,"open":true,"expiring":null},)"
            R"("5200":{"department":"s","difficulty":2,"annexes":0,"open":false,"expiring":1700000090}}})");
  EXPECT_EQ(get_body("/api/doodles"),
            R"({"Acrylic Acres":{"Toontown Central":[{"dna":"dl0123abcd","traits":["Rarely Tired","Always Playful"],)"
            R"("cost":245}],"The Brrrgh":[]}})");
}

TEST_F(surface, ReportsWithoutTheNewFieldsStayValid) {
  ASSERT_EQ(send(report("Zapwood", R"({"population":5})")).first, 200);
  world->publish();
  EXPECT_EQ(get_body("/api/fieldoffices"), R"({"lastUpdated":1700000000,"fieldOffices":{}})");
  EXPECT_EQ(get_body("/api/doodles"), "{}");
  ASSERT_EQ(
      send(report("Zapwood", R"({"population":5,"field_offices":null,"doodles":null,"silly_points":null})")).first,
      200);
}

TEST_F(surface, AZoneReportedTwiceShowsTheFirstDistrictByName) {
  ASSERT_EQ(
      send(report("Zapwood", R"({"population":5,"field_offices":[{"zone":3100,"difficulty":2,"annexes":9}]})")).first,
      200);
  ASSERT_EQ(
      send(report("Boingbury", R"({"population":5,"field_offices":[{"zone":3100,"difficulty":1,"annexes":1}]})")).first,
      200);
  world->publish();
  auto const offices = boost::json::parse(get_body("/api/fieldoffices"));
  EXPECT_EQ(offices.at("fieldOffices").at("3100").at("annexes"), 1);
}

TEST_F(surface, ASilentDistrictsOfficesAndDoodlesGo) {
  ASSERT_EQ(send(report("Acrylic Acres", full_report)).first, 200);
  world->publish();
  ASSERT_NE(get_body("/api/doodles"), "{}");
  time.advance(31s);  // past world.offline_after
  world->publish();
  EXPECT_EQ(get_body("/api/fieldoffices"), R"({"lastUpdated":1700000031,"fieldOffices":{}})");
  EXPECT_EQ(get_body("/api/doodles"), "{}");
}

TEST_F(surface, BadNewFieldsAreRefusedAndChangeNothing) {
  ASSERT_EQ(send(report("Acrylic Acres", full_report)).first, 200);
  world->publish();
  std::string const offices = get_body("/api/fieldoffices");
  std::string const doodles = get_body("/api/doodles");
  std::string const doodle = R"({"dna":"dl1","traits":[],"cost":1})";
  std::string many_doodles = "[";
  for (int i = 0; i < 33; ++i) many_doodles += (i ? "," : "") + doodle;
  many_doodles += "]";
  std::string many_playgrounds = "{";
  for (int i = 0; i < 17; ++i) many_playgrounds += (i ? ",\"P" : "\"P") + std::to_string(i) + "\":[]";
  many_playgrounds += "}";
  std::string many_teams = "{";
  for (int i = 0; i < 17; ++i) many_teams += (i ? ",\"T" : "\"T") + std::to_string(i) + "\":1";
  many_teams += "}";
  struct bad {
    std::string body;
    unsigned status;
    std::string error;
  };
  std::vector<bad> const cases{
      {R"({"population":1,"field_offices":{}})", 422, "field_offices must be an array"},
      {R"({"population":1,"field_offices":[{"zone":1234,"difficulty":0,"annexes":1}]})", 422,
       "field_offices[].zone must be one of TTR's street zones (3100 … 9200)"},
      {R"({"population":1,"field_offices":[{"zone":4294970396,"difficulty":0,"annexes":1}]})", 422,
       "field_offices[].zone must be one of TTR's street zones (3100 … 9200)"},
      {R"({"population":1,"field_offices":[{"zone":3100,"difficulty":10,"annexes":1}]})", 422,
       "field_offices[].difficulty must be an integer from 0 to 9"},
      {R"({"population":1,"field_offices":[{"zone":3100,"difficulty":0,"annexes":-1}]})", 422,
       "field_offices[].annexes must be an integer from 0 to 100"},
      {R"({"population":1,"field_offices":[{"zone":3100,"difficulty":0}]})", 422,
       "field_offices[].zone, difficulty and annexes are required"},
      {R"({"population":1,"field_offices":[{"zone":3100,"difficulty":0,"annexes":1,"department":"x"}]})", 422,
       "field_offices[].department must be bossbot, lawbot, cashbot or sellbot"},
      {R"({"population":1,"field_offices":[{"zone":3100,"difficulty":0,"annexes":1,"expiring":1800000000}]})", 422,
       "field_offices[].expiring must be an integer from 1 to 1700086400"},
      {R"({"population":1,"field_offices":[{"zone":3100,"difficulty":0,"annexes":1},)"
       R"({"zone":3100,"difficulty":0,"annexes":1}]})",
       422, "field_offices has zone 3100 twice"},
      {R"({"population":1,"doodles":[]})", 422, "doodles must be an object of playgrounds"},
      {R"({"population":1,"doodles":{"TTC":[{"dna":"dl1","traits":[]}]}})", 422, "doodles[].dna and cost are required"},
      {R"({"population":1,"doodles":{"TTC":[{"dna":"dl\u0001","traits":[],"cost":1}]}})", 422,
       "doodles[].dna has control characters"},
      {R"({"population":1,"doodles":{"TTC":[{"dna":"dl1","traits":[],"cost":1000001}]}})", 422,
       "doodles[].cost must be an integer from 0 to 1000000"},
      {R"({"population":1,"doodles":{"TTC":[{"dna":"dl1","traits":["a","b","c","d","e","f","g","h","i"],"cost":1}]}})",
       422, "doodles[].traits has more than 8 entries"},
      {R"({"population":1,"doodles":{"TTC":)" + many_doodles + "}}", 422, "doodles.TTC has more than 32"},
      {R"({"population":1,"doodles":)" + many_playgrounds + "}", 422, "doodles has more than 16 playgrounds"},
      {R"({"population":1,"doodles":{"TTC":[],"TTC":[]}})", 422, "doodles has playground TTC twice"},
      {R"({"population":1,"silly_points":{"Double Jellybeans":-1}})", 422,
       "silly_points.Double Jellybeans must be an integer from 0 to 1000000000000"},
      {R"({"population":1,"silly_points":{"A":1,"A":2}})", 422, "silly_points has team A twice"},
      {R"({"population":1,"silly_points":)" + many_teams + "}", 422, "silly_points has more than 16 teams"},
      {R"({"population":1,"silly_points":{"A":1})", 400, "malformed JSON"},
  };
  for (auto const& c : cases) {
    auto const [status, body] = send(report("Acrylic Acres", c.body));
    EXPECT_EQ(status, c.status) << c.body;
    EXPECT_EQ(boost::json::parse(body).at("error").as_string(), c.error) << c.body;
  }
  time.advance(1s);
  world->publish();
  auto const unchanged = [](std::string s) { return s.substr(s.find(",\"fieldOffices\"")); };
  EXPECT_EQ(unchanged(get_body("/api/fieldoffices")), unchanged(offices));
  EXPECT_EQ(get_body("/api/doodles"), doodles);
}

TEST_F(surface, SillyMeterFollowsReportedPointsAtTheTally) {
  auto const teams = world->silly().teams();
  auto const points = [&](int a, int b) {
    return R"({"population":1,"silly_points":{")" + teams[0] + "\":" + std::to_string(a) + ",\"" + teams[1] +
           "\":" + std::to_string(b) + "}}";
  };
  ASSERT_EQ(send(report("Zapwood", points(500, 100))).first, 200);  // a district's history does not count
  ASSERT_EQ(send(report("Zapwood", points(800, 150))).first, 200);  // 300 + 50 more since
  world->publish();
  auto meter = boost::json::parse(get_body("/api/sillymeter"));
  EXPECT_EQ(meter.at("hp"), 0);  // not before the tally
  time.advance(60s);
  world->publish();
  meter = boost::json::parse(get_body("/api/sillymeter"));
  EXPECT_EQ(meter.at("state"), "Active");
  EXPECT_EQ(meter.at("hp"), 350);
  EXPECT_EQ(meter.at("asOf"), 1700000060);
  EXPECT_EQ(meter.at("nextUpdateTimestamp"), 1700000120);
  EXPECT_EQ(serialize(meter.at("rewardPoints")), "[null,null,null]");
  EXPECT_TRUE(meter.at("winner").is_null());
}

TEST_F(surface, SillyMeterAdminCalls) {
  auto const team = world->silly().teams()[1];
  EXPECT_EQ(send(post("/admin/v1/sillymeter/points", R"({"team":"x","points":1})", "")).first, 401);
  EXPECT_EQ(send(post("/admin/v1/sillymeter/points", R"({"team":"x","points":1})", "shared-key")).first, 401);
  auto [status, body] = send(post("/admin/v1/sillymeter/points", R"({"team":"Nope","points":1})", "admin-key"));
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body, R"({"error":"no such team in play"})");
  std::tie(status, body) =
      send(post("/admin/v1/sillymeter/points", R"({"team":")" + team + R"(","points":0})", "admin-key"));
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body, R"({"error":"points must be from 1 to 5000000"})");
  EXPECT_EQ(send(post("/admin/v1/sillymeter/points", "[1]", "admin-key")).first, 400);
  std::tie(status, body) =
      send(post("/admin/v1/sillymeter/points", R"({"team":")" + team + R"(","points":4000000})", "admin-key"));
  EXPECT_EQ(status, 200);
  EXPECT_EQ(boost::json::parse(body).at("hp"), 4000000);
  std::tie(status, body) =
      send(post("/admin/v1/sillymeter/points", R"({"team":")" + team + R"(","points":1000000})", "admin-key"));
  EXPECT_EQ(status, 200);
  auto const won = boost::json::parse(body);
  EXPECT_EQ(won.at("state"), "Reward");
  EXPECT_EQ(won.at("winner"), boost::json::value(team));
  EXPECT_EQ(serialize(won.at("rewardPoints")), "[0,5000000,0]");
  EXPECT_EQ(won.at("nextUpdateTimestamp"), 1700000000 + 48 * 3600);
  std::tie(status, body) =
      send(post("/admin/v1/sillymeter/points", R"({"team":")" + team + R"(","points":1})", "admin-key"));
  EXPECT_EQ(status, 409);
  EXPECT_EQ(body, R"({"error":"the silly meter is not Active"})");
  std::tie(status, body) = send(post("/admin/v1/sillymeter/state", R"({"state":"Sleeping"})", "admin-key", "PUT"));
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body, R"({"error":"state must be Active, Reward or Inactive"})");
  EXPECT_EQ(send(post("/admin/v1/sillymeter/state", R"({"state":"Active","winner":"x"})", "admin-key", "PUT")).first,
            400);
  std::tie(status, body) = send(post("/admin/v1/sillymeter/state", R"({"state":"inactive"})", "admin-key", "PUT"));
  EXPECT_EQ(status, 200);
  EXPECT_EQ(boost::json::parse(body).at("state"), "Inactive");
  world->publish();
  EXPECT_EQ(boost::json::parse(get_body("/api/sillymeter")).at("state"), "Inactive");
}

TEST_F(surface, ChangesOfTheMeterAndTheOfficesAreStreamed) {
  world->publish();
  auto const start = world->events().last_id();
  ASSERT_TRUE(world->silly().add_points(world->silly().teams()[0], 10));
  ASSERT_EQ(send(report("Acrylic Acres", full_report)).first, 200);
  world->publish();
  std::map<std::string, std::string> seen;
  for (auto const& e : world->events().since(start)) seen[e.type] = e.data;
  EXPECT_EQ(seen["sillymeter.changed"], get_body("/api/sillymeter"));
  EXPECT_EQ(seen["fieldoffices.changed"], get_body("/api/fieldoffices"));
  auto const quiet = world->events().last_id();
  time.advance(1s);
  world->publish();  // nothing changed: no event
  EXPECT_TRUE(world->events().since(quiet).empty());
}

TEST_F(surface, StatusPageAndItsFiles) {
  raw_connection c{server.port()};
  c.send(get_request("/"));
  auto page = c.read();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->result_int(), 200);
  EXPECT_EQ((*page)[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(page->body().find("<title>Toontown status</title>"), std::string::npos);
  EXPECT_NE((*page)["Content-Security-Policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ((*page)["X-Content-Type-Options"], "nosniff");
  std::string const etag{(*page)[bhttp::field::etag]};
  c.send(get_request("/", "If-None-Match: " + etag + "\r\n"));
  auto again = c.read();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result_int(), 304);
  c.send(get_request("/status"));
  auto status = c.read();
  ASSERT_TRUE(status);
  EXPECT_EQ(status->body(), page->body());
  c.send(get_request("/status/app.js"));
  auto script = c.read();
  ASSERT_TRUE(script);
  EXPECT_EQ(script->result_int(), 200);
  EXPECT_EQ((*script)[bhttp::field::content_type], "text/javascript; charset=utf-8");
  c.send(get_request("/status/style.css"));
  auto style = c.read();
  ASSERT_TRUE(style);
  EXPECT_EQ((*style)[bhttp::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(send(get_request("/status/index.html")).first, 404);
  EXPECT_EQ(send(get_request("/status/nope.js")).first, 404);
  EXPECT_EQ(send(get_request("/status/%2e%2e%2fapp.js")).first, 404);
}

TEST(surface_options, TheStatusPageCanBeTurnedOff) {
  manual_clock time;
  world_options o;
  o.status_page = false;
  world_service world{o, time};
  running_server server;
  world.install(*server.routes);
  server.start();
  raw_connection c{server.port()};
  c.send(get_request("/"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 404);
}

}  // namespace
}  // namespace overworld::world
