// Key management through the sandbox's developer portal: provisioning, reuse, revoking stale keys,
// the 10-key limit, re-keying on accessDenied.invalidIp; and the client's middleware and metrics.
#include "server/sandbox/support.hpp"

#include <overworld/coc/client.hpp>
#include <overworld/coc/keys.hpp>
#include <overworld/core/base64.hpp>
#include <overworld/server/sandbox/portal.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using sandbox::testing::sandbox_server;

constexpr char const* email = "bot@example.com";
constexpr char const* password = "hunter2";

// A sandbox with a developer portal holding one account (and a second one when asked).
struct portal_sandbox {
  std::unique_ptr<sandbox::developer_portal> portal;
  sandbox_server server;

  explicit portal_sandbox(std::size_t max_keys = 10)
      : server{{}, sandbox::testing::fixture_dataset(), [this, max_keys](sandbox_server& s) {
                 sandbox::portal_options po;
                 po.accounts[email] = password;
                 po.accounts["second@example.com"] = "pw2";
                 po.max_keys = max_keys;
                 portal = std::make_unique<sandbox::developer_portal>(s.sandbox->keys(), po, s.time);
                 portal->install(*s.server.routes);
               }} {}

  std::string base() const { return "http://127.0.0.1:" + std::to_string(server.server.port()); }
  std::string portal_url() const { return base() + "/api"; }

  // Keys of the account, as the sandbox holds them.
  std::vector<sandbox::api_key> keys_of(std::string const& developer) const {
    return server.sandbox->keys().list(developer);
  }
};

// Runs a coroutine over a fresh HTTP client to completion.
template <class Make>
auto run(Make make) {
  asio::io_context ioc;
  http::client http{ioc.get_executor()};
  auto future = asio::co_spawn(ioc, make(http), asio::use_future);
  ioc.run();
  return future.get();
}

portal_options options_for(portal_sandbox const& p, unsigned count = 1) {
  portal_options o;
  o.base_url = p.portal_url();
  o.accounts = {{email, password}};
  o.keys_per_account = count;
  return o;
}

TEST(coc_keys, IpFromTemporaryToken) {
  auto const token =
      base64url_encode(R"({"alg":"HS512"})") + "." +
      base64url_encode(
          R"({"limits":[{"tier":"developer/silver","type":"throttling"},{"cidrs":["198.51.100.7/32"],"type":"client"}]})") +
      ".sig";
  EXPECT_EQ(ip_from_temporary_token(token), "198.51.100.7");
  EXPECT_EQ(ip_from_temporary_token("no dots"), "");
  EXPECT_EQ(ip_from_temporary_token("a.!!!.c"), "");
  EXPECT_EQ(ip_from_temporary_token("a." + base64url_encode(R"({"limits":[]})") + ".c"), "");
}

