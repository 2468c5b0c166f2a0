// Text the game defines (coc::game_text): badge and icon URLs and achievements' texts, one copy per
// process of each text the answers repeat, the value semantics users rely on, and the store's
// bound against answers that send ever new texts.
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

bool store_has_room() { return game_text_store_size() + (std::size_t{128} << 10) < game_text_store_limit; }

TEST(coc_game_text, TheSameUrlInTwoAnswersIsOneCopy) {
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

/// GET /players/{tag} with one achievement.
std::string player_with_achievement(std::string_view info) {
  return R"({"tag":"#2PP","name":"a","townHallLevel":9,"expLevel":1,"trophies":1,"bestTrophies":1,)"
         R"("warStars":0,"attackWins":0,"defenseWins":0,"achievements":[{"name":"Bigger & Better Coffers",)"
         R"("stars":1,"value":5,"target":10,"info":")" +
         std::string{info} + R"(","completionInfo":null,"village":"home"}]})";
}

TEST(coc_game_text, AchievementTextsOfTwoPlayersAreOneCopy) {
  if (!store_has_room()) GTEST_SKIP() << "the store was filled by the flood test of this process";
  std::string const info = "Upgrade Town Hall to level 8 (test " + std::to_string(__LINE__) + ")";
  auto a = decode<player>(player_with_achievement(info));
  auto b = decode<player>(player_with_achievement(info));
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  auto const& first = a->achievements->at(0);
  auto const& second = b->achievements->at(0);
  EXPECT_EQ(first.name, "Bigger & Better Coffers");
  EXPECT_EQ(*first.info, info);
  EXPECT_EQ(first.info->data(), second.info->data());
  EXPECT_EQ(first.name.data(), second.name.data());
  EXPECT_FALSE(first.completion_info);
  EXPECT_NE(to_json(*a).find(R"("info":")" + info + "\""), std::string::npos);
}

TEST(coc_game_text, BehavesAsAValue) {
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

TEST(coc_game_text, ALongUrlIsKeptByItsValue) {
  std::string const url = "https://api-assets.clashofclans.com/" + std::string(game_text_max_shared, 'x') + ".png";
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

TEST(coc_game_text, EscapedUrlsDecodeUnescapedAndWriteBack) {
  auto m = decode<members>(member_with_league(R"(https:\/\/example.com\/caf\u00e9 \"x\".png)"));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(small_icon(*m), "https://example.com/caf\xc3\xa9 \"x\".png");
  auto again = decode<members>(to_json(*m));
  ASSERT_TRUE(again);
  EXPECT_EQ(small_icon(*again), small_icon(*m));
}

TEST(coc_game_text, ThreadsDecodingTheSameUrlsShareThem) {
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
TEST(coc_game_text_flood, TheStoreStopsAtItsLimitAndValuesStayWhole) {
  asset_url const early{icon(1'000'000)};
  std::size_t kept_by_value = 0;
  int const urls = static_cast<int>(game_text_store_limit / 100) + 10'000;
  for (int i = 0; i < urls; ++i) {
    auto m = decode<members>(member_with_league(icon(2'000'000 + i)));
    ASSERT_TRUE(m) << m.error().message;
    auto const& small = small_icon(*m);
    ASSERT_EQ(small, icon(2'000'000 + i));
    if (!small.shared()) ++kept_by_value;
  }
  EXPECT_LE(game_text_store_size(), game_text_store_limit);
  EXPECT_GT(game_text_store_size(), game_text_store_limit - (std::size_t{64} << 10) - 1024);
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
