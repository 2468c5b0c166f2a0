// The developer portal's key flow, ending with the new key accepted by /v1.
#include "support.hpp"

#include <overworld/server/sandbox/portal.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <thread>
#include <vector>

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

namespace overworld::sandbox {
namespace {

using namespace std::chrono_literals;

/// A sandbox with the portal, one account, and requests with any headers.
struct portal_fixture {
  std::unique_ptr<developer_portal> portal;
  testing::sandbox_server s;

  explicit portal_fixture(portal_options po = {}, std::size_t threads = 1, std::vector<http::ip_network> trusted = {})
      : s{{}, testing::fixture_dataset(), [&](testing::sandbox_server& srv) {
            po.accounts["dev@example.com"] = "right";
            portal = std::make_unique<developer_portal>(srv.sandbox->keys(), po, srv.time);
            portal->install(*srv.server.routes);
            srv.server.options.threads = threads;
            srv.server.options.trusted_proxies = trusted;
          }} {}

  testing::sandbox_server::response post(std::string const& path, std::string const& body,
                                         std::string const& headers = "Content-Type: application/json\r\n") {
    http::testing::raw_connection c{s.server.port()};
    c.send("POST " + path + " HTTP/1.1\r\nHost: h\r\n" + headers + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body);
    auto r = c.read();
    if (!r) throw std::runtime_error("no response");
    return *r;
  }
  testing::sandbox_server::response login(std::string const& password,
                                          std::string const& headers = "Content-Type: application/json\r\n") {
    return post("/api/login", R"({"email":"dev@example.com","password":")" + password + R"("})", headers);
  }
  /// "session=…" from a successful login.
  std::string session(std::string const& headers = "Content-Type: application/json\r\n") {
    auto const r = login("right", headers);
    if (r.result_int() != 200) throw std::runtime_error("login failed: " + r.body());
    std::string const cookie{r[boost::beast::http::field::set_cookie]};
    return cookie.substr(0, cookie.find(';'));
  }
  unsigned list(std::string const& cookie_header) {
    return post("/api/apikey/list", "{}", "Content-Type: application/json\r\nCookie: " + cookie_header + "\r\n")
        .result_int();
  }
};

TEST(SandboxPortal, BruteForceIsLimitedLikeTheLaunchersLogin) {
  portal_fixture f;
  int refused = 0, limited = 0;
  for (int i = 0; i < 300; ++i) {
    auto const status = f.login("guess" + std::to_string(i)).result_int();
    refused += status == 403;
    limited += status == 429;
  }
  EXPECT_EQ(refused, 30);
  EXPECT_EQ(limited, 270);
  auto const r = f.login("right");  // the right password, now: still limited
  EXPECT_EQ(r.result_int(), 429);
  EXPECT_EQ(r.body().find(R"({"status":{"code":429)"), 0u) << r.body();
  EXPECT_FALSE(std::string{r[boost::beast::http::field::retry_after]}.empty());
  f.s.time.advance(6h);
  EXPECT_EQ(f.login("right").result_int(), 200);
  EXPECT_LE(f.portal->login_limiter().local()->tracked_keys(), 1u);
}

TEST(SandboxPortal, SessionsAreCappedPerAccountAndExpire) {
  portal_options po;
  po.max_sessions = 3;
  po.login_limit.limit = 1000;
  portal_fixture f{po};
  std::vector<std::string> sessions;
  for (int i = 0; i < 50; ++i) sessions.push_back(f.session());
  EXPECT_EQ(f.portal->sessions(), 3u);
  EXPECT_EQ(f.list(sessions.front()), 403u);  // the oldest sessions were ended
  EXPECT_EQ(f.list(sessions[46]), 403u);
  EXPECT_EQ(f.list(sessions[47]), 200u);
  EXPECT_EQ(f.list(sessions.back()), 200u);
  f.s.time.advance(3601s);
  EXPECT_EQ(f.list(sessions.back()), 403u);
  (void)f.session();
  EXPECT_EQ(f.portal->sessions(), 1u);  // expired sessions are dropped at the next login
}

TEST(SandboxPortal, LogoutEndsTheSession) {
  portal_fixture f;
  auto const session = f.session();
  auto const kept = f.session();
  EXPECT_EQ(f.list(session), 200u);
  auto const out = f.post("/api/logout", "{}", "Content-Type: application/json\r\nCookie: " + session + "\r\n");
  EXPECT_EQ(out.result_int(), 200);
  EXPECT_EQ(out.body(), R"({"status":{"code":0,"message":"ok","detail":null}})");
  EXPECT_EQ(std::string{out[boost::beast::http::field::set_cookie]},
            "session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  EXPECT_EQ(f.list(session), 403u);
  EXPECT_EQ(f.list(kept), 200u);  // only that one
  EXPECT_EQ(f.portal->sessions(), 1u);
  EXPECT_EQ(f.post("/api/logout", "{}", "Content-Type: text/plain\r\nCookie: " + kept + "\r\n").result_int(), 415u);
  EXPECT_EQ(f.list(kept), 200u);
}

TEST(SandboxPortal, CookieIsStrictAndHttpOnlyAndSecureBehindHttps) {
  portal_fixture direct;
  auto const plain = std::string{direct.login("right")[boost::beast::http::field::set_cookie]};
  EXPECT_NE(plain.find("; HttpOnly"), std::string::npos) << plain;
  EXPECT_NE(plain.find("; SameSite=Strict"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("Secure"), std::string::npos) << plain;
  // X-Forwarded-Proto from an untrusted peer is ignored…
  auto const spoofed = std::string{direct.login(
      "right",
      "Content-Type: application/json\r\nX-Forwarded-Proto: https\r\n")[boost::beast::http::field::set_cookie]};
  EXPECT_EQ(spoofed.find("Secure"), std::string::npos) << spoofed;
  // …and believed from a trusted proxy.
  portal_fixture proxied{{}, 1, {*http::ip_network::parse("127.0.0.0/8")}};
  auto const secure = std::string{proxied.login(
      "right", "Content-Type: application/json\r\nX-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https\r\n")
                                      [boost::beast::http::field::set_cookie]};
  EXPECT_NE(secure.find("; Secure"), std::string::npos) << secure;
}

TEST(SandboxPortal, StateChangingCallsNeedAJsonContentType) {
  portal_fixture f;
  auto const cookie = "Cookie: " + f.session() + "\r\n";
  std::string const create = R"({"name":"csrf","cidrRanges":["0.0.0.0/0"]})";
  for (std::string const type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                 "application/jsonx", ""}) {
    std::string const headers = (type.empty() ? "" : "Content-Type: " + type + "\r\n") + cookie;
    EXPECT_EQ(f.post("/api/apikey/create", create, headers).result_int(), 415) << type;
    EXPECT_EQ(f.post("/api/apikey/revoke", R"({"id":"x"})", headers).result_int(), 415) << type;
    EXPECT_EQ(f.post("/api/apikey/list", "{}", headers).result_int(), 415) << type;
    EXPECT_EQ(f.login("right", type.empty() ? "" : "Content-Type: " + type + "\r\n").result_int(), 415) << type;
  }
  EXPECT_EQ(f.s.sandbox->keys().list().size(), 1u);  // only the test key: nothing was created
  EXPECT_EQ(
      f.post("/api/apikey/create", create, "Content-Type: Application/JSON; charset=utf-8\r\n" + cookie).result_int(),
      200);
}

TEST(SandboxPortal, CookiesAreParsedExactly) {
  portal_fixture f;
  auto const session = f.session();  // "session=<token>"
  auto const token = session.substr(8);
  EXPECT_EQ(f.list("xsession=" + token), 403u);
  EXPECT_EQ(f.list("session_old=" + token), 403u);
  EXPECT_EQ(f.list("a=1; xsession=" + token), 403u);
  EXPECT_EQ(f.list("session=" + token + "x"), 403u);
  EXPECT_EQ(f.list("session="), 403u);
  EXPECT_EQ(f.list("theme=dark; session=" + token), 200u);
  EXPECT_EQ(f.list("xsession=nope; session=" + token + "; lang=en"), 200u);
  // What clashofclans.js sends: the whole Set-Cookie value back as the Cookie header.
  EXPECT_EQ(f.list(session + "; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"), 200u);
}

TEST(SandboxPortal, TheKeyLimitHoldsUnderConcurrentCreates) {
  portal_options po;
  po.max_keys = 10;
  portal_fixture f{po, 4};
  auto const cookie = "Content-Type: application/json\r\nCookie: " + f.session() + "\r\n";
  std::atomic<int> made{0}, refused{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto const r =
            f.post("/api/apikey/create",
                   R"({"name":"k)" + std::to_string(t * 10 + i) + R"(","cidrRanges":["127.0.0.1"]})", cookie);
        (r.result_int() == 200 ? made : refused).fetch_add(1);
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(made.load(), 10);
  EXPECT_EQ(refused.load(), 30);
  auto const listed = json::parse(f.post("/api/apikey/list", "{}", cookie).body()).at("keys").as_array();
  EXPECT_EQ(listed.size(), 10u);
}

TEST(SandboxPortal, KeyNamesFollowTheNameRule) {
  portal_fixture f;
  auto const cookie = "Content-Type: application/json\r\nCookie: " + f.session() + "\r\n";
  for (std::string const& name :
       {std::string{R"(a\u0000)"}, std::string{R"(\ud800)"}, std::string{R"(line\nbreak)"}, std::string(200, 'n')}) {
    EXPECT_EQ(
        f.post("/api/apikey/create", R"({"name":")" + name + R"(","cidrRanges":["127.0.0.1"]})", cookie).result_int(),
        400)
        << name;
  }
  EXPECT_EQ(f.post("/api/apikey/create", R"({"name":"bot","description":"a\u0007","cidrRanges":["127.0.0.1"]})", cookie)
                .result_int(),
            400);
  auto const ok = f.post("/api/apikey/create", R"({"name":"Zoë's bot","cidrRanges":["127.0.0.1"]})", cookie);
  EXPECT_EQ(ok.result_int(), 200) << ok.body();
}

}  // namespace
}  // namespace overworld::sandbox
