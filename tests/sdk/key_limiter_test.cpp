#include <overworld/sdk/key_limiter.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace overworld::sdk {
namespace {

using namespace std::chrono_literals;

key_limiter_options opts(double rate, unsigned burst) {
  key_limiter_options o;
  o.rate = rate;
  o.burst = burst;
  o.backoff_base = 2s;
  o.backoff_max = 60s;
  return o;
}

TEST(KeyLimiter, BurstThenSteadyRate) {
  manual_clock t;
  key_limiter l{{"k1"}, opts(10, 3), t};
  for (int i = 0; i < 3; ++i) {
    auto g = l.acquire();
    ASSERT_TRUE(g) << i;
    EXPECT_EQ(g.key, "k1");
    EXPECT_EQ(*g.index, 0U);
  }
  auto g = l.acquire();
  EXPECT_FALSE(g);
  EXPECT_EQ(g.key, "");
  EXPECT_EQ(g.wait, 100ms);  // one token every 100 ms at 10/s
  t.advance(99ms);
  EXPECT_EQ(l.acquire().wait, 1ms);
  t.advance(1ms);
  EXPECT_TRUE(l.acquire());
  EXPECT_FALSE(l.acquire());
  // A rested key has its burst again, never more.
  t.advance(10s);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(l.acquire());
  EXPECT_FALSE(l.acquire());
  EXPECT_EQ(l.states()[0].granted, 7U);
}

TEST(KeyLimiter, KeysTakeTurns) {
  manual_clock t;
  key_limiter l{{"a", "b", "c"}, opts(1, 5), t};
  std::vector<std::string> order;
  for (int i = 0; i < 6; ++i) order.push_back(l.acquire().key);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "a", "b", "c"}));
  // Total throughput is the sum of the keys': 3 keys x burst 5.
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(l.acquire()) << i;
  auto g = l.acquire();
  EXPECT_FALSE(g);
  EXPECT_EQ(g.wait, 1s);
}

TEST(KeyLimiter, SkipsAnEmptyKey) {
  manual_clock t;
  key_limiter l{{"a", "b"}, opts(1, 1), t};
  EXPECT_EQ(l.acquire().key, "a");
  EXPECT_EQ(l.acquire().key, "b");
  EXPECT_FALSE(l.acquire());
  t.advance(1s);
  EXPECT_EQ(l.acquire().key, "a");
  EXPECT_EQ(l.acquire().key, "b");
}

TEST(KeyLimiter, ThrottledKeyIsParkedWhileOthersWork) {
  manual_clock t;
  key_limiter l{{"a", "b"}, opts(100, 10), t};
  l.report_throttled("a");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(l.acquire().key, "b") << i;
  auto g = l.acquire();
  EXPECT_FALSE(g);
  EXPECT_EQ(g.wait, 10ms);  // b's next token comes before a's park (2 s) ends
  EXPECT_EQ(l.states()[0].parked_for, 2s);
  EXPECT_EQ(l.states()[0].throttled, 1U);

  t.advance(2s);
  // a resumes at its steady rate: one request now, not its whole burst.
  std::map<std::string, int> used;
  for (int i = 0; i < 12; ++i) {
    auto next = l.acquire();
    if (next) ++used[next.key];
  }
  EXPECT_EQ(used["a"], 1);
  EXPECT_EQ(used["b"], 10);
}

TEST(KeyLimiter, ExponentialBackoffAndReset) {
  manual_clock t;
  key_limiter l{{"a"}, opts(1000, 1), t};
  std::vector<std::chrono::nanoseconds> parks;
  for (int i = 0; i < 7; ++i) {
    l.report_throttled("a");
    parks.push_back(l.states()[0].parked_for);
    auto g = l.acquire();
    EXPECT_FALSE(g);
    EXPECT_EQ(g.wait, parks.back());
    t.advance(parks.back());
  }
  EXPECT_EQ(parks, (std::vector<std::chrono::nanoseconds>{2s, 4s, 8s, 16s, 32s, 60s, 60s}));
  EXPECT_EQ(l.states()[0].strikes, 7U);
  l.report_success("a");
  EXPECT_EQ(l.states()[0].strikes, 0U);
  l.report_throttled("a");
  EXPECT_EQ(l.states()[0].parked_for, 2s);
}

