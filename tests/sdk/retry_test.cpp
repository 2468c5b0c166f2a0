#include <overworld/sdk/backoff.hpp>
#include <overworld/sdk/retry.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace overworld::sdk {
namespace {

using namespace std::chrono_literals;
using http::verb;

// An answer as a game's client maps it (tests/coc/errors_test.cpp checks CoC's own answers).
error answer(unsigned status, error_kind kind = error_kind::server_error) {
  error e;
  e.status = status;
  e.kind = kind;
  return e;
}

TEST(Retry, Defaults) {
  EXPECT_EQ(retry_policy{}.max_attempts, 3U);
  backoff_policy p;
  EXPECT_EQ(p.ceiling(1), 100ms);
  EXPECT_EQ(p.ceiling(2), 200ms);
  EXPECT_EQ(p.ceiling(3), 400ms);
  EXPECT_EQ(p.ceiling(6), 3200ms);
  EXPECT_EQ(p.ceiling(7), 5s);     // capped
  EXPECT_EQ(p.ceiling(1000), 5s);  // no overflow
  for (int i = 0; i < 1000; ++i) {
    auto d = p.delay(3);
    ASSERT_GE(d, 0ms);
    ASSERT_LE(d, 400ms);
  }
}

TEST(Retry, FullJitterUsesTheRandomSource) {
  std::vector<double> draws{0.0, 0.5, 0.999, 1.0, 7.0, -1.0};
  std::size_t next = 0;
  backoff_policy p;
  p.random = [&] { return draws[next++]; };
  EXPECT_EQ(p.delay(2), 0ms);
  EXPECT_EQ(p.delay(2), 100ms);
  EXPECT_EQ(p.delay(2), 199ms);
  EXPECT_EQ(p.delay(2), 200ms);
  EXPECT_EQ(p.delay(2), 200ms);  // out-of-range draws are clamped
  EXPECT_EQ(p.delay(2), 0ms);
}

TEST(Retry, WhichFailuresAreRetried) {
  EXPECT_TRUE(is_retryable(answer(500)));
  EXPECT_TRUE(is_retryable(answer(502, error_kind::gateway)));
  EXPECT_TRUE(is_retryable(answer(504, error_kind::gateway)));
  EXPECT_TRUE(is_retryable(answer(503)));  // a 503 that is not maintenance
  EXPECT_TRUE(is_retryable(error_from_transport(make_error_code(errc::timeout), "/")));
  EXPECT_TRUE(is_retryable(error_from_transport(make_error_code(boost::system::errc::connection_reset), "/")));
  EXPECT_TRUE(is_retryable(error_from_transport(make_error_code(boost::system::errc::broken_pipe), "/")));

  EXPECT_FALSE(is_retryable(answer(503, error_kind::maintenance)));
  EXPECT_FALSE(is_retryable(answer(501)));
  EXPECT_FALSE(is_retryable(answer(400, error_kind::bad_request)));
  EXPECT_FALSE(is_retryable(answer(403, error_kind::access_denied)));
  EXPECT_FALSE(is_retryable(answer(404, error_kind::not_found)));
  EXPECT_FALSE(is_retryable(answer(429, error_kind::throttled)));
  EXPECT_FALSE(is_retryable(error_from_transport(make_error_code(errc::tls_error), "/")));
  EXPECT_FALSE(is_retryable(error_from_transport(make_error_code(errc::too_large), "/")));
  EXPECT_FALSE(is_retryable(decode_error("/", "bad json")));
}

TEST(Retry, OnlyIdempotentRequests) {
  EXPECT_TRUE(is_idempotent(verb::get));
  EXPECT_TRUE(is_idempotent(verb::head));
  EXPECT_TRUE(is_idempotent(verb::put));
  EXPECT_TRUE(is_idempotent(verb::delete_));
  EXPECT_FALSE(is_idempotent(verb::post));
  EXPECT_FALSE(is_idempotent(verb::patch));
  retry_policy p;
  EXPECT_FALSE(p.allows(1, verb::post, answer(502)));  // verifytoken is never sent twice
  EXPECT_TRUE(p.allows(1, verb::get, answer(502)));
}

TEST(Retry, GivesUpAfterMaxAttempts) {
  retry_policy p;
  auto failure = answer(500);
  unsigned attempt = 1;
  while (p.allows(attempt, verb::get, failure)) ++attempt;
  EXPECT_EQ(attempt, 3U);  // three tries in all
  p.max_attempts = 1;
  EXPECT_FALSE(p.allows(1, verb::get, failure));
  backoff_policy b{.initial = 1s, .max = 3s, .multiplier = 2.0, .random = [] { return 1.0; }};
  EXPECT_EQ(b.delay(5), 3s);
}

}  // namespace
}  // namespace overworld::sdk
