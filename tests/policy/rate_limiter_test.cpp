#include <overworld/policy/rate_limiter.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace overworld::policy {
namespace {

using namespace std::chrono_literals;

TEST(SlidingWindow, ExactlyTenPerSixtySeconds) {
  manual_clock t;
  sliding_window_limiter l{rate_limit{10, 60s}, t};
  for (int i = 0; i < 10; ++i) {
    auto d = l.check("1.2.3.4");
    EXPECT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, static_cast<std::size_t>(9 - i));
    t.advance(1s);
  }
  // 10 requests at t=0..9 s: the 11th is refused until the first leaves the window at t=60 s.
  auto d = l.check("1.2.3.4");
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.blocked);
  EXPECT_EQ(d.retry_after, 50s);
  t.advance(50s - 1ms);  // t = 59.999 s
  EXPECT_FALSE(l.check("1.2.3.4").allowed);
  t.advance(1ms);  // t = 60 s: exactly one slot frees
  EXPECT_TRUE(l.check("1.2.3.4").allowed);
  EXPECT_FALSE(l.check("1.2.3.4").allowed);
  // Other clients are not affected.
  EXPECT_TRUE(l.check("5.6.7.8").allowed);
}

TEST(SlidingWindow, RejectedRequestsDoNotFillTheWindow) {
  manual_clock t;
  sliding_window_limiter l{rate_limit{2, 10s}, t};
  EXPECT_TRUE(l.check("k").allowed);
  EXPECT_TRUE(l.check("k").allowed);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(l.check("k").allowed);
  t.advance(10s);
  EXPECT_TRUE(l.check("k").allowed);
}

TEST(SlidingWindow, GrowingBlocks) {
  manual_clock t;
  rate_limit r{1, 10s};
  r.block_after = 3;
  r.block_base = 30s;
  r.block_max = 100s;
  sliding_window_limiter l{r, t};
  EXPECT_TRUE(l.check("c").allowed);
  EXPECT_FALSE(l.check("c").blocked);
  EXPECT_FALSE(l.check("c").blocked);
  auto d = l.check("c");  // third rejection in the window: blocked 30 s
  EXPECT_TRUE(d.blocked);
  EXPECT_EQ(d.retry_after, 30s);
  t.advance(29s);
  EXPECT_TRUE(l.check("c").blocked);
  t.advance(1s);
  EXPECT_TRUE(l.check("c").allowed);
  l.check("c");
  l.check("c");
  d = l.check("c");  // second block doubles
  EXPECT_TRUE(d.blocked);
  EXPECT_EQ(d.retry_after, 60s);
  t.advance(60s);
  EXPECT_TRUE(l.check("c").allowed);
  l.check("c");
  l.check("c");
  EXPECT_EQ(l.check("c").retry_after, 100s);  // capped at block_max
  // Forgiven after forget_after without a block.
  t.advance(100s + r.forget_after + 1s);
  EXPECT_TRUE(l.check("c").allowed);
  l.check("c");
  l.check("c");
  EXPECT_EQ(l.check("c").retry_after, 30s);
}

TEST(SlidingWindow, SweepForgetsIdleKeys) {
  manual_clock t;
  sliding_window_limiter l{rate_limit{5, 10s}, t};
  for (int i = 0; i < 100; ++i) l.check("client-" + std::to_string(i));
  EXPECT_EQ(l.tracked_keys(), 100u);
  t.advance(5s);
  l.sweep();
  EXPECT_EQ(l.tracked_keys(), 100u);
  t.advance(5s);
  l.sweep();
  EXPECT_EQ(l.tracked_keys(), 0u);
}

TEST(SlidingWindow, ExactUnderConcurrentClients) {
  manual_clock t;
  sliding_window_limiter l{rate_limit{10, 60s}, t};
  std::atomic<int> allowed_shared{0};
  std::array<std::atomic<int>, 8> allowed_own{};
  std::vector<std::thread> threads;
  for (int th = 0; th < 8; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < 1000; ++i) {
        if (l.check("shared").allowed) allowed_shared.fetch_add(1);
        if (l.check("own-" + std::to_string(th)).allowed) allowed_own[static_cast<std::size_t>(th)].fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed_shared.load(), 10);
  for (auto const& a : allowed_own) EXPECT_EQ(a.load(), 10);
}