TEST(coc_keys, LoginFindsTheAddressAndWrongPasswordIsAccessDenied) {
  portal_sandbox p;
  auto s = run([&](http::client& h) { return portal_session::login(h, p.portal_url(), {email, password}); });
  ASSERT_TRUE(s) << s.error().describe();
  EXPECT_EQ(s->ip(), "127.0.0.1");
  EXPECT_FALSE(s->developer_id().empty());

  auto bad = run([&](http::client& h) { return portal_session::login(h, p.portal_url(), {email, "wrong"}); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, error_kind::access_denied);
  EXPECT_EQ(bad.error().status, 403U);
}

TEST(coc_keys, ProvisionCreatesThenReusesAndRevokesStaleKeys) {
  portal_sandbox p;
  auto first = run([&](http::client& h) { return provision_keys(h, options_for(p, 3)); });
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->ip, "127.0.0.1");
  EXPECT_EQ(first->created, 3U);
  EXPECT_EQ(first->keys.size(), 3U);
  for (auto const& k : first->keys) EXPECT_EQ(p.server.get("/v1/players/%232PP", k).result_int(), 200);

  auto session = run([&](http::client& h) { return portal_session::login(h, p.portal_url(), {email, password}); });
  ASSERT_TRUE(session);
  // A managed key for an address this machine no longer has, and a key of another name.
  sandbox::api_key stale;
  stale.id = "stale-1";
  stale.developer_id = session->developer_id();
  stale.name = "overworld";
  stale.key = sandbox::mint_key(stale.developer_id, {"203.0.113.5/32"});
  stale.cidrs = {"203.0.113.5/32"};
  ASSERT_TRUE(p.server.sandbox->keys().add(stale));
  sandbox::api_key other = stale;
  other.id = "other-1";
  other.name = "someone else's tool";
  other.key = sandbox::mint_key(stale.developer_id, {"203.0.113.6/32"});
  ASSERT_TRUE(p.server.sandbox->keys().add(other));

  auto second = run([&](http::client& h) { return provision_keys(h, options_for(p, 3)); });
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->reused, 3U);
  EXPECT_EQ(second->created, 0U);
  EXPECT_EQ(second->revoked, 1U);
  EXPECT_EQ(second->keys, first->keys);
  auto const left = p.keys_of(session->developer_id());
  EXPECT_EQ(left.size(), 4U);  // three managed keys and the other tool's
  EXPECT_TRUE(std::none_of(left.begin(), left.end(), [](auto const& k) { return k.id == "stale-1"; }));
  EXPECT_TRUE(std::any_of(left.begin(), left.end(), [](auto const& k) { return k.id == "other-1"; }));
}

