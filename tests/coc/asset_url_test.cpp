// Badge and icon URLs (coc::asset_url): one copy per process of each URL the answers repeat, the
// value semantics users rely on, and the store's bound against answers that send ever new URLs.
#include <overworld/coc/models/decode.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace overworld::coc {
namespace {

std::string icon(int n) {
  return "https://api-assets.clashofclans.com/leagues/72/test-" + std::to_string(n) +
         "-R2zmhyqQ0_lKcDR5EyghXCxgyC9mm_mVMIjAbmGoZtw.png";
}

using members = list<clan_member>;

/// GET /clans/{tag}/members with one member whose league icons are `url`.
std::string member_with_league(std::string const& url) {
  return R"({"items":[{"tag":"#2PP","name":"a","role":"member","expLevel":1,"league":{"id":29000022,)"
         R"("name":"Legend League","iconUrls":{"small":")" +
         url + R"(","tiny":")" + url +
         R"("}},"trophies":5000,"clanRank":1,"previousClanRank":1,"donations":0,"donationsReceived":0}]})";
}

asset_url const& small_icon(members const& m) { return *m.items.at(0).league->icon_urls->small; }

bool store_has_room() { return asset_url_store_size() + (std::size_t{128} << 10) < asset_url_store_limit; }

TEST(coc_asset_url, TheSameUrlInTwoAnswersIsOneCopy) {
  if (!store_has_room()) GTEST_SKIP() << "the store was filled by the flood test of this process";
  auto const url = icon(1);
  auto a = decode<members>(member_with_league(url));
  auto b = decode<members>(member_with_league(url));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  auto const& first = small_icon(*a);
  auto const& second = small_icon(*b);
  EXPECT_EQ(first, url);
  EXPECT_TRUE(first.shared());
  EXPECT_EQ(first.data(), second.data());
  EXPECT_EQ(first.data(), a->items.at(0).league->icon_urls->tiny->data());
  EXPECT_EQ(asset_url{url}.data(), first.data());
}

TEST(coc_asset_url, BehavesAsAValue) {
  asset_url const a{icon(2)};
  asset_url copy = a;
  asset_url moved = std::move(copy);
  EXPECT_EQ(moved, a);
  EXPECT_EQ(a, icon(2));
  EXPECT_EQ(icon(2), a);
  EXPECT_NE(a, asset_url{icon(3)});
  EXPECT_EQ(a.str(), icon(2));
  EXPECT_EQ(std::string_view{a}, icon(2));
  std::ostringstream out;
  out << a;
  EXPECT_EQ(out.str(), icon(2));
  asset_url const none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.shared());
  EXPECT_EQ(none, "");
}

TEST(coc_asset_url, ALongUrlIsKeptByItsValue) {
  std::string const url = "https://api-assets.clashofclans.com/" + std::string(asset_url_max_shared, 'x') + ".png";
  auto m = decode<members>(member_with_league(url));
  ASSERT_TRUE(m) << m.error().message;
  auto const& small = small_icon(*m);
  EXPECT_EQ(small, url);
  EXPECT_FALSE(small.shared());
  auto copy = small;
  EXPECT_EQ(copy.data(), small.data());  // a copy shares the value's own bytes
  auto again = decode<members>(to_json(*m));
  ASSERT_TRUE(again);
  EXPECT_EQ(small_icon(*again), url);
}

TEST(coc_asset_url, EscapedUrlsDecodeUnescapedAndWriteBack) {
  auto m = decode<members>(member_with_league(R"(https:\/\/example.com\/caf\u00e9 \"x\".png)"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(small_icon(*m), "https://example.com/caf\xc3\xa9 \"x\".png");
  auto again = decode<members>(to_json(*m));
  ASSERT_TRUE(again);
  EXPECT_EQ(small_icon(*again), small_icon(*m));
}

TEST(coc_asset_url, ThreadsDecodingTheSameUrlsShareThem) {
  if (!store_has_room()) GTEST_SKIP() << "the store was filled by the flood test of this process";
  std::vector<std::vector<char const*>> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 100; i < 400; ++i) seen[t].push_back(asset_url{icon(i)}.data());
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t t = 1; t < seen.size(); ++t) EXPECT_EQ(seen[t], seen[0]);
}

// Answers that send a new URL every time (a hostile or broken server): the store stops at its
// limit, every value still holds its URL, and URLs stored before are still found.
TEST(coc_asset_url_flood, TheStoreStopsAtItsLimitAndValuesStayWhole) {
  asset_url const early{icon(1'000'000)};
  std::size_t kept_by_value = 0;
  int const urls = static_cast<int>(asset_url_store_limit / 100) + 10'000;
  for (int i = 0; i < urls; ++i) {
    auto m = decode<members>(member_with_league(icon(2'000'000 + i)));
    ASSERT_TRUE(m) << m.error().message;
    auto const& small = small_icon(*m);
    ASSERT_EQ(small, icon(2'000'000 + i));
    if (!small.shared()) ++kept_by_value;
  }
  EXPECT_LE(asset_url_store_size(), asset_url_store_limit);
  EXPECT_GT(asset_url_store_size(), asset_url_store_limit - (std::size_t{64} << 10) - 1024);
  EXPECT_GT(kept_by_value, 0U);
  asset_url const again{icon(1'000'000)};
  if (early.shared()) {
    EXPECT_TRUE(again.shared());
    EXPECT_EQ(again.data(), early.data());
  }
  asset_url const late{icon(9'000'000)};
  EXPECT_FALSE(late.shared());
  EXPECT_EQ(late, icon(9'000'000));
}

}  // namespace
}  // namespace overworld::coc