TEST(KeyLimiter, RetryAfterWins) {
  manual_clock t;
  key_limiter l{{"a", "b"}, opts(1000, 1), t};
  l.report_throttled("a", 45s);
  l.report_throttled("b", 500ms);
  EXPECT_EQ(l.states()[0].parked_for, 45s);
  EXPECT_EQ(l.states()[1].parked_for, 500ms);
  auto g = l.acquire();
  EXPECT_FALSE(g);
  EXPECT_EQ(g.wait, 500ms);
  t.advance(500ms);
  EXPECT_EQ(l.acquire().key, "b");
  // A shorter Retry-After does not cut an existing park short.
  l.report_throttled("a", 1s);
  EXPECT_EQ(l.states()[0].parked_for, 44500ms);
  l.report_throttled("unknown-key");  // ignored
}

TEST(KeyLimiter, AllParked) {
  manual_clock t;
  key_limiter l{{"a", "b", "c"}, opts(10, 2), t};
  l.report_throttled("a", 30s);
  l.report_throttled("b", 10s);
  l.report_throttled("c", 20s);
  auto g = l.acquire();
  EXPECT_FALSE(g);
  EXPECT_EQ(g.wait, 10s);
  t.advance(10s);
  EXPECT_EQ(l.acquire().key, "b");
}

TEST(KeyLimiter, ReplaceKeysKeepsKnownState) {
  manual_clock t;
  key_limiter l{{"a", "b"}, opts(1, 1), t};
  l.report_throttled("a", 30s);
  EXPECT_EQ(l.acquire().key, "b");
  l.replace_keys({"c", "a", "a", ""});
  EXPECT_EQ(l.keys(), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(l.states()[1].parked_for, 30s);  // a is still parked
  EXPECT_EQ(l.acquire().key, "c");
  EXPECT_FALSE(l.acquire());
}

TEST(KeyLimiter, WithoutKeysGrantsNothingUntilGivenSome) {
  manual_clock t;
  key_limiter l{{"", ""}, opts(1, 1), t};
  EXPECT_TRUE(l.keys().empty());
  auto g = l.acquire();
  EXPECT_FALSE(g);
  EXPECT_EQ(g.wait, std::chrono::nanoseconds::max());
  l.replace_keys({"k"});
  EXPECT_EQ(l.acquire().key, "k");
}

TEST(KeyLimiter, ConfigurationErrors) {
  EXPECT_THROW(key_limiter({"a"}, opts(0, 1)), std::invalid_argument);
  EXPECT_THROW(key_limiter({"a"}, opts(-3, 1)), std::invalid_argument);
  key_limiter l{{"a"}, opts(1, 0)};  // burst 0 means 1
  EXPECT_EQ(l.options().burst, 1U);
  EXPECT_THROW(l.replace_keys({}), std::invalid_argument);
}

TEST(KeyLimiter, SixtyFourThreads) {
  manual_clock t;
  key_limiter l{{"a", "b", "c", "d"}, opts(100, 50), t};
  constexpr int threads = 64;
  constexpr int per_thread = 200;
  std::atomic<int> granted{0};
  std::atomic<int> refused{0};
  std::mutex seen_mutex;
  std::map<std::string, int> seen;
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      std::map<std::string, int> mine;
      for (int n = 0; n < per_thread; ++n) {
        auto g = l.acquire();
        if (g) {
          ++granted;
          ++mine[g.key];
          if (n % 50 == 0) l.report_success(g.key);
        } else {
          ++refused;
          EXPECT_GT(g.wait.count(), 0);
        }
        if (i == 0 && n % 20 == 0) t.advance(100ms);  // 10 tokens per key each time
        if (i == 1 && n == 100) l.report_throttled("d", 1h);
        if (i == 2 && n % 40 == 0) (void)l.states();
      }
      std::lock_guard lock{seen_mutex};
      for (auto const& [k, v] : mine) seen[k] += v;
    });
  }
  go = true;
  for (auto& th : pool) th.join();
  EXPECT_EQ(granted + refused, threads * per_thread);
  // Never more than the buckets allow: the burst plus what 1 s (10 x 100 ms) refills, per key.
  for (auto const& [k, v] : seen) EXPECT_LE(v, 50 + 100) << k;
  std::uint64_t total = 0;
  for (auto const& s : l.states()) total += s.granted;
  EXPECT_EQ(total, static_cast<std::uint64_t>(granted.load()));
  EXPECT_GT(granted.load(), 200);
}

}  // namespace
}  // namespace overworld::sdk
