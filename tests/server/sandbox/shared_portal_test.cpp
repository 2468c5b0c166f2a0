// Two sandbox nodes with their developer portals on one real Redis: a session made on one node is
// valid on the other and ends on logout everywhere, expires, and the per-account cap holds across
// nodes; the login limit is exact across nodes; with Redis gone the portal answers 503 with
// Retry-After, never a pass.
#include "support.hpp"
#include "support/io_thread.hpp"
#include "support/redis.hpp"

#include <overworld/server/sandbox/portal.hpp>
#include <overworld/server/sandbox/shared_keys.hpp>
#include <overworld/store/redis.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <thread>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;

/// How a node shares: its keys' refresh and lookups, and whether its throttle is shared.
struct sharing {
  shared_key_options keys{std::chrono::hours{1}, 1000};  // refreshed only when a test says so
  bool throttle = false;
  sandbox_options sandbox;
};

/// One node: its own sandbox, portal and Redis connection. `shared_time` is the clock both nodes'
/// sessions are measured on (Redis's own in production).
struct node {
  node(io_thread& io, redis_server& redis, portal_options po, clock const& shared_time, sharing how = {}) {
    std::string why;
    client = *store::redis_client::create(io.executor(), store::redis_options{redis.url()}, why);
    client->start();
    po.accounts["dev@example.com"] = "right";
    po.accounts["other@example.com"] = "right";
    s = std::make_unique<testing::sandbox_server>(
        how.sandbox, testing::fixture_dataset(),
        [&](testing::sandbox_server& srv) {
          portal = std::make_unique<developer_portal>(srv.sandbox->keys(), po, srv.time);
          portal->share_sessions(
              std::make_shared<redis_portal_sessions>(client, po.session, po.max_sessions, &shared_time));
          portal->share_login_limiter(server::make_limiter(client, "portal_login", po.login_limit));
          portal->share_keys(keys);
          portal->install(*srv.server.routes);
        },
        [&](sandbox_service& sandbox) {
          keys = std::make_shared<redis_keys>(client, sandbox.keys(), how.keys);
          sandbox.share_keys(keys);
          if (how.throttle) sandbox.share_throttle(server::make_limiter(client, "sandbox", *how.sandbox.throttle));
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
  /// A new key from 127.0.0.1: its id and key text; throws when refused.
  std::pair<std::string, std::string> create(std::string const& cookie, std::string const& name = "bot") {
    auto const r = post("/api/apikey/create", R"({"name":")" + name + R"(","cidrRanges":["127.0.0.1"]})", cookie);
    if (r.result_int() != 200) throw std::runtime_error("create refused: " + r.body());
    auto const k = json::parse(r.body()).at("key");
    return {std::string{k.at("id").as_string()}, std::string{k.at("key").as_string()}};
  }
  unsigned use(std::string const& key) { return s->get("/v1/players/%232PP", key).result_int(); }

  std::shared_ptr<store::redis_client> client;
  std::shared_ptr<redis_keys> keys;
  std::unique_ptr<developer_portal> portal;
  std::unique_ptr<testing::sandbox_server> s;
};

struct SharedPortal : ::testing::Test {
  void start(portal_options po = {}, sharing how = {}) {
    a = std::make_unique<node>(io, redis, po, time, how);
    b = std::make_unique<node>(io, redis, po, time, how);
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
  auto const ttl =
      std::atoll(redis
                     .ask("PTTL overworld:portal:account:" +
                          std::string{json::parse(a->login("right").body()).at("developer").at("id").as_string()})
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

TEST_F(SharedPortal, AKeyCreatedOnOneNodeIsAcceptedOnAnotherAtOnce) {
  start();
  auto const session = a->session();
  auto const [id, key] = b->create(session);
  EXPECT_EQ(a->use(key), 200);  // unknown to a's copy: looked up once in Redis, then known
  EXPECT_EQ(a->keys->lookups(), 1u);
  EXPECT_EQ(a->use(key), 200);
  EXPECT_EQ(a->keys->lookups(), 1u);  // the hot path asks Redis no more
  EXPECT_EQ(b->use(key), 200);
  EXPECT_EQ(b->keys->lookups(), 0u);  // the node that made it knows it
  auto const listed = json::parse(a->post("/api/apikey/list", "{}", session).body()).at("keys").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("id").as_string(), id);
  EXPECT_EQ(listed[0].at("key").as_string(), key);
  EXPECT_EQ(listed[0].at("cidrRanges").at(0), "127.0.0.1");

  // Revoked on a: refused there at once; on b once its copy is refreshed (sandbox.key_refresh).
  EXPECT_EQ(a->post("/api/apikey/revoke", R"({"id":")" + id + R"("})", session).result_int(), 200);
  EXPECT_EQ(a->use(key), 403);
  EXPECT_EQ(b->use(key), 200);
  ASSERT_TRUE(io.wait(b->keys->refresh()));
  EXPECT_EQ(b->use(key), 403);
  EXPECT_EQ(b->post("/api/apikey/revoke", R"({"id":")" + id + R"("})", session).result_int(), 404);
  EXPECT_EQ(a->use("test-key"), 200);  // configured keys stay
}

TEST_F(SharedPortal, ARevocationReachesEveryNodeWithinTheRefreshInterval) {
  sharing how;
  how.keys.refresh = 50ms;
  start({}, how);
  a->keys->start(io.executor());
  b->keys->start(io.executor());
  auto const session = a->session();
  auto const made = a->create(session);
  auto const& id = made.first;
  auto const& key = made.second;  // a named reference: clang 14 cannot capture a structured binding
  ASSERT_TRUE(eventually([&] { return b->s->sandbox->keys().find(key).has_value(); }));  // by a refresh
  EXPECT_EQ(b->keys->lookups(), 0u);
  EXPECT_EQ(b->use(key), 200);
  EXPECT_EQ(a->post("/api/apikey/revoke", R"({"id":")" + id + R"("})", session).result_int(), 200);
  EXPECT_TRUE(eventually([&] { return b->use(key) == 403; }));
  a->keys->stop();
  b->keys->stop();
}

TEST_F(SharedPortal, TheKeyCapHoldsAcrossNodes) {
  portal_options po;
  po.max_keys = 5;
  start(po);
  auto const session = a->session();
  std::atomic<int> made{0}, refused{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        auto const r =
            (i % 2 ? a : b)
                ->post("/api/apikey/create",
                       R"({"name":"k)" + std::to_string(t * 10 + i) + R"(","cidrRanges":["127.0.0.1"]})", session);
        if (r.result_int() == 200) {
          ++made;
        } else if (r.result_int() == 400 && r.body().find("Maximum number of keys reached") != std::string::npos) {
          ++refused;
        }
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(made.load(), 5);
  EXPECT_EQ(refused.load(), 11);
  EXPECT_EQ(json::parse(b->post("/api/apikey/list", "{}", session).body()).at("keys").as_array().size(), 5u);
  // Another developer has a cap of its own.
  EXPECT_NO_THROW(b->create(b->session("other@example.com")));
}

TEST_F(SharedPortal, UnknownKeysAreLookedUpAFewTimesPerRefreshAtMost) {
  sharing how;
  how.keys.max_lookups = 5;
  start({}, how);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(a->use("random-" + std::to_string(i)), 403);
  EXPECT_EQ(a->keys->lookups(), 5u);  // the rest refused without asking Redis
  EXPECT_EQ(a->keys->lookups_refused(), 45u);
  metrics_registry metrics;
  a->keys->expose(metrics);
  EXPECT_NE(metrics.render().find("overworld_sandbox_key_lookups_refused_total 45"), std::string::npos)
      << metrics.render();
  auto const [id, key] = b->create(a->session());
  EXPECT_EQ(a->use(key), 403);  // lookups spent: known at the next refresh
  ASSERT_TRUE(io.wait(a->keys->refresh()));
  EXPECT_EQ(a->use(key), 200);
  EXPECT_EQ(a->keys->lookups(), 5u);  // by the refresh, not a lookup
  EXPECT_EQ(a->use("random-0"), 403);
  EXPECT_EQ(a->use("random-0"), 403);
  EXPECT_EQ(a->keys->lookups(), 6u);  // once per refresh
}

TEST_F(SharedPortal, WithRedisGoneKnownKeysKeepWorkingAndNewOnesAre503) {
  start();
  auto const session = a->session();
  auto const [id, key] = a->create(session);
  EXPECT_EQ(b->use(key), 200);
  redis.stop();
  ASSERT_TRUE(eventually([&] { return !a->client->connected() && !b->client->connected(); }));
  EXPECT_FALSE(io.wait(b->keys->refresh()));
  EXPECT_EQ(a->use(key), 200);  // from each node's copy
  EXPECT_EQ(b->use(key), 200);
  auto const unknown = b->s->get("/v1/players/%232PP", "made-elsewhere");
  EXPECT_EQ(unknown.result_int(), 503);
  EXPECT_EQ(std::string{unknown[boost::beast::http::field::retry_after]}, "5");
  EXPECT_EQ(json::parse(unknown.body()).at("reason"), "serviceUnavailable");
  EXPECT_EQ(b->post("/api/apikey/create", R"({"name":"x","cidrRanges":["127.0.0.1"]})", session).result_int(), 503);
}

TEST_F(SharedPortal, TheThrottleHoldsAcrossNodesAndIsClosedWithoutRedis) {
  sharing how;
  how.throttle = true;
  how.sandbox.throttle = policy::rate_limit{10, std::chrono::minutes{1}};
  start({}, how);
  int ok = 0, throttled = 0;
  for (int i = 0; i < 16; ++i) {
    auto const r = (i % 2 ? b : a)->s->get("/v1/players/%232PP");
    ok += r.result_int() == 200;
    if (r.result_int() == 429) {
      ++throttled;
      EXPECT_EQ(json::parse(r.body()).at("reason"), "requestThrottled");
    }
  }
  EXPECT_EQ(ok, 10);  // ratelimit.sandbox for both nodes together
  EXPECT_EQ(throttled, 6);
  redis.stop();
  ASSERT_TRUE(eventually([&] { return !a->client->connected(); }));
  EXPECT_EQ(a->s->get("/v1/players/%232PP").result_int(), 503);  // never unthrottled
}

}  // namespace
}  // namespace overworld::sandbox
