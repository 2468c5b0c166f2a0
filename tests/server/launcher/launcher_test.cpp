// The TTCC launcher API on a real server with a real SQLite file.
#include "server/launcher/support.hpp"

#include <overworld/server/launcher/launcher_service.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <future>
#include <thread>

namespace overworld::launcher {
namespace {

using namespace std::chrono_literals;
using http::testing::raw_connection;
using http::testing::running_server;
using test_support::fast;
using test_support::launcher_fixture;

TEST(Passwords, OwaspArgon2idAndRehash) {
  auto h = hash_password("pw", password_policy{});
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *h;
  EXPECT_TRUE(verify_password(*h, "pw"));
  EXPECT_FALSE(verify_password(*h, "pW"));
  EXPECT_FALSE(verify_password("garbage", "pw"));
  EXPECT_FALSE(needs_rehash(*h, password_policy{}));
  EXPECT_TRUE(needs_rehash(*h, fast()));
}

TEST(Passwords, PoolRefusesWorkBeyondItsQueue) {
  // The loop outlives the pool: the pool's last job resumes on it.
  boost::asio::io_context ioc;
  std::promise<void> release;
  auto gate = release.get_future().share();
  hashing_pool pool{1, 1};
  // Whatever an assertion does, the blocked job is let go before the pool joins its thread.
  struct releaser {
    std::promise<void>& p;
    bool done = false;
    void operator()() {
      if (!done) p.set_value();
      done = true;
    }
    ~releaser() { (*this)(); }
  } let_go{release};
  std::optional<std::optional<int>> first, second;
  std::function<int()> slow = [gate] {
    // Bounded: a broken test fails instead of hanging.
    return gate.wait_for(std::chrono::seconds{30}) == std::future_status::ready ? 1 : -1;
  };
  boost::asio::co_spawn(ioc, pool.run<int>(std::move(slow)),
                        [&](std::exception_ptr, std::optional<int> v) { first = v; });
  // Run the loop until the first job has been counted (it then waits on the pool's thread).
  for (int i = 0; i < 1000 && pool.waiting() == 0; ++i) ioc.poll_one();
  ASSERT_EQ(pool.waiting(), 1u);
  boost::asio::co_spawn(ioc, pool.run<int>([] { return 2; }),
                        [&](std::exception_ptr, std::optional<int> v) { second = v; });
  for (int i = 0; i < 1000 && !second; ++i) ioc.poll_one();
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);  // the queue was full: refused at once, nothing allocated for it
  let_go();
  ioc.restart();
  ioc.run();
  ASSERT_TRUE(first);
  EXPECT_EQ(**first, 1);
  EXPECT_EQ(pool.waiting(), 0u);
}

TEST(Passwords, PoolRunsWorkOffTheCallersThread) {
  boost::asio::io_context ioc;
  hashing_pool pool{1, 4};
  std::thread::id worker;
  std::optional<std::optional<int>> got;
  std::function<int()> work = [&worker] {
    worker = std::this_thread::get_id();
    return 7;
  };
  std::thread::id resumed;
  auto task = [&]() -> boost::asio::awaitable<void> {
    got = co_await pool.run<int>(std::move(work));
    resumed = std::this_thread::get_id();
  };
  boost::asio::co_spawn(ioc, task(), boost::asio::detached);
  ioc.run();  // returns only once the result is back: the pool keeps the loop busy meanwhile
  ASSERT_TRUE(got && *got);
  EXPECT_EQ(**got, 7);
  EXPECT_NE(worker, std::this_thread::get_id());   // hashing never runs on the io thread
  EXPECT_EQ(resumed, std::this_thread::get_id());  // and the caller resumes on its own
}

TEST_F(launcher_fixture, SuccessGivesASingleUseGameToken) {
  unsigned status = 0;
  auto r = login("Flippy", "correct horse", &status);
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(r.at("status"), true);
  EXPECT_EQ(r.at("reason"), 1000);
  std::string const token{r.at("token").as_string()};
  EXPECT_EQ(token.size(), 64u);  // 256 bits, hex
  // Key order as TTCC sends it.
  EXPECT_EQ(boost::json::serialize(r).substr(0, 40), R"({"status":true,"reason":1000,"friendlyre)");

  auto redeemed = post("/internal/v1/tokens/redeem", R"({"token":")" + token + R"("})", "application/json", &status,
                       "Authorization: Bearer gs-key\r\n");
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(redeemed.at("account").at("username"), "Flippy");
  post("/internal/v1/tokens/redeem", R"({"token":")" + token + R"("})", "application/json", &status,
       "Authorization: Bearer gs-key\r\n");
  EXPECT_EQ(status, 404u);  // single use
  post("/internal/v1/tokens/redeem", R"({"token":")" + token + R"("})", "application/json", &status,
       "Authorization: Bearer wrong\r\n");
  EXPECT_EQ(status, 401u);
}

TEST_F(launcher_fixture, TokensExpire) {
  auto const token = service->tokens().issue(token_owner{1, "Flippy"});
  time.advance(119s);
  auto const other = service->tokens().issue(token_owner{1, "Flippy"});
  EXPECT_TRUE(service->tokens().redeem(token));
  time.advance(1s);
  EXPECT_TRUE(service->tokens().redeem(other));
  auto const late = service->tokens().issue(token_owner{1, "Flippy"});
  time.advance(120s);
  EXPECT_FALSE(service->tokens().redeem(late));
  EXPECT_EQ(service->tokens().outstanding(), 0u);
}

TEST_F(launcher_fixture, UnknownUserAndWrongPasswordLookTheSame) {
  auto wrong = login("Flippy", "wrong");
  auto unknown = login("Nobody", "wrong");
  EXPECT_EQ(wrong, unknown);
  EXPECT_EQ(wrong.at("reason"), 1005);
  EXPECT_EQ(wrong.at("status"), false);
  EXPECT_EQ(wrong.at("token"), "");
}

TEST_F(launcher_fixture, EveryVerificationIsTimedInTheMetrics) {
  metrics_registry metrics;
  service->expose(metrics);
  auto const before = metrics.render();
  EXPECT_NE(before.find("overworld_launcher_hash_seconds_count 0\n"), std::string::npos) << before;
  EXPECT_EQ(login("Flippy", "correct horse").at("reason"), 1000);
  EXPECT_EQ(login("Flippy", "wrong").at("reason"), 1005);
  EXPECT_EQ(login("Nobody", "wrong").at("reason"), 1005);  // the unknown account's dummy verification counts
  unsigned status = 0;
  login("Flippy", std::string(opts.max_password + 1, 'x'), &status);  // refused before hashing
  EXPECT_EQ(status, 400u);
  auto const after = metrics.render();
  EXPECT_NE(after.find("overworld_launcher_hash_seconds_count 3\n"), std::string::npos) << after;
  EXPECT_NE(after.find("overworld_launcher_logins_busy_total 0\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("overworld_launcher_hash_seconds_sum 0\n"), std::string::npos) << after;
}

TEST_F(launcher_fixture, TerminatedBannedAndMaintenance) {
  add("Termy", "pw");
  ASSERT_TRUE(db->set_terminated("Termy", true));
  EXPECT_EQ(login("Termy", "pw").at("reason"), 1002);
  add("Pointy", "pw");
  ASSERT_TRUE(db->add_moderation_points("Pointy", 10));
  EXPECT_EQ(login("Pointy", "pw").at("reason"), 1002);
  add("Banny", "pw");
  ASSERT_TRUE(db->set_banned_until("Banny", 1'700'000'000 + 5 * 3600 - 60));
  auto banned = login("Banny", "pw");
  EXPECT_EQ(banned.at("reason"), 1003);
  EXPECT_EQ(banned.at("friendlyreason"), "This account is banned for 5 more hours.");
  time.advance(5h);
  EXPECT_EQ(login("Banny", "pw").at("reason"), 1000);  // the ban is over
  ASSERT_TRUE(db->set_maintenance(true));
  EXPECT_EQ(login("Flippy", "correct horse").at("reason"), 1004);
  EXPECT_EQ(login("Flippy", "wrong").at("reason"), 1005);  // maintenance tells nothing to a stranger
}

TEST_F(launcher_fixture, FormBodiesAndTheUsernameInThePath) {
  unsigned status = 0;
  auto r =
      post("/api/v1/login/", "username=Flippy&password=correct+horse", "application/x-www-form-urlencoded", &status);
  EXPECT_EQ(r.at("reason"), 1000);
  r = post("/api/v1/login/Flippy", "password=correct%20horse", "application/x-www-form-urlencoded", &status);
  EXPECT_EQ(r.at("reason"), 1000);
}

TEST_F(launcher_fixture, BadInputIsA4xxInTtccsShape) {
  unsigned status = 0;
  auto r = post("/api/v1/login/", R"({"username":"Flippy"})", "application/json", &status);
  EXPECT_EQ(status, 400u);
  EXPECT_EQ(r.at("status"), false);
  r = post("/api/v1/login/", R"({"username":"Flippy","password":)", "application/json", &status);
  EXPECT_EQ(status, 400u);
  r = post("/api/v1/login/", R"({"username":5,"password":"x"})", "application/json", &status);
  EXPECT_EQ(status, 400u);
  r = post("/api/v1/login/", "<xml/>", "text/xml", &status);
  EXPECT_EQ(status, 415u);
  r = post("/api/v1/login/", R"({"username":")" + std::string(65, 'a') + R"(","password":"x"})", "application/json",
           &status);
  EXPECT_EQ(status, 400u);
  r = post("/api/v1/login/", R"({"username":"a","password":")" + std::string(5000, 'p') + R"("})", "application/json",
           &status);
  EXPECT_EQ(status, 413u);
  EXPECT_EQ(r.at("reason"), 413);                                  // the HTTP layer's own errors use TTCC's body too
  EXPECT_EQ(login("Flippy", "correct horse").at("reason"), 1000);  // still serving
}

TEST_F(launcher_fixture, PerAccountLimitWithRetryAfter) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(login("Flippy", "guess").at("reason"), 1005) << i;
  unsigned status = 0;
  auto r = login("Flippy", "correct horse", &status);
  EXPECT_EQ(status, 429u);
  EXPECT_EQ(r.at("reason"), 429);
  time.advance(5min);
  EXPECT_EQ(login("Flippy", "correct horse").at("reason"), 1000);
}

TEST_F(launcher_fixture, OddUsernamesAre400AndTakeNoLimiterEntry) {
  using namespace std::string_literals;
  for (auto const& [body, type] : {std::pair{R"({"username":"a\u0000b","password":"x"})"s, "application/json"s},
                                   std::pair{R"({"username":"\ud800","password":"x"})"s, "application/json"s},
                                   std::pair{R"({"username":"tab\there","password":"x"})"s, "application/json"s},
                                   std::pair{"username=Bad%FF%FE&password=x"s, "application/x-www-form-urlencoded"s},
                                   std::pair{"username=a%C0%AF&password=x"s, "application/x-www-form-urlencoded"s},
                                   std::pair{"username=nul%00&password=x"s, "application/x-www-form-urlencoded"s}}) {
    unsigned status = 0;
    auto const r = post("/api/v1/login/", body, type, &status);
    EXPECT_EQ(status, 400u) << body;
    EXPECT_EQ(r.at("status"), false);
    EXPECT_EQ(r.at("reason"), 400);
  }
  EXPECT_EQ(service->login_limiter().tracked_keys(), 0u);
  EXPECT_EQ(login("Flippy", "correct horse").at("reason"), 1000);
}

// Logins for ten times as many names as the per-account limiter holds leave it at its cap, and the
// account being guessed stays limited.
TEST(LauncherLimits, RandomUsernamesStayWithinTheCap) {
  overworld::testing::temp_dir dir;
  manual_clock time;
  std::string why;
  auto opened = store::open_sqlite_launcher_store(dir.path() + "/l.sqlite", why);
  ASSERT_TRUE(opened) << why;
  std::shared_ptr<store::launcher_store> db = std::move(*opened);
  ASSERT_TRUE(db->create_account("victim", hash_password("right", fast()).value()));
  launcher_options o;
  o.passwords = fast();
  o.per_account.max_tracked = 32;
  launcher_service service{o, db, time};
  running_server server;
  service.install(*server.routes);
  server.start();
  auto const login = [&](std::string const& user, std::string const& pass) {
    raw_connection c{server.port()};
    std::string const body = R"({"username":")" + user + R"(","password":")" + pass + R"("})";
    c.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? r->result_int() : 0u;
  };
  for (int i = 0; i < 6; ++i) (void)login("victim", "guess");
  EXPECT_EQ(login("victim", "right"), 429u);
  for (int i = 0; i < 320; ++i) {
    EXPECT_EQ(login("user" + std::to_string(i * 7919), "x"), 200u);
    if (i % 5 == 0) {
      EXPECT_EQ(login("victim", "right"), 429u) << i;  // blocked, so never evicted
    }
  }
  EXPECT_LE(service.login_limiter().tracked_keys(), 32u);
  service.join();
}

TEST_F(launcher_fixture, HashesAreUpgradedAtLogin) {
  add("Oldie", "pw", password_policy{16384, 3});
  EXPECT_EQ(login("Oldie", "pw").at("reason"), 1000);
  auto const stored = db->find_account("Oldie").value().password_hash;
  EXPECT_FALSE(needs_rehash(stored, fast())) << stored;
  EXPECT_EQ(login("Oldie", "pw").at("reason"), 1000);
}

TEST_F(launcher_fixture, NewsAndVersion) {
  raw_connection c{server.port()};
  c.send(http::testing::get_request("/api/v1/launcher/news/"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "[]");
  auto id = db->post_news(store::news_item{0, "Corporate Clash Team", "2018-03-09 22:30:33",
                                           "There's a New Chef in Town!", "A summary", "Blog", ""});
  ASSERT_TRUE(id);
  c.send(http::testing::get_request("/api/v1/launcher/news/" + std::to_string(*id)));
  r = c.read();
  ASSERT_TRUE(r);
  auto const one = boost::json::parse(r->body()).as_array();  // an array even for one id
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].at("title"), "There's a New Chef in Town!");
  EXPECT_EQ(one[0].at("posted"), "2018-03-09 22:30:33");
  c.send(http::testing::get_request("/api/v1/launcher/news/999"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 404);
  c.send(http::testing::get_request("/api/v1/launcher/version/"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), R"({"version":"1.0.0"})");
}

}  // namespace
}  // namespace overworld::launcher
