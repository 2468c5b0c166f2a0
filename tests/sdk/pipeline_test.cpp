// The request pipeline against a scripted server on 127.0.0.1:0: the cache and conditional
// requests, keys and 429s, retries, pacing and limits held client-side, answers of any status,
// the game's error mapping and the middleware. Waits the pipeline would sleep through are made
// longer than max_wait, so it answers at once: no test sleeps.
#include "support/scripted_server.hpp"

#include <overworld/sdk/pipeline.hpp>
#include <overworld/sdk/runtime.hpp>

#include <gtest/gtest.h>

namespace overworld::sdk {
namespace {

using namespace std::chrono_literals;
using overworld::testing::scripted_server;
using json = scripted_server;

// A game's mapping: its reason is the body.
error map_answer(http::client_response const& answer, std::string_view path) {
  error e;
  e.kind = kind_from_status(answer.status);
  e.status = answer.status;
  e.reason = answer.body;
  e.path = std::string{path};
  e.retry_after = parse_retry_after(answer.header("Retry-After").value_or(""));
  return e;
}

pipeline_options options_for(scripted_server const& s) {
  pipeline_options o;
  o.base_url = s.url() + "/v1";
  o.backoff = backoff_policy{.initial = 1ms, .max = 2ms, .multiplier = 2.0, .random = [] { return 1.0; }};
  o.http.read_timeout = 5s;
  return o;
}

/// A pipeline on its own io thread, called the blocking way.
struct harness {
  io_thread io;
  pipeline pipe;
  explicit harness(pipeline_options o) : pipe(io.executor(), std::move(o), map_answer) {}
  ~harness() { io.stop(); }
  api_result<response> send(request r) { return io.wait(pipe.send(std::move(r))); }
  api_result<response> get(std::string target) { return send(request{.target = std::move(target)}); }
};

TEST(Pipeline, FreshAnswersComeFromTheCache) {
  scripted_server s;
  s.get("/v1/a", {json::json(200, R"({"n":1})", {{"Cache-Control", "max-age=60"}})});
  s.start();
  harness h{options_for(s)};
  auto first = h.get("/a");
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_FALSE(first->from_cache);
  EXPECT_EQ(first->max_age, 60s);
  auto second = h.get("/a");
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(second->body(), R"({"n":1})");
  EXPECT_EQ(second->response.get(), first->response.get());  // shared, not copied
  EXPECT_GT(h.pipe.wait_before("/a"), 50s);
  EXPECT_EQ(h.pipe.statistics().sent, 1U);
  EXPECT_EQ(h.pipe.statistics().cache_hits, 1U);
  EXPECT_EQ(s.requests("/v1/a").size(), 1U);
}

TEST(Pipeline, StoredAnswersAreRevalidatedAndA304RenewsThem) {
  scripted_server s;
  s.get("/v1/e", {json::json(200, R"({"v":1})", {{"ETag", "\"v1\""}, {"Cache-Control", "max-age=0"}}),
                  json::json(304, "", {{"Cache-Control", "max-age=30"}})});
  s.start();
  harness h{options_for(s)};
  ASSERT_TRUE(h.get("/e"));
  auto again = h.get("/e");
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_TRUE(again->not_modified);
  EXPECT_EQ(again->status, 200U);
  EXPECT_EQ(again->body(), R"({"v":1})");
  EXPECT_EQ(again->max_age, 30s);
  auto const seen = s.requests("/v1/e");
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].headers.count("if-none-match"), 0U);
  EXPECT_EQ(seen[1].headers.at("if-none-match"), "\"v1\"");
  // Renewed for 30 s: the third call does not ask.
  EXPECT_TRUE(h.get("/e")->from_cache);
  EXPECT_EQ(h.pipe.statistics().not_modified, 1U);
}

