// Names from URLs and bodies: every kind of odd name is refused with 400 in the world API's format,
// and afterwards every public body still parses as JSON (a strict, UTF-8 checking parser).
#include "http/server/support.hpp"

#include <overworld/http/message.hpp>
#include <overworld/server/world/world_service.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using http::testing::get_request;
using http::testing::raw_connection;
using http::testing::running_server;

std::vector<std::string> const odd_names{
    "Bad\xFF\xFE"s,
    "\xC0\xAF"s,
    "\xE0\x80\xAF"s,
    "\xF0\x80\x80\xAF"s,
    "\xED\xA0\x80"s,
    "\xED\xBF\xBF"s,
    "\xF4\x90\x80\x80"s,
    "Euro\xE2\x82"s,
    "a\x80"s,
    "Nul\0Byte"s,
    "Line\nBreak"s,
    "Tab\tName"s,
    "Bell\x07"s,
    "Del\x7F"s,
    "Nel\xC2\x85"s,
    std::string(65, 'x'),
    std::string(5'000, 'y'),
};

struct odd_names_fixture : ::testing::Test {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  running_server server;
  std::unique_ptr<world_service> world;

  void SetUp() override {
    world_options o;
    o.reporter_key = "shared-key";
    world = std::make_unique<world_service>(o, time);
    world->install(*server.routes);
    server.start();
  }
  std::pair<unsigned, std::string> report(std::string const& district, std::string const& body) {
    raw_connection c{server.port()};
    c.send("POST /internal/v1/districts/" + http::percent_encode(district) +
           "/report HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer shared-key\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  }
  std::string get_body(std::string const& path) {
    raw_connection c{server.port()};
    c.send(get_request(path));
    auto r = c.read();
    return r ? r->body() : std::string{};
  }
};

std::string invasion_body(std::string const& cog_json) {
  return R"({"population":5,"invasion":{"cog":")" + cog_json + R"(","defeated":1,"total":10,"started_at":1699999990}})";
}

TEST_F(odd_names_fixture, OddNamesAreRefusedAndEveryPublicBodyStillParses) {
  for (auto const& name : odd_names) {
    auto const [status, body] = report(name, R"({"population":5})");
    EXPECT_EQ(status, 400u) << testing::PrintToString(name);
    EXPECT_EQ(body, R"({"error":"invalid district name"})");
  }
  // Cog names arrive inside JSON: a value that breaks the name rule is 422 (the world API's status
  // for a bad value), raw bytes that are not UTF-8 make the JSON malformed (400).
  for (std::string const& cog :
       {R"(\ud800)"s, R"(\udfff)"s, R"(\u0000)"s, R"(Flunky\u0007)"s, R"(\u0085)"s, std::string(200, 'c')}) {
    auto const [status, body] = report("Boingy Acres", invasion_body(cog));
    EXPECT_EQ(status, 422u) << cog;
    EXPECT_EQ(body.find(R"({"error":"invasion.cog )"), 0u) << body;
  }
  EXPECT_EQ(report("Boingy Acres", invasion_body("Bad\xFF\xFE")).first, 400u);
  // Names that are odd but valid are kept as they are.
  EXPECT_EQ(report("Zürich \xF0\x9F\x90\xB8", R"({"population":7})").first, 200u);
  EXPECT_EQ(report("Line\xE2\x80\xA8Sep", invasion_body("Flunky")).first, 200u);
  time.advance(1s);
  world->publish();

  for (char const* path : {"/api/invasions", "/api/population", "/api/status", "/api/v1/districts/",
                           "/api/v1/districts.js", "/api/v1/game_info.js", "/api/v2/districts", "/api/v2/invasions"}) {
    auto const body = get_body(path);
    boost::system::error_code ec;
    auto const parsed = boost::json::parse(body, ec);  // refuses invalid UTF-8
    EXPECT_FALSE(ec) << path << ": " << ec.message() << "\n" << body;
    EXPECT_EQ(body.find("\xFF"), std::string::npos) << path;
  }
  auto const v2 = boost::json::parse(get_body("/api/v2/districts"));
  std::vector<std::string> names;
  for (auto const& d : v2.at("districts").as_array()) names.emplace_back(d.at("name").as_string());
  EXPECT_EQ(names.size(), 2u);
  EXPECT_NE(std::find(names.begin(), names.end(), "Zürich \xF0\x9F\x90\xB8"), names.end());
  // U+2028 is escaped on the wire (bodies read as JavaScript), and reads back as itself.
  EXPECT_NE(get_body("/api/v1/districts.js").find("Line\\u2028Sep"), std::string::npos);
  EXPECT_NE(std::find(names.begin(), names.end(), "Line\xE2\x80\xA8Sep"), names.end());
}

}  // namespace
}  // namespace overworld::world
