// Loading recorded responses, and the generator's consistency.
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using testing::sandbox_server;

TEST(SandboxDataset, TagsNormaliseLikeTheClients) {
  EXPECT_EQ(normalize_tag("#2pp"), "#2PP");
  EXPECT_EQ(normalize_tag("2PP"), "#2PP");
  EXPECT_EQ(normalize_tag("#2Oo"), "#200");
  EXPECT_FALSE(normalize_tag("#ABC"));
  EXPECT_FALSE(normalize_tag("#2P"));
  EXPECT_EQ(tag_from_id(0), "#0");
  EXPECT_EQ(tag_from_id(14 * 14 + 3), "#209");
  for (std::uint64_t id : {1000ULL, 123456789ULL, 0x8'0000'0000ULL}) EXPECT_TRUE(normalize_tag(tag_from_id(id)));
}

TEST(SandboxDataset, FixturesAreIndexed) {
  auto const data = testing::fixture_dataset();
  EXPECT_TRUE(data->players.at("#2PP").profile);
  EXPECT_TRUE(data->clans.at("#2PP").profile);
  EXPECT_FALSE(data->clans.at("#2PP").war_log_public);
  EXPECT_EQ(data->clans.at("#2PP").members->items.size(), 13u);  // from its memberList
  EXPECT_EQ(data->clans.at("#29Y8PRCJR").warlog->items.size(), 140u);
  EXPECT_EQ(data->league_tiers->list.items.size(), 35u);
  EXPECT_EQ(data->locations->list.items.size(), 266u);
  EXPECT_GE(data->search_order->size(), 832u);
  EXPECT_EQ(data->cwl_groups.size(), 10u);  // its 8 clans and the 2 of the recorded wars
  EXPECT_EQ(data->cwl_wars.size(), 20u);    // four per scheduled round: one recorded, three made
  EXPECT_TRUE(data->location_is_country->at(32000007));
  EXPECT_FALSE(data->location_is_country->at(32000000));
}

TEST(SandboxDataset, MissingAndBrokenFolders) {
  std::string why;
  EXPECT_FALSE(load_dataset("/nonexistent/sandbox", why));
  auto const dir = std::filesystem::temp_directory_path() / ("sandbox-broken-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream{dir / "player.json"} << "{not json";
  auto const broken = load_dataset(dir, why);
  EXPECT_FALSE(broken);
  EXPECT_NE(why.find("player.json"), std::string::npos);
  std::filesystem::remove(dir / "player.json");
  auto const empty = load_dataset(dir, why);  // a folder with nothing is an empty dataset
  ASSERT_TRUE(empty);
  EXPECT_TRUE((*empty)->players.empty());
  std::filesystem::remove_all(dir);
}

TEST(SandboxDataset, GeneratedClansAreConsistentOverTheWire) {
  auto data = std::make_shared<dataset>();
  generator_options g;
  g.clans = 30;
  g.members_per_clan = 10;
  g.start_time = 1'700'000'000;
  generate_into(*data, g);
  EXPECT_EQ(data->players.size(), 315u);  // and one in twenty between clans
  EXPECT_EQ(data->clans.size(), 30u);
  sandbox_server s{{}, data};

  auto const ranking = json::parse(s.get("/v1/locations/32000007/rankings/players").body()).at("items").as_array();
  ASSERT_EQ(ranking.size(), 200u);  // the top 200
  for (std::size_t i = 1; i < ranking.size(); ++i) {
    EXPECT_GE(ranking[i - 1].at("trophies").as_int64(), ranking[i].at("trophies").as_int64());
    EXPECT_EQ(ranking[i].at("rank").as_int64(), static_cast<std::int64_t>(i + 1));
  }
  auto const clans = json::parse(s.get("/v1/locations/32000007/rankings/clans").body()).at("items").as_array();
  ASSERT_EQ(clans.size(), 30u);
  for (std::size_t i = 1; i < clans.size(); ++i) {
    EXPECT_GE(clans[i - 1].at("clanPoints").as_int64(), clans[i].at("clanPoints").as_int64());
  }
  // Every member of a clan points back to it, and the clan lists it.
  std::string const clan_tag{clans[0].at("tag").as_string()};
  auto const members = json::parse(s.get("/v1/clans/" + http::percent_encode(clan_tag) + "/members").body());
  ASSERT_EQ(members.at("items").as_array().size(), 10u);
  for (auto const& m : members.at("items").as_array()) {
    auto const player =
        json::parse(s.get("/v1/players/" + http::percent_encode(std::string{m.at("tag").as_string()})).body());
    EXPECT_EQ(player.at("clan").at("tag").as_string(), clan_tag);
    EXPECT_EQ(player.at("trophies"), m.at("trophies"));
  }
  auto const clan = json::parse(s.get("/v1/clans/" + http::percent_encode(clan_tag)).body());
  EXPECT_EQ(clan.at("members").as_int64(), 10);
  // Searchable by name, and the same seed gives the same data.
  auto const found = json::parse(s.get("/v1/clans?name=sandbox%20clan&limit=100").body()).at("items").as_array();
  EXPECT_EQ(found.size(), 30u);
  auto again = std::make_shared<dataset>();
  generate_into(*again, g);
  EXPECT_EQ(*again->clans.at(clan_tag).profile, *data->clans.at(clan_tag).profile);
}

}  // namespace
}  // namespace overworld::sandbox
