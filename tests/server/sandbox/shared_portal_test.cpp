// Two sandbox nodes with their developer portals on one real Redis: a session made on one node is
// valid on the other and ends on logout everywhere, expires, and the per-account cap holds across
// nodes; the login limit is exact across nodes; with Redis gone the portal answers 503 with
// Retry-After, never a pass.
#include "support.hpp"
#include "support/io_thread.hpp"
#include "support/redis.hpp"

#include <overworld/server/sandbox/portal.hpp>
#include <overworld/store/redis.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;

/// One node: its own sandbox, portal and Redis connection. `shared_time` is the clock both nodes'
/// sessions are measured on (Redis's own in production).
struct node {
  node(io_thread& io, redis_server& redis, portal_options po, clock const& shared_time) {
    std::string why;
    client = *store::redis_client::create(io.executor(), store::redis_options{redis.url()}, why);
    client->start();
    po.accounts["dev@example.com"] = "right";
    po.accounts["other@example.com"] = "right";
    s = std::make_unique<testing::sandbox_server>(
        sandbox_options{}, testing::fixture_dataset(), [&](testing::sandbox_server& srv) {
          portal = std::make_unique<developer_portal>(srv.sandbox->keys(), po, srv.time);
          portal->share_sessions(
              std::make_shared<redis_portal_sessions>(client, po.session, po.max_sessions, &shared_time));
          portal->share_login_limiter(server::make_limiter(client, "portal_login", po.login_limit));
          portal->install(*srv.server.routes);
        });
  }
  ~node() { client->stop(); }

  testing::sandbox_server::response post(std::string const& path, std::string const& body,
                                         std::string const& cookie = {}) {
    http::testing::raw_connection c{s->server.port()};
    c.send("POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n" +
           (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body);
    auto r = c.read();
    if (!r) throw std::runtime_error("no response");
    return *r;
  }
  testing::sandbox_server::response login(std::string const& password, std::string const& email = "dev@example.com") {
    return post("/api/login", R"({"email":")" + email + R"(","password":")" + password + R"("})");
  }
  /// "session=…" of a successful login.
  std::string session(std::string const& email = "dev@example.com") {
    auto const r = login("right", email);
    if (r.result_int() != 200) throw std::runtime_error("login failed: " + r.body());
    std::string const cookie{r[boost::beast::http::field::set_cookie]};
    return cookie.substr(0, cookie.find(';'));
  }
  unsigned list(std::string const& cookie) { return post("/api/apikey/list", "{}", cookie).result_int(); }

  std::shared_ptr<store::redis_client> client;
  std::unique_ptr<developer_portal> portal;
  std::unique_ptr<testing::sandbox_server> s;
};

struct SharedPortal : ::testing::Test {
  void start(portal_options po = {}) {
    a = std::make_unique<node>(io, redis, po, time);
    b = std::make_unique<node>(io, redis, po, time);
    ASSERT_TRUE(eventually([&] { return a->client->connected() && b->client->connected(); }));
  }

