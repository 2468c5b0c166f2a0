// Two launcher nodes sharing one Redis (and one accounts store): a game token issued by one is
// redeemed once on the other, never twice, never after its lifetime; the per-account login limit
// holds across both; a partial TTR login started on one finishes on the other, its wrong codes
// counted across both; with Redis gone logins, codes and redemptions answer 503, never unlimited.
#include "support.hpp"
#include "support/io_thread.hpp"
#include "support/redis.hpp"

#include <overworld/server/common/limiter.hpp>
#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/game_tokens.hpp>
#include <overworld/store/redis.hpp>

#include <cstdlib>

namespace overworld::launcher {
namespace {

using namespace std::chrono_literals;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;

/// One node: its own Redis connection, service and listener, on the shared store. With
/// `share_logins` false its per-account limit stays in the process (the tokens are still shared).
struct node {
  node(io_thread& io, redis_server& redis, std::shared_ptr<store::launcher_store> db, launcher_options opts,
       bool share_logins = true) {
    std::string why;
    client = *store::redis_client::create(io.executor(), store::redis_options{redis.url()}, why);
    client->start();
    service = std::make_unique<launcher_service>(opts, std::move(db));
    if (share_logins) service->share_login_limiter(server::make_limiter(client, "login", opts.per_account));
    service->share_game_tokens(std::make_shared<redis_game_tokens>(client, "game", opts.token_lifetime));
    service->share_two_step_tokens(std::make_shared<redis_game_tokens>(client, "two_step", opts.two_step_lifetime));
    service->install(*web.routes);
    web.start();
  }
  ~node() { client->stop(); }
  boost::json::object post(std::string const& target, std::string const& body, unsigned& status,
                           std::string* retry_after = nullptr, std::string const& extra = {},
                           std::string const& type = "application/json") {
    http::testing::raw_connection c{web.port()};
    c.send("POST " + target + " HTTP/1.1\r\nHost: h\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body);
    auto r = c.read();
    if (!r) return {};
    status = r->result_int();
    if (retry_after) *retry_after = std::string{(*r)[http::testing::bhttp::field::retry_after]};
    return boost::json::parse(r->body()).as_object();
  }
  boost::json::object login(std::string const& password, unsigned& status, std::string* retry_after = nullptr) {
    return post("/api/v1/login/", R"({"username":"Flippy","password":")" + password + R"("})", status, retry_after);
  }
  /// TTR's login (a form, ?format=json).
  boost::json::object ttr(std::string const& form, unsigned& status, std::string* retry_after = nullptr) {
    return post("/api/login?format=json", form, status, retry_after, {}, "application/x-www-form-urlencoded");
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
  launcher_options opts;
  std::unique_ptr<node> a, b;

  /// Turns two-step on for Flippy and starts a partial TTR login on `n`: its responseToken.
  std::string partial_login(node& n) {
    EXPECT_TRUE(set_two_step(*db, test_support::fast(), "Flippy", "tulip-4242"));
    unsigned status = 0;
    auto r = n.ttr("username=Flippy&password=correct+horse", status);
    EXPECT_EQ(status, 200u);
    EXPECT_EQ(r["success"], "partial") << r;
    auto const* token = r.if_contains("responseToken");
    return token && token->is_string() ? std::string{token->as_string()} : std::string{};
  }
  /// The responseTokens Redis holds.
  std::string two_step_keys() {
    return redis.ask(R"lua(EVAL "return #redis.call('KEYS', ARGV[1])" 0 overworld:token:two_step:*)lua");
  }
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

TEST_F(SharedLauncher, APartialTtrLoginStartedOnOneNodeFinishesOnAnother) {
  std::string const token = partial_login(*a);
  ASSERT_EQ(token.size(), 64u);
  std::string const key = "overworld:token:two_step:" + token_digest(token);  // its own name: never a game token
  EXPECT_EQ(redis.ask("EXISTS " + key), ":1");
  EXPECT_EQ(redis.ask("EXISTS overworld:token:game:" + token_digest(token)), ":0");
  auto const ttl = std::atoll(redis.ask("PTTL " + key).substr(1).c_str());
  EXPECT_GT(ttl, 250'000);
  EXPECT_LE(ttl, 300'000);  // launcher.two_step_lifetime
  unsigned status = 0;
  b->redeem(token, status);
  EXPECT_EQ(status, 404u) << "a responseToken is no game token";

  auto r = b->ttr("appToken=tulip-4242&authToken=" + token, status);
  EXPECT_EQ(status, 200u);
  ASSERT_EQ(r["success"], "true") << r;
  std::string const cookie{r.at("cookie").as_string()};
  EXPECT_EQ(a->ttr("appToken=tulip-4242&authToken=" + cookie, status).at("banner"),
            "Your login has expired. Please log in again.")
      << "a game token is no responseToken";
  EXPECT_EQ(a->redeem(cookie, status).at("account").at("username"), "Flippy");

  for (auto* n : {a.get(), b.get()}) {  // used: refused everywhere
    r = n->ttr("appToken=tulip-4242&authToken=" + token, status);
    EXPECT_EQ(status, 200u);
    EXPECT_EQ(r.at("success"), "false");
    EXPECT_EQ(r.at("banner"), "Your login has expired. Please log in again.");
  }
  EXPECT_EQ(two_step_keys(), ":0");
}

TEST_F(SharedLauncher, AWrongCodeOnOneNodeGivesATokenThatWorksOnTheOther) {
  std::string const first = partial_login(*a);
  unsigned status = 0;
  auto r = b->ttr("appToken=wrong-code&authToken=" + first, status);
  ASSERT_EQ(r["success"], "partial") << r;
  EXPECT_EQ(r.at("banner"), "That code is incorrect. Please enter an authenticator token.");
  std::string const second{r.at("responseToken").as_string()};
  EXPECT_NE(second, first);
  EXPECT_EQ(a->ttr("appToken=tulip-4242&authToken=" + first, status).at("success"), "false") << "single use";
  r = a->ttr("appToken=tulip-4242&authToken=" + second, status);
  EXPECT_EQ(r["success"], "true") << r;
}

TEST_F(SharedLauncher, WrongCodesAreCountedAcrossNodes) {
  std::string token = partial_login(*a);
  unsigned status = 0;
  for (int i = 0; i < 2; ++i) {  // launcher.two_step_attempts is 3: two wrong codes, on b then a
    auto r = (i % 2 ? a : b)->ttr("appToken=wrong-code&authToken=" + token, status);
    ASSERT_EQ(r["success"], "partial") << i << r;
    token = std::string{r.at("responseToken").as_string()};
  }
  auto r = b->ttr("appToken=wrong-code&authToken=" + token, status);
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(r.at("success"), "false");
  EXPECT_EQ(r.at("banner"), "That code is incorrect. Please log in again.");
  EXPECT_FALSE(r.contains("responseToken"));
  EXPECT_EQ(two_step_keys(), ":0") << "nothing left to try again with";
  EXPECT_EQ(a->ttr("appToken=tulip-4242&authToken=" + token, status).at("success"), "false");
}

/// Nodes whose per-account limit is in the process, so that only the responseTokens need Redis.
struct SharedTwoStepOnly : SharedLauncher {
  void SetUp() override {
    SharedLauncher::SetUp();
    a = std::make_unique<node>(io, redis, db, opts, false);
    b = std::make_unique<node>(io, redis, db, opts, false);
    ASSERT_TRUE(eventually([&] { return a->client->connected() && b->client->connected(); }));
  }
};

TEST_F(SharedTwoStepOnly, WithRedisGoneTwoStepLoginsAre503ThenServiceResumes) {
  std::string const token = partial_login(*a);
  ASSERT_FALSE(token.empty());
  redis.ask("SAVE");
  redis.stop();
  ASSERT_TRUE(eventually([&] { return !a->client->connected() && !b->client->connected(); }));
  unsigned status = 0;
  std::string retry;
  auto r = b->ttr("appToken=tulip-4242&authToken=" + token, status, &retry);
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(retry, "5");
  EXPECT_EQ(boost::json::serialize(r),
            R"({"success":"false","banner":"The login service is unavailable. Try again in 5 seconds."})");
  r = a->ttr("username=Flippy&password=correct+horse", status, &retry);  // a new partial login
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(retry, "5");
  EXPECT_EQ(r.at("success"), "false");
  EXPECT_FALSE(r.contains("responseToken"));

  redis.start();
  ASSERT_TRUE(eventually([&] { return a->client->connected() && b->client->connected(); }));
  r = b->ttr("appToken=tulip-4242&authToken=" + token, status);  // not spent by the 503
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(r["success"], "true") << r;
}

}  // namespace
}  // namespace overworld::launcher
