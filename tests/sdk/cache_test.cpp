#include <overworld/sdk/cache.hpp>

#include "support/data.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace overworld::sdk {
namespace {

using namespace std::chrono_literals;
using http::verb;

response_cache::response_ptr answer(std::string body, std::string cache_control = "max-age=60", unsigned status = 200,
                                    std::vector<std::pair<std::string, std::string>> more = {}) {
  http::client_response r;
  r.status = status;
  r.body = std::move(body);
  if (!cache_control.empty()) r.headers.emplace_back("cache-control", std::move(cache_control));
  r.headers.emplace_back("content-type", "application/json; charset=utf-8");
  for (auto& h : more) r.headers.push_back(std::move(h));
  return std::make_shared<http::client_response const>(std::move(r));
}

TEST(MaxAge, StandardAndMalformedForms) {
  EXPECT_EQ(parse_max_age("max-age=60"), 60s);
  EXPECT_EQ(parse_max_age("public max-age=600"), 600s);  // what the API sends with errors
  EXPECT_EQ(parse_max_age("public, max-age=60"), 60s);
  EXPECT_EQ(parse_max_age("max-age=91, public"), 91s);
  EXPECT_EQ(parse_max_age("Public,Max-Age=36"), 36s);
  EXPECT_EQ(parse_max_age("max-age=\"120\""), 120s);
  EXPECT_EQ(parse_max_age("  max-age=0 "), 0s);
  EXPECT_EQ(parse_max_age("no-store, max-age=60"), 0s);
  EXPECT_EQ(parse_max_age("no-cache"), 0s);
  EXPECT_EQ(parse_max_age("max-age=99999999999999999999"), std::chrono::seconds{0xffffffffLL});
  EXPECT_FALSE(parse_max_age(""));
  EXPECT_FALSE(parse_max_age("public"));
  EXPECT_FALSE(parse_max_age("max-age"));
  EXPECT_FALSE(parse_max_age("max-age=abc"));
  EXPECT_FALSE(parse_max_age("max-age=-5"));
  EXPECT_FALSE(parse_max_age("s-maxage=60"));
}

TEST(MaxAge, EveryRecordedHeader) {
  // The Cache-Control of every recorded answer (data/coc-seed/_responses.json) parses.
  std::string const all =
      overworld::testing::read_data_file(overworld::testing::coc_fixtures_dir() / "_responses.json");
  std::string const marker = "\"cache-control\": \"";
  int seen = 0;
  int malformed = 0;
  for (auto at = all.find(marker); at != std::string::npos; at = all.find(marker, at + 1)) {
    auto begin = at + marker.size();
    auto value = all.substr(begin, all.find('"', begin) - begin);
    auto age = parse_max_age(value);
    ASSERT_TRUE(age) << value;
    EXPECT_GT(age->count(), 0) << value;
    EXPECT_LE(age->count(), 3600) << value;
    ++seen;
    if (value.starts_with("public ")) ++malformed;
  }
  EXPECT_GT(seen, 40);
  EXPECT_GT(malformed, 0);
}

TEST(Cache, HitUntilMaxAgeRunsOut) {
  manual_clock t;
  response_cache c{{}, t};
  auto const url = "https://api.clashofclans.com/v1/players/%232PP";
  EXPECT_FALSE(c.get(url));
  ASSERT_TRUE(c.put(verb::get, url, answer("{\"tag\":\"#2PP\"}")));

  auto h = c.get(url);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->response->body, "{\"tag\":\"#2PP\"}");
  EXPECT_EQ(h->expires_in, 60s);
  t.advance(59s + 500ms);
  h = c.get(url);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->expires_in, 1s);  // rounded up
  t.advance(500ms);
  EXPECT_FALSE(c.get(url));

  auto s = c.statistics();
  EXPECT_EQ(s.hits, 2U);
  EXPECT_EQ(s.misses, 2U);
  EXPECT_EQ(s.expirations, 1U);
  EXPECT_EQ(s.entries, 0U);
  EXPECT_EQ(s.bytes, 0U);
}

TEST(Cache, KeyedByFullUrl) {
  manual_clock t;
  response_cache c{{}, t};
  c.put(verb::get, "https://h/v1/clans?name=abc&limit=5", answer("five"));
  c.put(verb::get, "https://h/v1/clans?name=abc&limit=6", answer("six"));
  EXPECT_EQ(c.get("https://h/v1/clans?name=abc&limit=5")->response->body, "five");
  EXPECT_EQ(c.get("https://h/v1/clans?name=abc&limit=6")->response->body, "six");
  EXPECT_FALSE(c.get("https://h/v1/clans?name=abc"));
  EXPECT_FALSE(c.get("https://other/v1/clans?name=abc&limit=5"));
}

