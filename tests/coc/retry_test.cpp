#include <overworld/coc/retry.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace overworld::coc {
namespace {

using namespace std::chrono_literals;
using http::verb;

error answer(unsigned status, char const* body = "") { return error_from_response(status, body, "/v1/clans/%232PP"); }

TEST(Retry, Defaults) {
  retry_policy p;
  EXPECT_EQ(p.max_attempts, 3U);
  EXPECT_EQ(p.backoff_ceiling(1), 100ms);
  EXPECT_EQ(p.backoff_ceiling(2), 200ms);
  EXPECT_EQ(p.backoff_ceiling(3), 400ms);
  EXPECT_EQ(p.backoff_ceiling(6), 3200ms);
  EXPECT_EQ(p.backoff_ceiling(7), 5s);     // capped
  EXPECT_EQ(p.backoff_ceiling(1000), 5s);  // no overflow
  for (int i = 0; i < 1000; ++i) {
    auto d = p.backoff(3);
    ASSERT_GE(d, 0ms);
    ASSERT_LE(d, 400ms);
  }
}

TEST(Retry, FullJitterUsesTheRandomSource) {
  std::vector<double> draws{0.0, 0.5, 0.999, 1.0, 7.0, -1.0};
  std::size_t next = 0;
  retry_policy p;
  p.random = [&] { return draws[next++]; };
  EXPECT_EQ(p.backoff(2), 0ms);
  EXPECT_EQ(p.backoff(2), 100ms);
  EXPECT_EQ(p.backoff(2), 199ms);
  EXPECT_EQ(p.backoff(2), 200ms);
  EXPECT_EQ(p.backoff(2), 200ms);  // out-of-range draws are clamped
  EXPECT_EQ(p.backoff(2), 0ms);
}

TEST(Retry, WhichFailuresAreRetried) {
  EXPECT_TRUE(is_retryable(answer(500, R"({"reason":"unknownException"})")));
  EXPECT_TRUE(is_retryable(answer(502, "<html>Bad Gateway</html>")));
  EXPECT_TRUE(is_retryable(answer(504, "")));
  EXPECT_TRUE(is_retryable(answer(503, R"({"reason":"unknownException"})")));  // 503 that is not maintenance
  EXPECT_TRUE(is_retryable(error_from_transport(make_error_code(errc::timeout), "/")));
  EXPECT_TRUE(is_retryable(error_from_transport(make_error_code(boost::system::errc::connection_reset), "/")));
  EXPECT_TRUE(is_retryable(error_from_transport(make_error_code(boost::system::errc::broken_pipe), "/")));

  EXPECT_FALSE(is_retryable(answer(503, R"({"reason":"inMaintenance"})")));
  EXPECT_FALSE(is_retryable(answer(503, "<html>maintenance</html>")));
  EXPECT_FALSE(is_retryable(answer(501, "")));
  EXPECT_FALSE(is_retryable(answer(400, R"({"reason":"badRequest"})")));
  EXPECT_FALSE(is_retryable(answer(403, R"({"reason":"accessDenied"})")));
  EXPECT_FALSE(is_retryable(answer(404, R"({"reason":"notFound"})")));
  EXPECT_FALSE(is_retryable(answer(429, R"({"reason":"requestThrottled"})")));
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
  p.random = [] { return 0.5; };
  EXPECT_FALSE(p.next_delay(1, verb::post, answer(502)));  // verifytoken is never sent twice
  EXPECT_EQ(p.next_delay(1, verb::get, answer(502)), 50ms);
}

TEST(Retry, GivesUpAfterMaxAttempts) {
  retry_policy p;
  p.random = [] { return 1.0; };
  auto failure = answer(500, R"({"reason":"unknownException"})");
  std::vector<std::chrono::milliseconds> delays;
  unsigned attempt = 1;
  while (auto d = p.next_delay(attempt, verb::get, failure)) {
    delays.push_back(*d);
    ++attempt;
  }
  EXPECT_EQ(attempt, 3U);  // three tries in all
  EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{100ms, 200ms}));

  p.max_attempts = 1;
  EXPECT_FALSE(p.next_delay(1, verb::get, failure));
  p.max_attempts = 10;
  p.initial_backoff = 1s;
  p.max_backoff = 3s;
  EXPECT_EQ(p.next_delay(5, verb::get, failure), 3s);
}

TEST(Retry, RetryAfterIsAFloor) {
  retry_policy p;
  p.random = [] { return 0.0; };
  auto e = error_from_response(503, R"({"reason":"unknownException"})", "/", std::string_view{"2"});
  EXPECT_EQ(p.next_delay(1, verb::get, e), 2s);
}

}  // namespace
}  // namespace overworld::coc