TEST(Pipeline, KeysTakeTurnsAndAThrottledKeyIsParked) {
  scripted_server s;
  s.get("/v1/k", {json::json(429, "requestThrottled"), json::json(200, "{}")});
  s.start();
  auto o = options_for(s);
  o.keys = {"key-one", "key-two"};
  o.cache_enabled = false;
  harness h{o};
  auto r = h.get("/k");
  ASSERT_TRUE(r) << r.error().describe();
  auto const seen = s.requests("/v1/k");
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].headers.at("authorization"), "Bearer key-one");
  EXPECT_EQ(seen[1].headers.at("authorization"), "Bearer key-two");  // the first is parked
  EXPECT_GT(h.pipe.keys().states()[0].parked_for, 0ns);
  EXPECT_EQ(h.pipe.statistics().throttled, 1U);
}

TEST(Pipeline, ThrottleRetriesAreBoundedAndParkedKeysBeyondMaxWaitFail) {
  scripted_server s;
  s.get("/v1/k", {json::json(429, "requestThrottled", {{"Retry-After", "1"}})});
  s.start();
  auto o = options_for(s);
  o.keys = {"only"};
  o.throttle_retries = 0;
  harness h{o};
  auto r = h.get("/k");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::throttled);
  EXPECT_EQ(r.error().reason, "requestThrottled");
  EXPECT_EQ(r.error().retry_after, 1s);
  o.throttle_retries = 3;
  o.max_wait = 100ms;  // the key's park (1 s) is longer: the call ends without waiting it out
  harness patient{o};
  auto again = patient.get("/k");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, error_kind::throttled);
  EXPECT_EQ(patient.pipe.statistics().sent, 1U);
}

TEST(Pipeline, TransientFailuresAreRetriedPostsAreNot) {
  scripted_server s;
  s.get("/v1/flaky", {json::json(500, "boom"), json::json(503, "busy"), json::json(200, "{}")});
  s.post("/v1/once", {json::json(502, "gateway"), json::json(200, "{}")});
  s.get("/v1/missing", {json::json(404, "notFound")});
  s.start();
  auto o = options_for(s);
  o.cache_enabled = false;
  harness h{o};
  auto r = h.get("/flaky");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(h.pipe.statistics().retries, 2U);
  auto post =
      h.send(request{.method = http::verb::post, .target = "/once", .body = "{}", .content_type = "application/json"});
  ASSERT_FALSE(post);
  EXPECT_EQ(post.error().kind, error_kind::gateway);
  EXPECT_EQ(s.requests("/v1/once").size(), 1U);
  EXPECT_EQ(s.requests("/v1/once")[0].headers.at("content-type"), "application/json");
  auto missing = h.get("/missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);
  EXPECT_EQ(missing.error().reason, "notFound");  // the game's mapper had the answer
  EXPECT_EQ(missing.error().path, "/missing");
  EXPECT_EQ(s.requests("/v1/missing").size(), 1U);
}

TEST(Pipeline, AFailingUrlStaysPushedBackAcrossCalls) {
  scripted_server s;
  s.get("/v1/p", {json::json(429, "slow down", {{"Retry-After", "3600"}})});
  s.start();
  auto o = options_for(s);
  o.remember_failures = true;
  o.max_wait = 2s;
  harness h{o};
  auto r = h.get("/p");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::throttled);
  EXPECT_EQ(r.error().retry_after, 3600s);
  // The hour is longer than the pipeline waits: the next call neither sleeps nor asks.
  auto again = h.get("/p");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, error_kind::throttled);
  EXPECT_NE(again.error().message.find("backing off"), std::string::npos);
  EXPECT_EQ(s.requests("/v1/p").size(), 1U);
  EXPECT_GT(h.pipe.wait_before("/p"), 3500s);
}