TEST(Cache, WhatIsNeverStored) {
  manual_clock t;
  response_cache c{{}, t};
  // verifytoken answers with "public max-age=600" but must never be cached.
  EXPECT_FALSE(c.put(verb::post, "https://h/v1/players/%232PP/verifytoken",
                     answer(R"({"tag":"#2PP","token":"x","status":"ok"})", "public max-age=600")));
  EXPECT_FALSE(c.get("https://h/v1/players/%232PP/verifytoken"));
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("x", "")));  // no header
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("x", "max-age=0")));
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("x", "no-store")));
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("x", "public max-age=600", 403)));
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("x", "public max-age=600", 429)));
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("x", "public max-age=600", 503)));
  EXPECT_EQ(c.statistics().stores, 0U);

  // 404 is kept by default (with the malformed header), and can be turned off.
  EXPECT_TRUE(c.put(verb::get, "https://h/nf", answer(R"({"reason":"notFound"})", "public max-age=600", 404)));
  EXPECT_EQ(c.get("https://h/nf")->response->status, 404U);
  response_cache strict{{.cache_not_found = false}, t};
  EXPECT_FALSE(strict.put(verb::get, "https://h/nf", answer("x", "public max-age=600", 404)));
}

TEST(Cache, TtlOverrideAndCap) {
  manual_clock t;
  response_cache c{{.max_ttl = 100s}, t};
  c.put(verb::get, "https://h/season", answer("x", "max-age=3600"));
  EXPECT_EQ(c.get("https://h/season")->expires_in, 100s);
  // A realtime answer lies about its age: the caller says 0.
  EXPECT_FALSE(c.put(verb::get, "https://h/war?realtime=true", answer("x", "max-age=600"), cache_mode::use, 0s));
  c.put(verb::get, "https://h/b", answer("x", ""), cache_mode::use, 5s);
  EXPECT_EQ(c.get("https://h/b")->expires_in, 5s);
}

TEST(Cache, PerCallBypass) {
  manual_clock t;
  response_cache c{{}, t};
  c.put(verb::get, "https://h/a", answer("old"));
  EXPECT_FALSE(c.get("https://h/a", cache_mode::refresh));
  EXPECT_FALSE(c.get("https://h/a", cache_mode::bypass));
  // refresh stores what it fetched, bypass leaves the cache alone.
  c.put(verb::get, "https://h/a", answer("new"), cache_mode::refresh);
  EXPECT_EQ(c.get("https://h/a")->response->body, "new");
  EXPECT_FALSE(c.put(verb::get, "https://h/a", answer("other"), cache_mode::bypass));
  EXPECT_EQ(c.get("https://h/a")->response->body, "new");
  auto s = c.statistics();
  EXPECT_EQ(s.bypassed, 2U);
  EXPECT_EQ(s.hits, 2U);
  EXPECT_EQ(s.misses, 0U);
}