// A flood of new keys (random usernames, every address of an IPv6 /64) never grows the limiter
// past its cap: ten times the cap in distinct keys leaves at most the cap.
TEST(SlidingWindow, TenTimesTheCapInNewKeysStaysAtTheCap) {
  manual_clock t;
  rate_limit r{5, 300s};
  r.max_tracked = 10'000;
  sliding_window_limiter l{r, t};
  std::mt19937_64 random{42};
  for (int i = 0; i < 100'000; ++i) {
    EXPECT_TRUE(l.check(std::to_string(random())).allowed);
    if (i % 10'000 == 0) {
      EXPECT_LE(l.tracked_keys(), 10'000u);
    }
  }
  EXPECT_LE(l.tracked_keys(), 10'000u);
  EXPECT_GE(l.tracked_keys(), 9'000u);  // the cap is used, not emptied
  EXPECT_GE(l.evictions(), 90'000u);
}

// The least recently seen key goes first: a client that keeps coming back keeps its window.
TEST(SlidingWindow, AtTheCapTheLeastRecentKeyGoes) {
  manual_clock t;
  rate_limit r{2, 60s};
  r.max_tracked = 16 * 4;  // four per shard
  sliding_window_limiter l{r, t};
  EXPECT_TRUE(l.check("regular").allowed);
  EXPECT_TRUE(l.check("regular").allowed);
  for (int i = 0; i < 10'000; ++i) {
    (void)l.check("new-" + std::to_string(i));
    if (i % 2 == 0) {
      EXPECT_FALSE(l.check("regular").allowed) << i;  // still counted, never forgotten
    }
  }
}

// An attacker cannot lift their own block by flooding new keys: blocked keys are passed over.
TEST(SlidingWindow, FloodingDoesNotLiftABlock) {
  manual_clock t;
  rate_limit r{1, 60s};
  r.block_after = 2;
  r.block_base = 600s;
  r.max_tracked = 16 * 4;
  sliding_window_limiter l{r, t};
  EXPECT_TRUE(l.check("attacker").allowed);
  EXPECT_FALSE(l.check("attacker").allowed);
  EXPECT_TRUE(l.check("attacker").blocked);
  for (int i = 0; i < 10'000; ++i) (void)l.check("flood-" + std::to_string(i));
  auto const d = l.check("attacker");
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.blocked);
  EXPECT_LE(l.tracked_keys(), 64u);
}

// Idle keys are forgotten without anyone calling sweep(): the next check after sweep_every does it.
TEST(SlidingWindow, SweepsItselfOnItsClock) {
  manual_clock t;
  rate_limit r{5, 10s};
  sliding_window_limiter l{r, t};
  for (int i = 0; i < 1'000; ++i) (void)l.check("k" + std::to_string(i));
  EXPECT_EQ(l.tracked_keys(), 1'000u);
  t.advance(10s);
  // A check in each shard is enough to have it swept; 200 new keys reach every shard.
  for (int i = 0; i < 200; ++i) (void)l.check("fresh" + std::to_string(i));
  EXPECT_EQ(l.tracked_keys(), 200u);
  // A blocked key is not idle: it stays until its block is forgiven.
  rate_limit b{1, 10s};
  b.block_after = 1;
  b.block_base = 100s;
  b.forget_after = 200s;
  sliding_window_limiter blocking{b, t};
  (void)blocking.check("x");
  EXPECT_TRUE(blocking.check("x").blocked);
  t.advance(150s);
  blocking.sweep();
  EXPECT_EQ(blocking.tracked_keys(), 1u);
  t.advance(100s);
  blocking.sweep();
  EXPECT_EQ(blocking.tracked_keys(), 0u);
}

}  // namespace
}  // namespace overworld::policy
