// Pacing per URL on a manual clock: the interval after a success, the back-off after failures in
// a row (the server's Retry-After when longer), and the bound on what it remembers.
#include <overworld/sdk/pacer.hpp>

#include <gtest/gtest.h>

namespace overworld::sdk {
namespace {

using namespace std::chrono_literals;

pacer_options ceilings(bool remember) {
  pacer_options o;
  o.min_interval = 5s;
  o.remember_failures = remember;
  o.backoff = backoff_policy{.initial = 1s, .max = 8s, .multiplier = 2.0, .random = [] { return 1.0; }};
  return o;
}

TEST(Pacer, IntervalAfterASuccess) {
  manual_clock t;
  request_pacer p{ceilings(true), t};
  EXPECT_EQ(p.wait_before("u"), 0ms);
  p.succeeded("u");
  EXPECT_EQ(p.wait_before("u"), 5s);
  EXPECT_EQ(p.wait_before("other"), 0ms);
  t.advance(2s);
  EXPECT_EQ(p.wait_before("u"), 3s);
  t.advance(3s);
  EXPECT_EQ(p.wait_before("u"), 0ms);
}

TEST(Pacer, FailuresInARowBackOffFurtherUntilASuccess) {
  manual_clock t;
  request_pacer p{ceilings(true), t};
  EXPECT_EQ(p.failed("u", 1), 1s);
  EXPECT_EQ(p.failed("u", 1), 2s);  // the URL's own count, not the call's attempt
  EXPECT_EQ(p.failed("u", 1), 4s);
  EXPECT_EQ(p.failed("u", 1), 8s);
  EXPECT_EQ(p.failed("u", 1), 8s);  // capped
  EXPECT_EQ(p.wait_before("u"), 8s);
  EXPECT_EQ(p.failed("u", 1, 60s), 60s);  // Retry-After wins when longer
  p.succeeded("u");
  EXPECT_EQ(p.failed("u", 1), 1s);
}

TEST(Pacer, WithoutMemoryTheCallsAttemptCounts) {
  manual_clock t;
  auto o = ceilings(false);
  o.min_interval = 0s;
  request_pacer p{o, t};
  EXPECT_FALSE(p.tracking());
  EXPECT_EQ(p.failed("u", 1), 1s);
  EXPECT_EQ(p.failed("u", 3), 4s);
  EXPECT_EQ(p.wait_before("u"), 0ms);  // nothing held back across calls
}

TEST(Pacer, RemembersABoundedNumberOfUrls) {
  manual_clock t;
  auto o = ceilings(true);
  o.max_urls = 3;
  request_pacer p{o, t};
  for (int i = 0; i < 10; ++i) p.failed("u" + std::to_string(i), 1);
  int held = 0;
  for (int i = 0; i < 10; ++i) held += p.wait_before("u" + std::to_string(i)) > 0ms ? 1 : 0;
  EXPECT_LE(held, 3);
  EXPECT_GT(p.wait_before("u9"), 0ms);  // the newest is kept
}

}  // namespace
}  // namespace overworld::sdk