TEST(coc_keys, SeveralAccountsAndTheTenKeyLimit) {
  portal_sandbox p;
  auto o = options_for(p, 25);  // more than the portal allows: capped at 10 per account
  o.accounts.push_back({"second@example.com", "pw2"});
  auto made = run([&](http::client& h) { return provision_keys(h, o); });
  ASSERT_TRUE(made) << made.error().describe();
  EXPECT_EQ(made->created, 20U);
  EXPECT_EQ(made->keys.size(), 20U);

  o.accounts.push_back({"nobody@example.com", "x"});
  auto refused = run([&](http::client& h) { return provision_keys(h, o); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, error_kind::access_denied);
}

TEST(coc_keys, ClientProvisionsItsKeysBeforeTheFirstRequest) {
  portal_sandbox p;
  client_options o;
  o.base_url = p.base() + "/v1";
  o.portal = options_for(p, 2);
  client c{o};
  EXPECT_TRUE(c.keys().empty());
  auto r = c.wait(c.player("#2PP"));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(c.keys().size(), 2U);
  EXPECT_EQ(c.metrics().rekeys, 1U);
}

TEST(coc_keys, ClientReKeysOnInvalidIp) {
  portal_sandbox p;
  auto session = run([&](http::client& h) { return portal_session::login(h, p.portal_url(), {email, password}); });
  ASSERT_TRUE(session);
  // The key the bot was given on another machine: refused here with accessDenied.invalidIp.
  sandbox::api_key moved;
  moved.id = "moved-1";
  moved.developer_id = session->developer_id();
  moved.name = "overworld";
  moved.key = sandbox::mint_key(moved.developer_id, {"198.51.100.1/32"});
  moved.cidrs = {"198.51.100.1/32"};
  ASSERT_TRUE(p.server.sandbox->keys().add(moved));

  client_options o;
  o.base_url = p.base() + "/v1";
  o.keys = {moved.key};
  o.portal = options_for(p);
  std::vector<unsigned> statuses;
  o.on_response.emplace_back([&](response_event const& ev) { statuses.push_back(ev.status); });
  client c{o};
  auto r = c.wait(c.player("#2PP"));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(statuses, (std::vector<unsigned>{403, 200}));
  ASSERT_EQ(c.keys().size(), 1U);
  EXPECT_NE(c.keys()[0], moved.key);
  EXPECT_FALSE(p.server.sandbox->keys().find(moved.key));  // the stale key was revoked

  // Without portal accounts the same answer is reported as it is.
  client_options plain;
  plain.base_url = o.base_url;
  sandbox::api_key again = moved;
  again.id = "moved-2";
  again.key = sandbox::mint_key(moved.developer_id, {"198.51.100.2/32"});
  ASSERT_TRUE(p.server.sandbox->keys().add(again));
  plain.keys = {again.key};
  client c2{plain};
  auto refused = c2.wait(c2.player("#2PP"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, error_kind::invalid_ip);
}

TEST(coc_keys, RefreshKeysNeedsPortalAccountsAndClientNeedsKeysOrAccounts) {
  portal_sandbox p;
  client_options o;
  o.base_url = p.base() + "/v1";
  EXPECT_THROW(client{o}, std::invalid_argument);
  o.keys = {sandbox::testing::test_key};
  client c{o};
  auto r = c.wait([](client& cl) -> client::call {
    auto k = co_await cl.refresh_keys();
    if (k) co_return api_result<raw_response>{raw_response{}};
    co_return api_result<raw_response>{boost::system::in_place_error, k.error()};
  }(c));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("portal"), std::string::npos);
}

TEST(coc_metrics, MiddlewareSeesEveryRequestAndMetricsCountThem) {
  portal_sandbox p;
  client_options o;
  o.base_url = p.base() + "/v1";
  o.keys = {sandbox::testing::test_key};
  std::vector<std::string> seen_paths;
  std::vector<bool> from_cache;
  o.on_request.emplace_back([](http::client_request& r) { r.headers.emplace_back("X-Trace", "t-1"); });
  o.on_request.emplace_back([&](http::client_request& r) {
    auto it = std::find_if(r.headers.begin(), r.headers.end(), [](auto const& h) { return h.first == "X-Trace"; });
    seen_paths.push_back(it == r.headers.end() ? "missing" : r.url.substr(r.url.find("/v1")));
  });
  o.on_response.emplace_back([&](response_event const& ev) { from_cache.push_back(ev.from_cache); });
  client c{o};
  ASSERT_TRUE(c.wait(c.player("#2PP")));
  ASSERT_TRUE(c.wait(c.player("#2PP")));  // from the cache
  auto missing = c.wait(c.player("#2PPP"));
  ASSERT_FALSE(missing);

  EXPECT_EQ(seen_paths, (std::vector<std::string>{"/v1/players/%232PP", "/v1/players/%232PPP"}));
  EXPECT_EQ(from_cache, (std::vector<bool>{false, true, false}));
  auto const m = c.metrics();
  EXPECT_EQ(m.calls, 3U);
  EXPECT_EQ(m.requests, 2U);
  EXPECT_EQ(m.cache_hits, 1U);
  EXPECT_EQ(m.cache_misses, 2U);
  EXPECT_DOUBLE_EQ(m.cache_hit_rate(), 1.0 / 3.0);
  EXPECT_EQ(m.errors, 1U);
  ASSERT_EQ(m.errors_by_kind.size(), 1U);
  EXPECT_EQ(m.errors_by_kind[0].first, error_kind::not_found);
  EXPECT_GT(m.latency_p99.count(), 0);
  EXPECT_LE(m.latency_p50, m.latency_p99);
  ASSERT_EQ(m.keys.size(), 1U);
  EXPECT_EQ(m.keys[0].key_suffix, "test-key");
  EXPECT_EQ(m.keys[0].requests, 2U);

  auto const text = c.prometheus_text("bot");
  EXPECT_NE(text.find("bot_calls_total 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("bot_requests_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("bot_errors_total{kind=\"not_found\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("bot_request_duration_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(text.find("bot_key_requests_total{key=\"test-key\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE bot_request_duration_seconds histogram"), std::string::npos);
}

}  // namespace
}  // namespace overworld::coc
