// The client core against the in-process sandbox: the 35 operations, error mapping, cache,
// single-flight, key parking on 429, retries on injected faults, maintenance, blocking calls.
#include "server/sandbox/support.hpp"

#include <overworld/coc/client.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <functional>
#include <thread>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using sandbox::testing::sandbox_server;
using sandbox::testing::test_key;
using result = api_result<raw_response>;

client_options options_for(sandbox_server& s, std::vector<std::string> keys = {test_key}) {
  client_options o;
  o.base_url = "http://127.0.0.1:" + std::to_string(s.server.port()) + "/v1";
  o.keys = std::move(keys);
  o.limiter.rate = 1000;
  o.limiter.burst = 1000;
  o.backoff.initial = 1ms;
  o.backoff.max = 5ms;
  return o;
}

sandbox_server& shared_sandbox() {
  static sandbox_server server;
  return server;
}

json::object object_of(result const& r) { return json::parse(r->body()).as_object(); }

std::string describe(result const& r) { return r ? std::string{r->body().substr(0, 200)} : r.error().describe(); }

TEST(coc_client, EveryOperationAnswersWithTheSeedData) {
  client c{options_for(shared_sandbox())};
  struct operation {
    char const* name;
    std::function<client::call()> make;
    std::function<void(json::object const&)> check;
  };
  auto has_items = [](json::object const& o) { EXPECT_FALSE(o.at("items").as_array().empty()); };
  auto id_is = [](std::int64_t id) { return [id](json::object const& o) { EXPECT_EQ(o.at("id").as_int64(), id); }; };
  std::vector<operation> const operations{
      {"search_clans", [&] { return c.search_clans({.name = "test", .page = {.limit = 2}}); },
       [](json::object const& o) { EXPECT_EQ(o.at("items").as_array().size(), 2U); }},
      {"clan", [&] { return c.clan("#2PP"); }, [](json::object const& o) { EXPECT_EQ(o.at("name"), "The Order"); }},
      {"clan_members", [&] { return c.clan_members("#29Y8PRCJR"); }, has_items},
      {"war_log", [&] { return c.war_log("#29Y8PRCJR"); }, has_items},
      {"current_war", [&] { return c.current_war("#2GPVRU0C0"); },
       [](json::object const& o) { EXPECT_EQ(o.at("state"), "inWar"); }},
      {"league_group", [&] { return c.league_group("#GYR89PJ9"); },
       [](json::object const& o) { EXPECT_FALSE(o.at("clans").as_array().empty()); }},
      {"cwl_war", [&] { return c.cwl_war("#82G0JYVGG"); },
       [](json::object const& o) { EXPECT_EQ(o.at("state"), "warEnded"); }},
      {"raid_seasons", [&] { return c.raid_seasons("#29Y8PRCJR"); }, has_items},
      {"player", [&] { return c.player("#2PP"); }, [](json::object const& o) { EXPECT_EQ(o.at("name"), "Morgil"); }},
      {"verify_token", [&] { return c.verify_token("#2PP", "TOKEN"); },
       [](json::object const& o) { EXPECT_EQ(o.at("status"), "ok"); }},
      {"battle_log", [&] { return c.battle_log("#2PP"); }, has_items},
      {"league_history", [&] { return c.league_history("#2PP"); }, has_items},
      {"league_tiers", [&] { return c.league_tiers(); },
       [](json::object const& o) { EXPECT_EQ(o.at("items").as_array().size(), 35U); }},
      {"league_tier", [&] { return c.league_tier(105000034); }, id_is(105000034)},
      {"leagues", [&] { return c.leagues(); }, has_items},
      {"league", [&] { return c.league(29000022); }, id_is(29000022)},
      {"league_seasons", [&] { return c.league_seasons(29000022); }, has_items},
      {"league_season_rankings", [&] { return c.league_season_rankings(29000022, "2026-02-23"); }, has_items},
      {"ranked_league_group", [&] { return c.ranked_league_group("#2PP", "1773032400"); },
       [](json::object const& o) { EXPECT_FALSE(o.at("members").as_array().empty()); }},
      {"war_leagues", [&] { return c.war_leagues(); }, has_items},
      {"war_league", [&] { return c.war_league(48000012); }, id_is(48000012)},
      {"capital_leagues", [&] { return c.capital_leagues(); }, has_items},
      {"capital_league", [&] { return c.capital_league(85000000); }, id_is(85000000)},
      {"builder_base_leagues", [&] { return c.builder_base_leagues(); }, has_items},
      {"builder_base_league", [&] { return c.builder_base_league(44000000); }, id_is(44000000)},
      {"locations", [&] { return c.locations(); }, has_items},
      {"location", [&] { return c.location(32000007); }, id_is(32000007)},
      {"clan_rankings", [&] { return c.clan_rankings(32000007); }, has_items},
      {"player_rankings", [&] { return c.player_rankings(32000007); }, has_items},
      {"clan_builder_base_rankings", [&] { return c.clan_builder_base_rankings(location_ref::global()); }, has_items},
      {"player_builder_base_rankings", [&] { return c.player_builder_base_rankings(32000007); }, has_items},
      {"capital_rankings", [&] { return c.capital_rankings(32000007); }, has_items},
      {"gold_pass", [&] { return c.gold_pass(); }, [](json::object const& o) { EXPECT_TRUE(o.contains("startTime")); }},
      {"clan_labels", [&] { return c.clan_labels(); }, has_items},
      {"player_labels", [&] { return c.player_labels(); }, has_items},
  };
  EXPECT_EQ(operations.size(), 35U);
  for (auto const& op : operations) {
    auto r = c.wait(op.make());
    ASSERT_TRUE(r) << op.name << ": " << describe(r);
    EXPECT_EQ(r->status, 200U) << op.name;
    op.check(object_of(r));
  }
  EXPECT_EQ(c.statistics().sent, 35U);
}