  redis_server redis;
  io_thread io;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  std::unique_ptr<node> a, b;
};

TEST_F(SharedPortal, ASessionMadeOnOneNodeIsValidOnEveryNodeAndLogoutEndsItEverywhere) {
  start();
  auto const session = a->session();
  auto const token = session.substr(8);
  EXPECT_EQ(b->list(session), 200u);
  EXPECT_EQ(a->list(session), 200u);
  // Redis keeps the token's digest only.
  EXPECT_EQ(redis.ask("EXISTS overworld:portal:session:" + token), ":0");
  EXPECT_EQ(redis.ask("EXISTS overworld:portal:session:" + session_digest(token)), ":1");
  EXPECT_EQ(a->portal->sessions(), 0u);  // none in the process

  auto const out = b->post("/api/logout", "{}", session);
  EXPECT_EQ(out.result_int(), 200);
  EXPECT_EQ(out.body(), R"({"status":{"code":0,"message":"ok","detail":null}})");
  EXPECT_NE(std::string{out[boost::beast::http::field::set_cookie]}.find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(a->list(session), 403u);
  EXPECT_EQ(b->list(session), 403u);
  EXPECT_EQ(redis.ask("EXISTS overworld:portal:session:" + session_digest(token)), ":0");
  EXPECT_EQ(a->post("/api/logout", "{}", session).result_int(), 200);  // again: nothing to end
}

TEST_F(SharedPortal, ASessionExpiresAfterItsLifetimeOnEveryNode) {
  portal_options po;
  po.session = 3600s;
  start(po);
  auto const session = a->session();
  time.advance(3599s);
  auto const listed = b->post("/api/apikey/list", "{}", session);
  ASSERT_EQ(listed.result_int(), 200);
  EXPECT_EQ(json::parse(listed.body()).at("sessionExpiresInSeconds"), 1);
  time.advance(1s);
  EXPECT_EQ(b->list(session), 403u);
  EXPECT_EQ(a->list(session), 403u);
  // Redis forgets it by itself too (PX of the lifetime, on its own clock).
  auto const ttl = std::atoll(redis.ask("PTTL overworld:portal:account:" + std::string{json::parse(
                                                                                a->login("right").body())
                                                                                .at("developer")
                                                                                .at("id")
                                                                                .as_string()})
                                  .substr(1)
                                  .c_str());
  EXPECT_GT(ttl, 3'000'000);
  EXPECT_LE(ttl, 3'601'000);
}

TEST_F(SharedPortal, ThePerAccountSessionCapHoldsAcrossNodes) {
  portal_options po;
  po.max_sessions = 3;
  po.login_limit.limit = 1000;
  start(po);
  std::vector<std::string> sessions;
  for (int i = 0; i < 10; ++i) sessions.push_back((i % 2 ? b : a)->session());
  auto const other = b->session("other@example.com");  // another account's sessions do not count
  for (int i = 0; i < 7; ++i) EXPECT_EQ((i % 2 ? a : b)->list(sessions[i]), 403u) << i;  // the oldest ended
  for (int i = 7; i < 10; ++i) {
    EXPECT_EQ(a->list(sessions[i]), 200u) << i;
    EXPECT_EQ(b->list(sessions[i]), 200u) << i;
  }
  EXPECT_EQ(a->list(other), 200u);
  EXPECT_EQ(a->login("wrong").result_int(), 403);  // no session made
  // 3 + 1 sessions and the 2 accounts' sets: nothing else is kept.
  EXPECT_EQ(redis.ask("EVAL \"return #redis.call('KEYS','overworld:portal:*')\" 0"), ":6");
}

TEST_F(SharedPortal, TheLoginLimitIsExactAcrossNodes) {
  start();
  int refused = 0, limited = 0;
  for (int i = 0; i < 40; ++i) {
    auto const status = (i % 2 ? b : a)->login("guess" + std::to_string(i)).result_int();
    refused += status == 403;
    limited += status == 429;
  }
  EXPECT_EQ(refused, 30);  // sandbox.portal_login_attempts, for both nodes together
  EXPECT_EQ(limited, 10);
  auto const r = b->login("right");
  EXPECT_EQ(r.result_int(), 429);
  EXPECT_EQ(r.body().find(R"({"status":{"code":429)"), 0u) << r.body();
  EXPECT_FALSE(std::string{r[boost::beast::http::field::retry_after]}.empty());
  EXPECT_EQ(a->login("right", "other@example.com").result_int(), 200);  // per address
}

TEST_F(SharedPortal, WithRedisGoneThePortalAnswers503ThenResumes) {
  start();
  auto const session = a->session();
  redis.stop();
  ASSERT_TRUE(eventually([&] { return !a->client->connected() && !b->client->connected(); }));
  for (auto* n : {a.get(), b.get()}) {
    auto const r = n->login("right");
    EXPECT_EQ(r.result_int(), 503);
    EXPECT_EQ(std::string{r[boost::beast::http::field::retry_after]}, "5");
    EXPECT_EQ(json::parse(r.body()).at("status").at("code"), 503);
    EXPECT_EQ(n->list(session), 503u);
  }
  redis.start();  // without its data (--save ""): the session is gone, logins work again
  ASSERT_TRUE(eventually([&] { return a->client->connected() && b->client->connected(); }));
  EXPECT_EQ(b->list(session), 403u);
  EXPECT_EQ(b->list(a->session()), 200u);
}

}  // namespace
}  // namespace overworld::sandbox
