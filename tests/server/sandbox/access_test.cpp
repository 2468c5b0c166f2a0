// Keys, IP allow-lists, throttling, maintenance and Cache-Control, as the real API answers them.
#include "support.hpp"

#include <gtest/gtest.h>

namespace overworld::sandbox {
namespace {

using namespace std::chrono_literals;
using testing::sandbox_server;
namespace bhttp = boost::beast::http;

TEST(SandboxAccess, MissingOrUnknownKeyIsAccessDenied) {
  sandbox_server s;
  for (std::string const key : {"", "wrong-key"}) {
    auto const r = s.get("/v1/players/%232PP", key);
    EXPECT_EQ(r.result_int(), 403);
    EXPECT_EQ(r.body(), R"({"reason":"accessDenied","message":"Invalid authorization"})");
    EXPECT_EQ(r[bhttp::field::content_type], "application/json");
    EXPECT_EQ(r[bhttp::field::cache_control], "public max-age=600");
  }
}

TEST(SandboxAccess, KeyFromAnotherAddressIsInvalidIp) {
  sandbox_options o;
  o.keys["office-key"] = {"203.0.113.0/24"};
  o.keys["local-key"] = {"127.0.0.0/8"};
  sandbox_server s{o};
  auto const r = s.get("/v1/players/%232PP", "office-key");
  EXPECT_EQ(r.result_int(), 403);
  EXPECT_EQ(
      r.body(),
      R"({"reason":"accessDenied.invalidIp","message":"Invalid authorization: API key does not allow access from IP 127.0.0.1"})");
  EXPECT_EQ(s.get("/v1/players/%232PP", "local-key").result_int(), 200);
}

TEST(SandboxAccess, KeysAddedAndRevokedAtRunTime) {
  sandbox_server s;
  api_key k;
  k.id = "k1";
  k.key = mint_key("dev-1", {"127.0.0.1"});
  ASSERT_TRUE(s.sandbox->keys().add(k));
  EXPECT_EQ(std::count(k.key.begin(), k.key.end(), '.'), 2);  // shaped like the portal's JWTs
  EXPECT_EQ(s.get("/v1/goldpass/seasons/current", k.key).result_int(), 200);
  EXPECT_TRUE(s.sandbox->keys().revoke("k1"));
  EXPECT_EQ(s.get("/v1/goldpass/seasons/current", k.key).result_int(), 403);
}

TEST(SandboxAccess, ThrottledPerKey) {
  sandbox_options o;
  o.throttle = policy::rate_limit{3, 1000ms, 0};
  o.keys["a"] = {};
  o.keys["b"] = {};
  sandbox_server s{o};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(s.get("/v1/labels/clans", "a").result_int(), 200);
  auto const r = s.get("/v1/labels/clans", "a");
  EXPECT_EQ(r.result_int(), 429);
  EXPECT_EQ(
      r.body(),
      R"({"reason":"requestThrottled","message":"Request was throttled, because amount of requests was above the threshold defined for the used API token."})");
  EXPECT_EQ(r.count(bhttp::field::retry_after), 0u);            // the real API sends none
  EXPECT_EQ(s.get("/v1/labels/clans", "b").result_int(), 200);  // other keys keep working
  s.time.advance(1001ms);
  EXPECT_EQ(s.get("/v1/labels/clans", "a").result_int(), 200);
}

TEST(SandboxAccess, MaintenanceAnswers503) {
  sandbox_server s;
  s.sandbox->set_maintenance(true);
  auto const r = s.get("/v1/locations");
  EXPECT_EQ(r.result_int(), 503);
  EXPECT_NE(r.body().find(R"("reason":"inMaintenance")"), std::string::npos);
  s.sandbox->set_maintenance(false);
  EXPECT_EQ(s.get("/v1/locations").result_int(), 200);
}

TEST(SandboxAccess, MaxAgeCountsDownPerEndpoint) {
  sandbox_server s;
  // 1'700'000'000 is 20 s into a minute, 80 s into 2 minutes, 200 s into 5 and 10 minutes, 800 s
  // into an hour.
  EXPECT_EQ(s.get("/v1/players/%232PP")[bhttp::field::cache_control], "max-age=40");
  EXPECT_EQ(s.get("/v1/clans/%232PP")[bhttp::field::cache_control], "max-age=40");
  EXPECT_EQ(s.get("/v1/leaguetiers")[bhttp::field::cache_control], "max-age=400");
  EXPECT_EQ(s.get("/v1/leagues/29000022/seasons/2026-02-23")[bhttp::field::cache_control], "max-age=2800");
  EXPECT_EQ(s.get("/v1/players/%232PP/leaguehistory")[bhttp::field::cache_control], "max-age=100");
  s.time.advance(15s);
  EXPECT_EQ(s.get("/v1/players/%232PP")[bhttp::field::cache_control], "max-age=25");
  s.time.advance(25s);
  EXPECT_EQ(s.get("/v1/players/%232PP")[bhttp::field::cache_control], "max-age=60");
  auto const err = s.get("/v1/players/%232PPP");
  EXPECT_EQ(err[bhttp::field::cache_control], "public max-age=600");
}

TEST(SandboxAccess, UnknownPathsAnswerInTheApiFormat) {
  sandbox_server s;
  auto const r = s.get("/v1/nothing/here");
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_NE(r.body().find(R"("reason":"notFound")"), std::string::npos);
}

}  // namespace
}  // namespace overworld::sandbox
