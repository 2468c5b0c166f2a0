#include <overworld/policy/rate_limiter.hpp>

#include <gtest/gtest.h>

#include <atomic>
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

}  // namespace
}  // namespace overworld::policy
