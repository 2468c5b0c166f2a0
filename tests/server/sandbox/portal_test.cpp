// The developer portal's key flow, ending with the new key accepted by /v1.
#include "support.hpp"

#include <overworld/server/sandbox/portal.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using testing::sandbox_server;

TEST(SandboxPortal, LoginCreateUseListRevoke) {
  std::unique_ptr<developer_portal> portal;
  sandbox_server s{{}, testing::fixture_dataset(), [&](sandbox_server& srv) {
                     portal_options po;
                     po.accounts["demo@example.com"] = "demo";
                     po.max_keys = 2;
                     portal = std::make_unique<developer_portal>(srv.sandbox->keys(), po, srv.time);
                     portal->install(*srv.server.routes);
                   }};

  EXPECT_EQ(s.request("POST", "/api/login", "", R"({"email":"demo@example.com","password":"nope"})").result_int(), 403);
  auto const login = s.request("POST", "/api/login", "", R"({"email":"demo@example.com","password":"demo"})");
  ASSERT_EQ(login.result_int(), 200);
  auto const cookie = std::string{login[boost::beast::http::field::set_cookie]};
  std::string const session = cookie.substr(0, cookie.find(';'));
  auto const body = json::parse(login.body()).as_object();
  // The caller's address is inside the temporary token, where clients look for it.
  std::string const token{body.at("temporaryAPIToken").as_string()};
  auto const payload = base64url_decode(token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1));
  ASSERT_TRUE(payload);
  EXPECT_EQ(json::parse(*payload).at("limits").at(1).at("cidrs").at(0), "127.0.0.1/32");

  auto const post = [&](std::string const& path, std::string const& json_body) {
    http::testing::raw_connection c{s.server.port()};
    c.send("POST " + path + " HTTP/1.1\r\nHost: h\r\nCookie: " + session +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json_body.size()) + "\r\n\r\n" +
           json_body);
    auto r = c.read();
    if (!r) throw std::runtime_error("no response");
    return *r;
  };
  auto const created =
      post("/api/apikey/create", R"({"name":"bot","description":"d","cidrRanges":["127.0.0.1"],"scopes":["clash"]})");
  ASSERT_EQ(created.result_int(), 200) << created.body();
  auto const key = json::parse(created.body()).at("key").as_object();
  std::string const key_text{key.at("key").as_string()};
  EXPECT_EQ(s.get("/v1/players/%232PP", key_text).result_int(), 200);

  auto const other = post("/api/apikey/create", R"({"name":"far","description":"","cidrRanges":["203.0.113.9"]})");
  ASSERT_EQ(other.result_int(), 200);
  EXPECT_EQ(
      s.get("/v1/players/%232PP", std::string{json::parse(other.body()).at("key").at("key").as_string()}).result_int(),
      403);
  EXPECT_EQ(post("/api/apikey/create", R"({"name":"third","cidrRanges":["127.0.0.1"]})").result_int(),
            400);  // max keys

  auto const listed = json::parse(post("/api/apikey/list", "{}").body()).at("keys").as_array();
  EXPECT_EQ(listed.size(), 2u);
  EXPECT_EQ(post("/api/apikey/revoke", R"({"id":")" + std::string{key.at("id").as_string()} + R"("})").result_int(),
            200);
  EXPECT_EQ(s.get("/v1/players/%232PP", key_text).result_int(), 403);
  EXPECT_EQ(s.request("POST", "/api/apikey/list", "", "{}").result_int(), 403);  // no session
}

}  // namespace
}  // namespace overworld::sandbox
