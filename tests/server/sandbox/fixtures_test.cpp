// The fixtures recorded without their request: each is asked for the way a client would, and
// comes back with its status and its exact bytes; errors and verifytoken answers, which the
// sandbox writes itself, with the same JSON, type and Cache-Control.
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::sandbox {
namespace {

namespace json = boost::json;
using testing::sandbox_server;

struct recorded {
  char const* file;
  char const* method;
  char const* target;
  char const* body;
};

// What `_responses.json` says of each file (endpoint and status) is checked by the test as well.
constexpr recorded same_bytes[] = {
    {"locations.json", "GET", "/v1/locations", ""},
    {"location_country.json", "GET", "/v1/locations/32000007", ""},
    {"location_region.json", "GET", "/v1/locations/32000000", ""},
    {"rankings_clans.json", "GET", "/v1/locations/32000007/rankings/clans", ""},
    {"rankings_players.json", "GET", "/v1/locations/32000007/rankings/players", ""},
    {"rankings_clans_builder_base.json", "GET", "/v1/locations/32000007/rankings/clans-builder-base", ""},
    {"rankings_players_builder_base.json", "GET", "/v1/locations/32000007/rankings/players-builder-base", ""},
    {"rankings_capitals.json", "GET", "/v1/locations/32000007/rankings/capitals", ""},
    {"leaguetiers.json", "GET", "/v1/leaguetiers", ""},
    {"builderbaseleagues.json", "GET", "/v1/builderbaseleagues", ""},
    {"warleagues.json", "GET", "/v1/warleagues", ""},
    {"capitalleagues.json", "GET", "/v1/capitalleagues", ""},
    {"league_seasons.json", "GET", "/v1/leagues/29000022/seasons", ""},
    {"league_season_rankings.json", "GET", "/v1/leagues/29000022/seasons/2026-02-23", ""},
    {"labels_clans.json", "GET", "/v1/labels/clans", ""},
    {"labels_players.json", "GET", "/v1/labels/players", ""},
    {"goldpass.json", "GET", "/v1/goldpass/seasons/current", ""},
    {"battlelog.json", "GET", "/v1/players/%232PP/battlelog", ""},
    {"leaguehistory.json", "GET", "/v1/players/%232PP/leaguehistory", ""},
    {"ranked_leaguegroup_current.json", "GET", "/v1/leaguegroup/%232PP/1", ""},
    {"currentwar_preparation.json", "GET", "/v1/clans/%23RY8GYCLY/currentwar", ""},
    {"currentwar_inwar.json", "GET", "/v1/clans/%232GPVRU0C0/currentwar", ""},
    {"currentwar_notinwar.json", "GET", "/v1/clans/%2329Y8PRCJR/currentwar", ""},
    {"cwl_leaguegroup.json", "GET", "/v1/clans/%23GYR89PJ9/currentwar/leaguegroup", ""},
    {"cwl_war_ended.json", "GET", "/v1/clanwarleagues/wars/%2382G0JYVGG", ""},
    {"cwl_war_inwar.json", "GET", "/v1/clanwarleagues/wars/%2382GG9LRPG", ""},
    {"cwl_war_preparation.json", "GET", "/v1/clanwarleagues/wars/%2382GJVR0C8", ""},
};

constexpr recorded same_json[] = {
    {"player_notfound_404.json", "GET", "/v1/players/%232PPP", ""},  // message: "Not found with tag 2PPP"
    {"currentwar_private_403.json", "GET", "/v1/clans/%232PP/currentwar", ""},
    {"warlog_private_403.json", "GET", "/v1/clans/%232PP/warlog", ""},
    {"cwl_leaguegroup_notfound_404.json", "GET", "/v1/clans/%232GPVRU0C0/currentwar/leaguegroup", ""},
    {"location_badrequest_400.json", "GET", "/v1/locations/1", ""},
    {"rankings_badrequest_400.json", "GET", "/v1/locations/1/rankings/players", ""},
    {"rankings_region_empty.json", "GET", "/v1/locations/32000000/rankings/players", ""},
    {"leaguetier_badrequest_400.json", "GET", "/v1/leaguetiers/1", ""},
    {"league_badrequest_400.json", "GET", "/v1/warleagues/1", ""},
    {"league_seasons_badrequest_400.json", "GET", "/v1/leagues/29000000/seasons", ""},
    {"verifytoken_ok.json", "POST", "/v1/players/%232PP/verifytoken", R"({"token":"TOKEN"})"},
    {"verifytoken_invalid.json", "POST", "/v1/players/%232PP/verifytoken", R"({"token":"TOKEN-NOT"})"},
};

json::object const& entry_of(json::object const& responses, char const* file) { return responses.at(file).as_object(); }

TEST(SandboxFixtures, EveryRecordedBodyIsServedForItsRequest) {
  sandbox_server s;
  auto const responses = json::parse(testing::read_file(testing::fixtures_dir() / "_responses.json")).as_object();
  for (auto const& f : same_bytes) {
    SCOPED_TRACE(std::string{f.file} + " <- " + f.method + " " + f.target);
    auto const& e = entry_of(responses, f.file);
    EXPECT_TRUE(std::string{e.at("endpoint").as_string()}.starts_with(std::string{f.method} + " "));
    auto const r = s.request(f.method, f.target, testing::test_key, f.body);
    EXPECT_EQ(r.result_int(), e.at("status").as_int64());
    EXPECT_EQ(r.body(), testing::read_file(testing::fixtures_dir() / f.file));
    EXPECT_EQ(r[boost::beast::http::field::content_type], std::string{e.at("headers").at("content-type").as_string()});
  }
}

TEST(SandboxFixtures, ErrorsAndEchoesHaveTheRecordedJson) {
  sandbox_server s;
  auto const responses = json::parse(testing::read_file(testing::fixtures_dir() / "_responses.json")).as_object();
  for (auto const& f : same_json) {
    SCOPED_TRACE(std::string{f.file} + " <- " + f.method + " " + f.target);
    auto const& e = entry_of(responses, f.file);
    auto const r = s.request(f.method, f.target, testing::test_key, f.body);
    EXPECT_EQ(r.result_int(), e.at("status").as_int64());
    auto expected = json::parse(testing::read_file(testing::fixtures_dir() / f.file));
    auto got = json::parse(r.body());
    std::string const file{f.file};
    // The sandbox writes these itself (compact JSON); what names the request differs by design:
    // the tag asked for, the token sent.
    if (file == "player_notfound_404.json") expected.as_object()["message"] = "Not found with tag 2PPP";
    if (file == "verifytoken_invalid.json") expected.as_object()["token"] = "TOKEN-NOT";
    EXPECT_EQ(got, expected);
    EXPECT_EQ(r[boost::beast::http::field::content_type], std::string{e.at("headers").at("content-type").as_string()});
    if (r.result_int() >= 400) {  // errors carry the fixed, malformed value; the rest count down
      EXPECT_EQ(r[boost::beast::http::field::cache_control],
                std::string{e.at("headers").at("cache-control").as_string()});
    }
  }
}

TEST(SandboxFixtures, EveryFixtureIsCovered) {
  // The six recorded with their request are in roundtrip_test.cpp; clan_search.json was recorded
  // without its query, and currentwar_warended.json is a later state of currentwar_inwar.json's
  // clan (the dataset keeps one war per clan; the admin API moves it to warEnded).
  auto const responses = json::parse(testing::read_file(testing::fixtures_dir() / "_responses.json")).as_object();
  std::size_t with_request = 0;
  for (auto const& [file, e] : responses) with_request += e.as_object().at("request_args").is_object() ? 1 : 0;
  EXPECT_EQ(with_request + std::size(same_bytes) + std::size(same_json) + 2, responses.size());
}

}  // namespace
}  // namespace overworld::sandbox