TEST(coc_client, TagsAreNormalisedAndEncoded) {
  client c{options_for(shared_sandbox())};
  auto r = c.wait(c.player(" #2pp "));
  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(object_of(r).at("tag"), "#2PP");
  // The same URL: answered from the cache.
  EXPECT_TRUE(c.wait(c.player("2PP"))->from_cache);

  auto bad = c.wait(c.player("#2PPA!"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, error_kind::bad_request);
  EXPECT_EQ(bad.error().status, 0U);
  EXPECT_EQ(c.statistics().sent, 1U);  // nothing sent for a tag that cannot exist
}

TEST(coc_client, PagingParametersReachTheServer) {
  client c{options_for(shared_sandbox())};
  auto first = c.wait(c.clan_members("#29Y8PRCJR", {.limit = 2}));
  ASSERT_TRUE(first) << describe(first);
  auto const page1 = object_of(first);
  ASSERT_EQ(page1.at("items").as_array().size(), 2U);
  auto after = std::string{page1.at("paging").at("cursors").at("after").as_string()};
  auto second = c.wait(c.clan_members("#29Y8PRCJR", {.limit = 2, .after = after}));
  ASSERT_TRUE(second) << describe(second);
  auto const page2 = object_of(second);
  ASSERT_EQ(page2.at("items").as_array().size(), 2U);
  EXPECT_NE(page1.at("items").as_array()[0].at("tag"), page2.at("items").as_array()[0].at("tag"));
  EXPECT_TRUE(page2.at("paging").at("cursors").as_object().contains("before"));
}

TEST(coc_client, ErrorsAreMapped) {
  client c{options_for(shared_sandbox())};
  auto missing = c.wait(c.player("#2PPP"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);
  EXPECT_EQ(missing.error().status, 404U);
  EXPECT_EQ(missing.error().path, "/players/%232PPP");
  // 404 answers are cached like the API's edge does.
  auto again = c.wait(c.player("#2PPP"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, error_kind::not_found);
  EXPECT_EQ(c.statistics().cache_hits, 1U);

  auto log = c.wait(c.war_log("#2PP"));
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().kind, error_kind::private_war_log);
  auto war = c.wait(c.current_war("#2PP"));
  ASSERT_FALSE(war);
  EXPECT_EQ(war.error().kind, error_kind::private_war_log);

  auto location = c.wait(c.location(1));
  ASSERT_FALSE(location);
  EXPECT_EQ(location.error().kind, error_kind::bad_request);
  EXPECT_EQ(location.error().message, "Unknown value for parameter locationId");

  EXPECT_THROW((void)c.wait(c.player("#2PPP")).value(), api_exception);
}

TEST(coc_client, BadKeyIsAccessDenied) {
  client c{options_for(shared_sandbox(), {"not-a-key"})};
  auto r = c.wait(c.player("#2PP"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::access_denied);
  EXPECT_EQ(r.error().status, 403U);
  EXPECT_EQ(c.statistics().sent, 1U);  // not retried
}

TEST(coc_client, SecondIdenticalGetIsACacheHit) {
  client c{options_for(shared_sandbox())};
  auto first = c.wait(c.clan("#2PP"));
  ASSERT_TRUE(first) << describe(first);
  EXPECT_FALSE(first->from_cache);
  EXPECT_GT(first->max_age, 0s);
  EXPECT_LE(first->max_age, 91s);
  auto second = c.wait(c.clan("#2PP"));
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(second->body(), first->body());
  EXPECT_EQ(c.statistics().sent, 1U);
  EXPECT_EQ(c.statistics().cache_hits, 1U);
  auto const cached = c.cache_statistics();
  EXPECT_EQ(cached.hits, 1U);
  EXPECT_EQ(cached.stores, 1U);

  // refresh skips the lookup; bypass neither reads nor writes.
  auto refreshed = c.wait(c.get_raw("/clans/%232PP", {}, cache_mode::refresh));
  ASSERT_TRUE(refreshed);
  EXPECT_FALSE(refreshed->from_cache);
  EXPECT_EQ(c.statistics().sent, 2U);

  // Without a cache every call is sent.
  auto o = options_for(shared_sandbox());
  o.cache_enabled = false;
  client uncached{o};
  ASSERT_TRUE(uncached.wait(uncached.clan("#2PP")));
  ASSERT_TRUE(uncached.wait(uncached.clan("#2PP")));
  EXPECT_EQ(uncached.statistics().sent, 2U);
}

TEST(coc_client, VerifyTokenIsNeverCached) {
  client c{options_for(shared_sandbox())};
  auto ok = c.wait(c.verify_token("#2PP", "TOKEN"));
  ASSERT_TRUE(ok) << describe(ok);
  EXPECT_EQ(object_of(ok).at("status"), "ok");
  EXPECT_EQ(ok->max_age, 0s);
  auto invalid = c.wait(c.verify_token("#2PP", "nope"));
  ASSERT_TRUE(invalid) << describe(invalid);
  EXPECT_EQ(object_of(invalid).at("status"), "invalid");
  auto again = c.wait(c.verify_token("#2PP", "TOKEN"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->from_cache);
  EXPECT_EQ(c.statistics().sent, 3U);
  EXPECT_EQ(c.cache_statistics().stores, 0U);
}

asio::awaitable<void> fetch_player(client* c, std::string tag, std::vector<result>* out) {
  auto op = c->player(std::move(tag));
  out->push_back(co_await std::move(op));
}

TEST(coc_client, ConcurrentIdenticalGetsShareOneRequest) {
  // The server admits one request per key and the answer is slow, so the calls overlap and any
  // second request would be throttled.
  sandbox::sandbox_options so;
  so.throttle = policy::rate_limit{1, 60'000ms, 0};
  so.faults.latency = 300ms;
  sandbox_server s{so};
  auto o = options_for(s);
  o.throttle_retries = 0;
  client c{o};

  asio::io_context ioc;
  std::vector<result> results;
  for (int i = 0; i < 5; ++i) asio::co_spawn(ioc, fetch_player(&c, "#2PP", &results), asio::detached);
  ioc.run();

  ASSERT_EQ(results.size(), 5U);
  for (auto const& r : results) {
    ASSERT_TRUE(r) << describe(r);
    EXPECT_EQ(object_of(r).at("name"), "Morgil");
  }
  EXPECT_EQ(c.statistics().sent, 1U);
  EXPECT_EQ(c.statistics().joined, 4U);
  EXPECT_EQ(c.statistics().throttled, 0U);
  // The server counted one: a second request with the key would be throttled now.
  EXPECT_EQ(s.get("/v1/players/%232PP").result_int(), 429);
}

TEST(coc_client, ThrottledKeyIsParkedAndTheOtherKeyServes) {
  sandbox::sandbox_options so;
  so.throttle = policy::rate_limit{3, 60'000ms, 0};
  so.keys["key-a"] = {"127.0.0.1"};
  so.keys["key-b"] = {"127.0.0.1"};
  sandbox_server s{so};
  // Someone else spent key-a's quota (the sandbox's clock does not move, so it stays spent).
  for (int i = 0; i < 3; ++i) ASSERT_EQ(s.get("/v1/goldpass/seasons/current", "key-a").result_int(), 200);

  client c{options_for(s, {"key-a", "key-b"})};
  auto r = c.wait(c.player("#2PP"));
  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(c.statistics().throttled, 1U);
  EXPECT_EQ(c.statistics().sent, 2U);
  auto states = c.key_states();
  ASSERT_EQ(states.size(), 2U);
  EXPECT_EQ(states[0].throttled, 1U);
  EXPECT_GT(states[0].parked_for, 0ns);
  EXPECT_EQ(states[1].throttled, 0U);

  // While key-a is parked, key-b takes the calls.
  ASSERT_TRUE(c.wait(c.clan("#2PP")));
  EXPECT_EQ(c.statistics().throttled, 1U);
  EXPECT_EQ(c.key_states()[1].granted, 2U);

  // One key, spent, and no patience: the call reports the throttle.
  auto o = options_for(s, {"key-a"});
  o.throttle_retries = 0;
  client only_a{o};
  auto throttled = only_a.wait(only_a.league_tiers());
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().kind, error_kind::throttled);
  EXPECT_EQ(throttled.error().status, 429U);
}

TEST(coc_client, TransientFaultsAreRetried) {
  sandbox::sandbox_options so;
  so.faults.error_status = 500;
  so.faults.error_every = 2;  // the 2nd, 4th, … request fails
  sandbox_server s{so};
  client c{options_for(s)};

  ASSERT_TRUE(c.wait(c.player("#2PP")));
  auto r = c.wait(c.clan("#2PP"));  // fails once, then succeeds
  ASSERT_TRUE(r) << describe(r);
  EXPECT_EQ(object_of(r).at("name"), "The Order");
  EXPECT_EQ(c.statistics().sent, 3U);
  EXPECT_EQ(c.statistics().retries, 1U);

  // Every try fails: the policy's three tries, then the error.
  s.sandbox->faults().set({.error_status = 502, .error_every = 1});
  auto gateway = c.wait(c.locations());
  ASSERT_FALSE(gateway);
  EXPECT_EQ(gateway.error().kind, error_kind::gateway);
  EXPECT_EQ(gateway.error().status, 502U);
  EXPECT_EQ(c.statistics().sent, 6U);

  // Dropped connections are retried too.
  s.sandbox->faults().set({.drop_every = 2});
  auto dropped = c.wait(c.gold_pass());
  auto dropped_again = c.wait(c.clan_labels());
  ASSERT_TRUE(dropped) << describe(dropped);
  ASSERT_TRUE(dropped_again) << describe(dropped_again);
  EXPECT_GE(c.statistics().retries, 3U);

  // A POST is never retried.
  s.sandbox->faults().set({.error_status = 500, .error_every = 1});
  auto token = c.wait(c.verify_token("#2PP", "TOKEN"));
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().kind, error_kind::server_error);
  auto const sent = c.statistics().sent;
  (void)c.wait(c.verify_token("#2PP", "TOKEN"));
  EXPECT_EQ(c.statistics().sent, sent + 1);
}

TEST(coc_client, MaintenanceIsReportedAndNotRetried) {
  sandbox_server s;
  client c{options_for(s)};
  s.sandbox->set_maintenance(true);
  auto r = c.wait(c.player("#2PP"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::maintenance);
  EXPECT_EQ(r.error().status, 503U);
  EXPECT_TRUE(c.in_maintenance());
  EXPECT_EQ(c.statistics().sent, 1U);

  // An injected 503 is the API's maintenance answer as well.
  s.sandbox->set_maintenance(false);
  s.sandbox->faults().set({.error_status = 503, .error_every = 1});
  auto injected = c.wait(c.clan("#2PP"));
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().kind, error_kind::maintenance);
  EXPECT_EQ(c.statistics().sent, 2U);

  s.sandbox->faults().clear();
  ASSERT_TRUE(c.wait(c.player("#2PP")));
  EXPECT_FALSE(c.in_maintenance());
}

asio::awaitable<void> chain(client* c, std::vector<result>* out) {
  auto first = c->player("#2PP");
  out->push_back(co_await std::move(first));
  auto second = c->clan("#2PP");
  out->push_back(co_await std::move(second));
}

TEST(coc_client, CoroutineFormFromAnotherExecutor) {
  client c{options_for(shared_sandbox())};
  asio::io_context ioc;
  std::vector<result> results;
  asio::co_spawn(ioc, chain(&c, &results), asio::detached);
  ioc.run();
  ASSERT_EQ(results.size(), 2U);
  ASSERT_TRUE(results[0]) << describe(results[0]);
  ASSERT_TRUE(results[1]) << describe(results[1]);
  EXPECT_EQ(object_of(results[0]).at("name"), "Morgil");
  EXPECT_EQ(object_of(results[1]).at("name"), "The Order");
}

TEST(coc_client, DestroyedWithACallInFlight) {
  sandbox::sandbox_options so;
  so.faults.latency = 500ms;
  sandbox_server s{so};
  auto c = std::make_unique<client>(options_for(s));
  asio::io_context ioc;
  std::vector<result> results;
  asio::co_spawn(ioc, fetch_player(c.get(), "#2PP", &results), asio::detached);
  ioc.run_for(100ms);  // the call now waits for the slow answer on the client's thread
  c.reset();           // and is abandoned with the client
  ioc.restart();
  ioc.run_for(50ms);
  EXPECT_TRUE(results.empty());
}

TEST(coc_client, OversizeBodyIsATransportErrorAndTheClientGoesOn) {
  auto o = options_for(shared_sandbox());
  o.http.max_response_size = 256;  // player.json is several kilobytes
  client c{o};
  auto big = c.wait(c.player("#2PP"));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind, error_kind::transport);
  EXPECT_EQ(big.error().code, make_error_code(errc::too_large));
  EXPECT_EQ(c.statistics().sent, 1U);  // the same answer would be too large again: no retry
  // A small answer on the same client still works.
  auto small = c.wait(c.player("#2PPPPPP"));
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().kind, error_kind::not_found);
}

TEST(coc_client, OptionsAreChecked) {
  client_options none;
  EXPECT_THROW(client{none}, std::invalid_argument);
  client_options bad_url;
  bad_url.keys = {"k"};
  bad_url.base_url = "ftp://example.com/v1";
  EXPECT_THROW(client{bad_url}, std::invalid_argument);
}

TEST(coc_client, QueryEncoding) {
  EXPECT_EQ(encode_query({}), "");
  EXPECT_EQ(encode_query({{"name", "a b&c"}, {"labelIds", "1,2"}}), "?name=a%20b%26c&labelIds=1%2C2");
  query_params q;
  append_paging(q, {.limit = 10, .after = "eyJwb3MiOjIwfQ"});
  EXPECT_EQ(encode_query(q), "?limit=10&after=eyJwb3MiOjIwfQ");
}

}  // namespace
}  // namespace overworld::coc
