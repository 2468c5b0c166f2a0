// The rate limiter shared through Redis against the in-process one it must equal: the same
// decisions, step for step, on one clock; exact across two nodes; refusing (never allowing) when
// Redis is gone, over the wire as 503 + Retry-After in the API's body; resuming by itself with the
// counts it had.
#include "http/server/support.hpp"
#include "support/io_thread.hpp"
#include "support/redis.hpp"

#include <overworld/server/common/limiter.hpp>
#include <overworld/server/common/rate_limit.hpp>
#include <overworld/store/redis.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <set>

namespace overworld::server {
namespace {

using namespace std::chrono_literals;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;

class SharedLimiter : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    for (auto* c : {&node_a, &node_b}) {
      *c = *store::redis_client::create(io.executor(), store::redis_options{server.url()}, why);
      (*c)->start();
      ASSERT_TRUE(eventually([&] { return (*c)->connected(); }));
    }
  }
  void TearDown() override {
    node_a->stop();
    node_b->stop();
  }
  result<policy::decision> check(limiter& l, std::string key) { return io.wait(l.check(std::move(key))); }

  redis_server server;
  io_thread io;
  manual_clock time;
  std::shared_ptr<store::redis_client> node_a, node_b;  // two nodes' connections
};

TEST_F(SharedLimiter, DecidesExactlyAsTheInProcessLimiterStepByStep) {
  policy::rate_limit l{3, 10s};
  l.block_after = 2;
  l.block_base = 20s;
  l.block_max = 50s;
  l.forget_after = 120s;
  time.advance(1000s);  // a steady clock far from its zero, as a real one is
  policy::sliding_window_limiter local{l, time};
  redis_limiter shared{node_a, "same", l, &time};
  // Bursts, waits inside and past the window, blocks that grow (20 s, 40 s, 50 s at the cap) and
  // are forgiven after forget_after.
  std::vector<std::chrono::milliseconds> const steps{0ms, 0ms,  1s,  0ms, 2s,  0ms, 9s,  20s, 0ms, 0ms,
                                                     0ms, 0ms,  0ms, 40s, 0ms, 0ms, 0ms, 0ms, 0ms, 50s,
                                                     1s,  130s, 0ms, 0ms, 0ms, 0ms, 3s,  7s,  0ms, 0ms};
  std::set<std::int64_t> blocks;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    time.advance(steps[i]);
    auto const want = local.check("203.0.113.9");
    if (want.blocked) blocks.insert(want.retry_after.count());
    auto const got = check(shared, "203.0.113.9");
    ASSERT_TRUE(got) << i;
    EXPECT_EQ(got->allowed, want.allowed) << "step " << i;
    EXPECT_EQ(got->blocked, want.blocked) << "step " << i;
    EXPECT_EQ(got->remaining, want.remaining) << "step " << i;
    EXPECT_EQ(got->retry_after, want.retry_after) << "step " << i;
  }
  for (std::int64_t block : {20'000, 40'000, 50'000}) EXPECT_TRUE(blocks.count(block)) << block;  // growing, capped
}

TEST_F(SharedLimiter, TwoNodesTogetherAllowExactlyTheLimit) {
  policy::rate_limit l{10, 60s};
  redis_limiter a{node_a, "ttcc", l, &time};
  redis_limiter b{node_b, "ttcc", l, &time};
  int allowed = 0;
  std::int64_t retry = 0;
  for (int i = 0; i < 40; ++i) {
    auto d = check(i % 2 ? b : a, "198.51.100.7");
    ASSERT_TRUE(d);
    if (d->allowed)
      ++allowed;
    else
      retry = retry_after_seconds(*d);
    time.advance(1s);
  }
  EXPECT_EQ(allowed, 10);
  EXPECT_EQ(retry, 21);  // the last refusal was at t=39; the first hit (t=0) leaves the window at t=60
  time.advance(20s);     // t=60: the first hits have left the window
  auto d = check(b, "198.51.100.7");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  auto other = check(a, "198.51.100.8");  // another client has a window of its own
  ASSERT_TRUE(other);
  EXPECT_EQ(other->remaining, 9u);
}

/// A route of group "ttcc" behind the shared limiter, as main wires it.
struct limited_server {
  explicit limited_server(std::shared_ptr<limiter> l) {
    http::route_options o;
    o.group = "ttcc";
    s.routes->get("/api/v1/districts.js",
                  http::sync_handler{[](http::request const&) { return http::response::text(200, "ok"); }}, o);
    add_rate_limit(*s.routes, "ttcc", std::move(l), ttcc_refusal);
    s.start();
  }
  unsigned get(boost::json::object* body = nullptr, std::string* retry_after = nullptr) {
    http::testing::raw_connection c{s.port()};
    c.send(http::testing::get_request("/api/v1/districts.js"));
    auto r = c.read();
    if (!r) return 0;
    if (body && r->result_int() != 200) *body = boost::json::parse(r->body()).as_object();
    if (retry_after) *retry_after = std::string{(*r)[http::testing::bhttp::field::retry_after]};
    return r->result_int();
  }
  http::testing::running_server s;
};

TEST_F(SharedLimiter, RedisGoneRefusesWith503ThenResumesWithTheCountsItHad) {
  policy::rate_limit l{10, 60s};
  limited_server web{std::make_shared<redis_limiter>(node_a, "ttcc", l, &time)};
  for (int i = 0; i < 10; ++i) ASSERT_EQ(web.get(), 200u) << i;
  boost::json::object body;
  std::string retry;
  EXPECT_EQ(web.get(&body, &retry), 429u);
  EXPECT_EQ(retry, "60");

  EXPECT_EQ(server.ask("SAVE"), "+OK");  // a Redis that keeps its data (RDB) across the restart
  server.stop();
  ASSERT_TRUE(eventually([&] { return !node_a->connected(); }));
  EXPECT_EQ(web.get(&body, &retry), 503u);  // fail closed: never unlimited
  EXPECT_EQ(retry, std::to_string(unavailable_retry_after));
  EXPECT_EQ(body.at("status"), false);
  EXPECT_EQ(body.at("reason"), 503);
  EXPECT_EQ(body.at("token"), "");

  server.start();
  ASSERT_TRUE(eventually([&] { return node_a->connected(); }));
  EXPECT_EQ(web.get(), 429u);  // back, and the window was not reset to open
  time.advance(60s);
  EXPECT_EQ(web.get(), 200u);
}

TEST_F(SharedLimiter, ARedisThatLostItsDataStartsWindowsAfresh) {
  policy::rate_limit l{2, 60s};
  redis_limiter a{node_a, "ttcc", l, &time};
  EXPECT_TRUE(check(a, "k")->allowed);
  EXPECT_TRUE(check(a, "k")->allowed);
  EXPECT_FALSE(check(a, "k")->allowed);
  server.stop();  // no RDB, no AOF: what Redis held is gone
  EXPECT_EQ(check(a, "k").error(), errc::unavailable);
  server.start();
  ASSERT_TRUE(eventually([&] { return node_a->connected(); }));
  EXPECT_TRUE(check(a, "k")->allowed);  // documented in docs/deploy.md, "Redis"
}

TEST(LocalLimiter, TheFilterOfAnInProcessLimiterAnswers429InTheTtccBody) {
  manual_clock time;
  limited_server web{make_limiter(nullptr, "ttcc", policy::rate_limit{1, 60s}, time)};
  EXPECT_EQ(web.get(), 200u);
  boost::json::object body;
  std::string retry;
  EXPECT_EQ(web.get(&body, &retry), 429u);
  EXPECT_EQ(retry, "60");
  EXPECT_EQ(body.at("reason"), 429);
  EXPECT_EQ(body.at("friendlyreason"), "You are being rate limited. Try again in 60 seconds.");
}

}  // namespace
}  // namespace overworld::server
