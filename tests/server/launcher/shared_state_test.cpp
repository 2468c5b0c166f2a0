// Two launcher nodes sharing one Redis (and one accounts store): a game token issued by one is
// redeemed once on the other, never twice, never after its lifetime; the per-account login limit
// holds across both; with Redis gone logins and redemptions answer 503, never unlimited.
#include "support.hpp"
#include "support/io_thread.hpp"
#include "support/redis.hpp"

#include <overworld/server/common/limiter.hpp>
#include <overworld/server/launcher/game_tokens.hpp>
#include <overworld/store/redis.hpp>

#include <cstdlib>

namespace overworld::launcher {
namespace {

using namespace std::chrono_literals;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;

/// One node: its own Redis connection, service and listener, on the shared store.
struct node {
  node(io_thread& io, redis_server& redis, std::shared_ptr<store::launcher_store> db, launcher_options opts) {
    std::string why;
    client = *store::redis_client::create(io.executor(), store::redis_options{redis.url()}, why);
    client->start();
    service = std::make_unique<launcher_service>(opts, std::move(db));
    service->share_login_limiter(server::make_limiter(client, "login", opts.per_account));
    service->share_game_tokens(std::make_shared<redis_game_tokens>(client, "game", opts.token_lifetime));
    service->install(*web.routes);
    web.start();
  }
  ~node() { client->stop(); }
  boost::json::object post(std::string const& target, std::string const& body, unsigned& status,
                           std::string* retry_after = nullptr, std::string const& extra = {}) {
    http::testing::raw_connection c{web.port()};
    c.send("POST " + target + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body);
    auto r = c.read();
    if (!r) return {};
    status = r->result_int();
    if (retry_after) *retry_after = std::string{(*r)[http::testing::bhttp::field::retry_after]};
    return boost::json::parse(r->body()).as_object();
  }
  boost::json::object login(std::string const& password, unsigned& status, std::string* retry_after = nullptr) {
    return post("/api/v1/login/", R"({"username":"Flippy","password":")" + password + R"("})", status, retry_after);
  }
  boost::json::object redeem(std::string const& token, unsigned& status) {
    return post("/internal/v1/tokens/redeem", R"({"token":")" + token + R"("})", status, nullptr,
                "Authorization: Bearer gs-key\r\n");
  }

  std::shared_ptr<store::redis_client> client;
  std::unique_ptr<launcher_service> service;
  http::testing::running_server web;
};

struct SharedLauncher : ::testing::Test {
  void SetUp() override {
    std::string why;
    auto s = store::open_sqlite_launcher_store(dir.path() + "/launcher.sqlite", why);
    ASSERT_TRUE(s) << why;
    db = std::move(*s);
    ASSERT_TRUE(db->create_account("Flippy", hash_password("correct horse", test_support::fast()).value()));
    launcher_options opts;
    opts.passwords = test_support::fast();
    opts.game_server_key = "gs-key";
    a = std::make_unique<node>(io, redis, db, opts);
    b = std::make_unique<node>(io, redis, db, opts);
    ASSERT_TRUE(eventually([&] { return a->client->connected() && b->client->connected(); }));
  }

  overworld::testing::temp_dir dir;
  redis_server redis;
  io_thread io;
  std::shared_ptr<store::launcher_store> db;
  std::unique_ptr<node> a, b;
};

TEST_F(SharedLauncher, ATokenIssuedOnOneNodeRedeemsOnceOnAnother) {
  unsigned status = 0;
  auto r = a->login("correct horse", status);
  ASSERT_EQ(status, 200u);
  std::string const token{r.at("token").as_string()};
  EXPECT_EQ(redis.ask("EXISTS overworld:token:game:" + token), ":0");  // Redis keeps its digest only
  EXPECT_EQ(redis.ask("EXISTS overworld:token:game:" + token_digest(token)), ":1");
  auto const ttl = std::atoll(redis.ask("PTTL overworld:token:game:" + token_digest(token)).substr(1).c_str());
  EXPECT_GT(ttl, 100'000);
  EXPECT_LE(ttl, 120'000);  // launcher.token_lifetime

  auto redeemed = b->redeem(token, status);
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(redeemed.at("account").at("username"), "Flippy");
  b->redeem(token, status);
  EXPECT_EQ(status, 404u);  // never twice, on either node
  a->redeem(token, status);
  EXPECT_EQ(status, 404u);
}

TEST_F(SharedLauncher, ATokenPastItsLifetimeIsGone) {
  redis_game_tokens quick{a->client, "quick", 50ms};
  auto token = io.wait(quick.issue(token_owner{7, "Flippy"}));
  ASSERT_TRUE(token);
  ASSERT_EQ(token->size(), 64u);
  std::string const key = "overworld:token:quick:" + token_digest(*token);
  ASSERT_TRUE(eventually([&] { return redis.ask("EXISTS " + key) == ":0"; }));  // Redis expired it
  redis_game_tokens other{b->client, "quick", 50ms};
  auto late = io.wait(other.redeem(*token));
  ASSERT_TRUE(late);
  EXPECT_FALSE(*late);

  auto fresh = io.wait(quick.issue(token_owner{7, "Flippy", 2}));
  ASSERT_TRUE(fresh);
  redis_game_tokens patient{b->client, "quick", 120s};
  auto owner = io.wait(patient.redeem(*fresh));
  ASSERT_TRUE(owner);
  if (*owner) {  // redeemed within 50 ms on a loaded machine, or expired: both are right; never twice
    EXPECT_EQ((*owner)->account_id, 7);
    EXPECT_EQ((*owner)->username, "Flippy");
    EXPECT_EQ((*owner)->attempts, 2u);
  }
  EXPECT_FALSE(*io.wait(patient.redeem(*fresh)));
}

TEST_F(SharedLauncher, ThePerAccountLimitHoldsAcrossNodes) {
  unsigned status = 0;
  for (int i = 0; i < 5; ++i) {  // launcher.account_attempts, alternating nodes
    auto r = (i % 2 ? b : a)->login("wrong", status);
    ASSERT_EQ(status, 200u) << i;
    EXPECT_EQ(r.at("reason"), 1005);
  }
  std::string retry;
  auto r = b->login("correct horse", status, &retry);
  EXPECT_EQ(status, 429u);
  EXPECT_EQ(r.at("reason"), 429);
  EXPECT_FALSE(retry.empty());
}

TEST_F(SharedLauncher, WithRedisGoneLoginsAndRedemptionsAre503ThenServiceResumes) {
  unsigned status = 0;
  auto r = a->login("correct horse", status);
  ASSERT_EQ(status, 200u);
  std::string const token{r.at("token").as_string()};
  redis.ask("SAVE");
  redis.stop();
  ASSERT_TRUE(eventually([&] { return !a->client->connected() && !b->client->connected(); }));
  std::string retry;
  r = a->login("correct horse", status, &retry);
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(retry, "5");
  EXPECT_EQ(r.at("reason"), 503);
  EXPECT_EQ(r.at("token"), "");
  b->redeem(token, status);
  EXPECT_EQ(status, 503u);

  redis.start();
  ASSERT_TRUE(eventually([&] { return a->client->connected() && b->client->connected(); }));
  auto redeemed = b->redeem(token, status);  // kept by Redis across the restart
  EXPECT_EQ(status, 200u);
  r = a->login("correct horse", status);
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(r.at("reason"), 1000);
}

}  // namespace
}  // namespace overworld::launcher