TEST(Pipeline, MinIntervalAndRequestLimitAreHeldClientSide) {
  scripted_server s;
  s.get("/v1/d", {json::json(200, "{}")});
  s.get("/v1/x", {json::json(200, "{}")});
  s.get("/v1/y", {json::json(200, "{}")});
  s.start();
  manual_clock t;
  auto o = options_for(s);
  o.cache_enabled = false;
  o.min_interval = 5s;
  o.request_limit = policy::rate_limit{2, 60s};
  o.max_wait = 1s;
  o.time = &t;
  harness h{o};
  ASSERT_TRUE(h.get("/d"));
  auto soon = h.get("/d");  // 5 s between two requests to one URL
  ASSERT_FALSE(soon);
  EXPECT_EQ(soon.error().kind, error_kind::throttled);
  ASSERT_TRUE(h.get("/x"));
  auto third = h.get("/y");  // two requests per 60 s in all
  ASSERT_FALSE(third);
  EXPECT_NE(third.error().message.find("client-side limit of 2 requests per 60 s"), std::string::npos);
  t.advance(61s);
  EXPECT_TRUE(h.get("/y"));
  EXPECT_EQ(s.requests("/v1/d").size() + s.requests("/v1/x").size() + s.requests("/v1/y").size(), 3U);
}

TEST(Pipeline, AnyStatusRequestsHandBackEveryAnswer) {
  scripted_server s;
  s.post("/v1/login",
         {json::json(401, R"({"reason":1002})"), json::json(429, R"({"reason":429})", {{"Retry-After", "7"}})});
  s.start();
  auto o = options_for(s);
  o.remember_failures = true;
  harness h{o};
  request login{.method = http::verb::post,
                .target = "/login",
                .body = "{}",
                .content_type = "application/json",
                .any_status = true};
  auto r = h.send(login);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401U);
  EXPECT_EQ(r->body(), R"({"reason":1002})");
  auto limited = h.send(login);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429U);
  EXPECT_EQ(h.pipe.statistics().throttled, 1U);
  EXPECT_GE(h.pipe.wait_before("/login"), 6s);  // the Retry-After holds the URL back
}

TEST(Pipeline, MiddlewareSeesEveryRequestAndAnswer) {
  scripted_server s;
  s.get("/v1/m", {json::json(500, "x"), json::json(200, "{}", {{"Cache-Control", "max-age=60"}})});
  s.start();
  auto o = options_for(s);
  std::vector<std::pair<unsigned, unsigned>> seen;  // status, attempt
  o.on_request.emplace_back([](http::client_request& r) { r.headers.emplace_back("X-Trace", "t-1"); });
  o.on_response.emplace_back([&](response_event const& ev) { seen.emplace_back(ev.status, ev.attempt); });
  harness h{o};
  ASSERT_TRUE(h.get("/m"));
  ASSERT_TRUE(h.get("/m"));
  EXPECT_EQ(seen, (std::vector<std::pair<unsigned, unsigned>>{{500, 1}, {200, 2}, {200, 0}}));
  EXPECT_EQ(s.requests("/v1/m").at(1).headers.at("x-trace"), "t-1");
  auto const m = h.pipe.metrics();
  EXPECT_EQ(m.calls, 2U);
  EXPECT_EQ(m.requests, 2U);
  EXPECT_EQ(m.cache_hits, 1U);
}

TEST(Pipeline, BadBaseUrlIsRefused) {
  io_thread io;
  pipeline_options o;
  o.base_url = "ftp://example.com";
  EXPECT_THROW((pipeline{io.executor(), o, map_answer}), std::invalid_argument);
}

TEST(Runtime, WaitOnTheOwnThreadIsRefused) {
  io_thread io;
  auto inner = [](io_thread* t) -> boost::asio::awaitable<int> {
    // Blocking on the thread that would have to run it: refused, not a deadlock.
    try {
      (void)t->wait([]() -> boost::asio::awaitable<int> { co_return 1; }());
    } catch (std::logic_error const&) {
      co_return 2;
    }
    co_return 3;
  };
  EXPECT_EQ(io.wait(inner(&io)), 2);
}

}  // namespace
}  // namespace overworld::sdk
