#include "support.hpp"

#include <overworld/http/router.hpp>

#include <gtest/gtest.h>

namespace overworld::http {
namespace {

using namespace testing;

response ok(std::string body) { return response::text(200, std::move(body)); }

TEST(Router, MatchesLiteralsParametersAndRest) {
  router r;
  r.get("/v1/players/{tag}", sync_handler{[](request const&) { return ok("p"); }});
  r.get("/v1/players/{tag}/battlelog", sync_handler{[](request const&) { return ok("b"); }});
  r.get("/files/{path...}", sync_handler{[](request const&) { return ok("f"); }});
  std::vector<path_param> params;

  auto m = r.find(verb::get, "/v1/players/%232PP", params);
  ASSERT_TRUE(m.found);
  EXPECT_EQ(m.found->pattern, "/v1/players/{tag}");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].name, "tag");
  EXPECT_EQ(params[0].value, "#2PP");  // decoded

  m = r.find(verb::get, "/v1/players/%232PP/battlelog", params);
  ASSERT_TRUE(m.found);
  EXPECT_EQ(m.found->pattern, "/v1/players/{tag}/battlelog");

  m = r.find(verb::get, "/files/game/phase_3.mf", params);
  ASSERT_TRUE(m.found);
  EXPECT_EQ(params.at(0).value, "game/phase_3.mf");

  EXPECT_FALSE(r.find(verb::get, "/v1/players/", params).found);     // empty segment is no tag
  EXPECT_FALSE(r.find(verb::get, "/v1/players/%zz", params).found);  // bad escape
  EXPECT_FALSE(r.find(verb::get, "/v1/players/a/b/c", params).found);
}

TEST(Router, TrailingSlashIsSignificant) {
  router r;
  r.get("/api/v1/districts/", sync_handler{[](request const&) { return ok("slash"); }});
  std::vector<path_param> params;
  EXPECT_TRUE(r.find(verb::get, "/api/v1/districts/", params).found);
  EXPECT_FALSE(r.find(verb::get, "/api/v1/districts", params).found);
}

TEST(Router, MethodMismatchListsAllowedMethods) {
  router r;
  r.get("/x", sync_handler{[](request const&) { return ok("g"); }});
  r.post("/x", sync_handler{[](request const&) { return ok("p"); }});
  std::vector<path_param> params;
  auto m = r.find(verb::put, "/x", params);
  EXPECT_FALSE(m.found);
  EXPECT_TRUE(m.path_exists);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  EXPECT_TRUE(r.find(verb::head, "/x", params).found);  // HEAD falls back to GET
}

TEST(Router, ErrorFormatsByLongestPrefix) {
  router r;
  r.set_error_format("/v1/",
                     [](unsigned s, std::string_view) { return response::json(s, R"({"reason":"notFound"})"); });
  r.set_error_format("/v1/special/",
                     [](unsigned s, std::string_view) { return response::json(s, R"({"special":1})"); });
  EXPECT_EQ(r.make_error("/v1/x", 404, "nf").body, R"({"reason":"notFound"})");
  EXPECT_EQ(r.make_error("/v1/special/x", 404, "nf").body, R"({"special":1})");
  EXPECT_EQ(r.make_error("/other", 404, "not \"found\"").body, R"({"error":"not \"found\""})");
}

TEST(RouterOverWire, Status404And405WithAllow) {
  running_server s;
  s.routes->get("/hello", sync_handler{[](request const&) { return ok("hi"); }});
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/nope"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 404);
  EXPECT_EQ((*r)[bhttp::field::content_type], "application/json");
  EXPECT_EQ(r->body(), R"({"error":"not found"})");
  c.send("DELETE /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 405);
  EXPECT_EQ((*r)[bhttp::field::allow], "GET, HEAD");
  // The connection survives both errors.
  c.send(get_request("/hello"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "hi");
}

TEST(RouterOverWire, ParamsQueryHeadersAndBodyReachTheHandler) {
  running_server s;
  s.routes->post("/echo/{name}", sync_handler{[](request const& req) {
                   std::string out{req.param("name")};
                   out += "|" + req.query_param("q").value_or("-");
                   out += "|" + std::string{req.header("x-thing").value_or("-")};
                   out += "|" + std::string{req.body};
                   out += "|" + std::string{req.client_address};
                   return ok(out);
                 }});
  s.start();
  raw_connection c{s.port()};
  c.send("POST /echo/a%20b?q=x+y%21 HTTP/1.1\r\nHost: h\r\nX-Thing: yes\r\nContent-Length: 4\r\n\r\nbody");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "a b|x y!|yes|body|127.0.0.1");
}

TEST(RouterOverWire, HeadSendsHeadersOnly) {
  running_server s;
  s.routes->get("/doc", sync_handler{[](request const&) { return ok("0123456789"); }});
  s.start();
  raw_connection c{s.port()};
  c.send("HEAD /doc HTTP/1.1\r\nHost: h\r\n\r\n");
  auto r = c.read(true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ((*r)[bhttp::field::content_length], "10");
  EXPECT_EQ(r->body(), "");
  c.send(get_request("/doc"));  // no stray body bytes were sent: the next response parses
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "0123456789");
}

TEST(RouterOverWire, AsyncHandlersAndFilters) {
  running_server s;
  s.routes->add_filter("guarded", [](request const& req) -> std::optional<response> {
    if (req.header("Authorization") != std::optional<std::string_view>{"Bearer k"}) return default_error(403, "no");
    return std::nullopt;
  });
  route_options opts;
  opts.group = "guarded";
  s.routes->get("/async", async_handler{[](request req) -> boost::asio::awaitable<response> {
                  co_return ok("async:" + std::string{req.path});
                }},
                opts);
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/async"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 403);
  c.send(get_request("/async", "Authorization: Bearer k\r\n"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "async:/async");
}

TEST(RouterOverWire, ThrowingHandlerGives500AndKeepsServing) {
  running_server s;
  s.routes->get("/boom", sync_handler{[](request const&) -> response { throw std::runtime_error("bug"); }});
  s.routes->get("/ok", sync_handler{[](request const&) { return ok("fine"); }});
  s.start();
  raw_connection c{s.port()};
  c.send(get_request("/boom"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 500);
  c.send(get_request("/ok"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "fine");
}

}  // namespace
}  // namespace overworld::http