TEST(Cache, LruEvictionByBytes) {
  manual_clock t;
  // Each entry: ~1000 bytes of body plus URL, headers and bookkeeping; room for three.
  response_cache c{{.max_bytes = 3'700}, t};
  std::string const body(1'000, 'x');
  c.put(verb::get, "https://h/1", answer(body));
  c.put(verb::get, "https://h/2", answer(body));
  c.put(verb::get, "https://h/3", answer(body));
  EXPECT_EQ(c.statistics().entries, 3U);
  EXPECT_LE(c.statistics().bytes, 3'700U);
  ASSERT_TRUE(c.get("https://h/1"));  // 1 is now the most recently used, 2 the least
  c.put(verb::get, "https://h/4", answer(body));
  EXPECT_FALSE(c.get("https://h/2"));
  EXPECT_TRUE(c.get("https://h/1"));
  EXPECT_TRUE(c.get("https://h/3"));
  EXPECT_TRUE(c.get("https://h/4"));
  EXPECT_EQ(c.statistics().evictions, 1U);

  // Bigger than the whole cache: not stored, nothing evicted.
  EXPECT_FALSE(c.put(verb::get, "https://h/big", answer(std::string(4'000, 'y'))));
  EXPECT_EQ(c.statistics().entries, 3U);
  // One big enough to push out two.
  c.put(verb::get, "https://h/5", answer(std::string(2'000, 'z')));
  EXPECT_EQ(c.statistics().evictions, 3U);
  EXPECT_TRUE(c.get("https://h/5"));
  EXPECT_LE(c.statistics().bytes, 3'700U);
}

TEST(Cache, ReplaceEraseClearPurge) {
  manual_clock t;
  response_cache c{{}, t};
  c.put(verb::get, "https://h/a", answer("1", "max-age=10"));
  auto const one_entry = c.statistics().bytes;
  c.put(verb::get, "https://h/a", answer("2", "max-age=99"));
  EXPECT_EQ(c.statistics().entries, 1U);
  EXPECT_EQ(c.statistics().bytes, one_entry);
  t.advance(50s);
  EXPECT_EQ(c.get("https://h/a")->response->body, "2");
  c.erase("https://h/a");
  EXPECT_FALSE(c.get("https://h/a"));

  c.put(verb::get, "https://h/short", answer("s", "max-age=10"));
  c.put(verb::get, "https://h/long", answer("l", "max-age=100"));
  t.advance(10s);
  EXPECT_EQ(c.purge_expired(), 1U);
  EXPECT_EQ(c.statistics().entries, 1U);
  c.clear();
  EXPECT_EQ(c.statistics().entries, 0U);
  EXPECT_EQ(c.statistics().bytes, 0U);
}

TEST(Cache, HitsShareTheStoredAnswer) {
  manual_clock t;
  response_cache c{{}, t};
  auto stored = answer(std::string(10'000, 'x'));
  ASSERT_TRUE(c.put(verb::get, "https://h/a", stored));
  auto h = c.get("https://h/a");
  EXPECT_EQ(h->response.get(), stored.get());  // no copy of the body per hit
  c.clear();
  EXPECT_EQ(h->response->body.size(), 10'000U);  // still alive for whoever holds it
}

TEST(Cache, AnswersWithAValidatorAreKeptForRevalidation) {
  manual_clock t;
  response_cache c{{}, t};
  http::client_response not_modified;
  not_modified.status = 304;
  not_modified.headers.emplace_back("Cache-Control", "max-age=30");
  // Without a validator, an answer with no lifetime is not kept at all.
  EXPECT_FALSE(c.put(verb::get, "https://h/plain", answer("p", "")));
  EXPECT_FALSE(c.revalidation("https://h/plain"));
  // With one, it is kept, stale from the start, and what a conditional request needs comes back.
  ASSERT_TRUE(c.put(verb::get, "https://h/etag", answer("e", "", 200, {{"ETag", "\"v1\""}})));
  EXPECT_FALSE(c.get("https://h/etag"));
  auto v = c.revalidation("https://h/etag");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->etag, "\"v1\"");
  EXPECT_EQ(v->last_modified, "");
  EXPECT_EQ(v->response->body, "e");
  // A 304 gives it the 304's lifetime: fresh for 30 s, then stale again but still kept.
  auto renewed = c.refresh("https://h/etag", not_modified);
  ASSERT_TRUE(renewed);
  EXPECT_EQ(renewed->expires_in, 30s);
  EXPECT_EQ(c.get("https://h/etag")->response->body, "e");
  EXPECT_EQ(c.fresh_for("https://h/etag"), 30s);
  t.advance(31s);
  EXPECT_FALSE(c.get("https://h/etag"));
  EXPECT_EQ(c.fresh_for("https://h/etag"), 0s);
  ASSERT_TRUE(c.revalidation("https://h/etag"));
  ASSERT_TRUE(c.put(verb::get, "https://h/lm", answer("l", "max-age=5", 200, {{"Last-Modified", "Tue, 1 Dec 2026"}})));
  EXPECT_EQ(c.revalidation("https://h/lm")->last_modified, "Tue, 1 Dec 2026");
  EXPECT_EQ(c.statistics().refreshed, 1U);
  // purge_expired frees them too; nothing stored, nothing to refresh.
  t.advance(10s);
  EXPECT_EQ(c.purge_expired(), 2U);
  EXPECT_FALSE(c.refresh("https://h/etag", not_modified));
}

TEST(Cache, ManyThreads) {
  manual_clock t;
  response_cache c{{.max_bytes = 64 * 1024}, t};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&c, &t, i] {
      for (int n = 0; n < 2'000; ++n) {
        auto url = "https://h/" + std::to_string((n * 7 + i) % 100);
        if (!c.get(url)) c.put(verb::get, url, answer(std::string(500, 'x')));
        if (n % 500 == 0) t.advance(30s);
        if (n % 700 == 0) c.purge_expired();
      }
    });
  }
  for (auto& th : threads) th.join();
  auto s = c.statistics();
  EXPECT_EQ(s.hits + s.misses, 16'000U);
  EXPECT_LE(s.bytes, 64U * 1024U);
  EXPECT_GT(s.evictions, 0U);
}

}  // namespace
}  // namespace overworld::sdk
