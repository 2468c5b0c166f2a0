// Every recorded success body decodes into the model of its endpoint (mapped through
// _responses.json) and comes back from to_json with nothing lost; cut-short bodies are errors.
#include "server/sandbox/support.hpp"

#include <overworld/coc/models/decode.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <functional>
#include <map>

namespace overworld::coc {
namespace {

namespace json = boost::json;
using sandbox::testing::fixtures_dir;
using sandbox::testing::read_file;

/// Decodes with the model and writes it back; the error message on failure.
using codec = std::function<api_result<std::string>(std::string_view)>;

template <class T>
codec codec_for() {
  return [](std::string_view body) -> api_result<std::string> {
    auto decoded = decode<T>(body);
    if (!decoded) return api_result<std::string>{boost::system::in_place_error, decoded.error()};
    EXPECT_EQ(decoded->raw.text(), body);
    return to_json(*decoded);
  };
}

// The endpoint of each fixture (as _responses.json spells it, query and method left out) and the
// model it decodes into.
std::map<std::string, codec, std::less<>> const& codecs() {
  static std::map<std::string, codec, std::less<>> const table{
      {"/players/{playerTag}", codec_for<player>()},
      {"/players/{playerTag}/verifytoken", codec_for<token_verification>()},
      {"/players/{playerTag}/battlelog", codec_for<list<battle_log_entry>>()},
      {"/players/{playerTag}/leaguehistory", codec_for<list<league_history_entry>>()},
      {"/clans", codec_for<list<clan>>()},
      {"/clans/{clanTag}", codec_for<clan>()},
      {"/clans/{clanTag}/members", codec_for<list<clan_member>>()},
      {"/clans/{clanTag}/warlog", codec_for<list<war_log_entry>>()},
      {"/clans/{clanTag}/currentwar", codec_for<clan_war>()},
      {"/clans/{clanTag}/currentwar/leaguegroup", codec_for<war_league_group>()},
      {"/clanwarleagues/wars/{warTag}", codec_for<clan_war>()},
      {"/clans/{clanTag}/capitalraidseasons", codec_for<list<raid_season>>()},
      {"/leaguetiers", codec_for<list<league_tier>>()},
      {"/leagues", codec_for<list<league>>()},
      {"/leagues/29000022/seasons", codec_for<list<league_season>>()},
      {"/leagues/29000022/seasons/{seasonId}", codec_for<list<player_ranking>>()},
      {"/leaguegroup/{leagueGroupTag}/{leagueSeasonId}", codec_for<ranked_league_group>()},
      {"/warleagues", codec_for<list<war_league>>()},
      {"/capitalleagues", codec_for<list<capital_league>>()},
      {"/builderbaseleagues", codec_for<list<builder_base_league>>()},
      {"/locations", codec_for<list<location>>()},
      {"/locations/{locationId}", codec_for<location>()},
      {"/locations/{locationId}/rankings/clans", codec_for<list<clan_ranking>>()},
      {"/locations/{locationId}/rankings/players", codec_for<list<player_ranking>>()},
      {"/locations/{regionId}/rankings/players", codec_for<list<player_ranking>>()},
      {"/locations/{locationId}/rankings/clans-builder-base", codec_for<list<clan_ranking>>()},
      {"/locations/{locationId}/rankings/players-builder-base", codec_for<list<player_ranking>>()},
      {"/locations/{locationId}/rankings/capitals", codec_for<list<clan_ranking>>()},
      {"/goldpass/seasons/current", codec_for<gold_pass_season>()},
      {"/labels/clans", codec_for<list<label>>()},
      {"/labels/players", codec_for<list<label>>()},
  };
  return table;
}

struct fixture {
  std::string file;
  std::string endpoint;  ///< path only
  std::string body;
};

/// The fixtures whose recorded status is 2xx.
std::vector<fixture> success_fixtures() {
  auto const index = json::parse(read_file(fixtures_dir() / "_responses.json")).as_object();
  std::vector<fixture> out;
  for (auto const& [file, entry] : index) {
    auto const status = entry.at("status").to_number<int>();
    if (status < 200 || status >= 300) continue;
    std::string endpoint{entry.at("endpoint").as_string()};
    endpoint = endpoint.substr(endpoint.find(' ') + 1);           // "GET /clans?name=…" → path
    endpoint = endpoint.substr(0, endpoint.find_first_of("? "));  // no query, no remark
    out.push_back({std::string{file}, std::move(endpoint), read_file(fixtures_dir() / std::string{file})});
  }
  return out;
}

TEST(coc_models, EveryRecordedSuccessBodyDecodesAndRoundTrips) {
  auto const fixtures = success_fixtures();
  ASSERT_GE(fixtures.size(), 35U);
  for (auto const& f : fixtures) {
    auto const it = codecs().find(f.endpoint);
    ASSERT_NE(it, codecs().end()) << f.file << ": no model for " << f.endpoint;
    auto written = it->second(f.body);
    ASSERT_TRUE(written) << f.file << ": " << written.error().message;
    json::error_code ec;
    auto const back = json::parse(*written, ec);
    ASSERT_FALSE(ec) << f.file << ": to_json wrote invalid JSON: " << written->substr(0, 300);
    EXPECT_EQ(back, json::parse(f.body)) << f.file << " lost or changed a field";
  }
}

TEST(coc_models, CutShortBodiesAreDecodeErrors) {
  for (auto const& f : success_fixtures()) {
    auto const& round_trip = codecs().find(f.endpoint)->second;
    // Every 97th byte of the first 16 KiB, then about 40 cuts spread over the rest (parsing
    // cost grows with the cut, and the big lists are a megabyte).
    std::vector<std::size_t> cuts;
    for (std::size_t at = 0; at < f.body.size() && at < 16384; at += 97) cuts.push_back(at);
    if (f.body.size() > 16384) {
      for (std::size_t at = 16384; at < f.body.size(); at += std::max<std::size_t>(97, f.body.size() / 40)) {
        cuts.push_back(at);
      }
    }
    for (auto at : cuts) {
      auto r = round_trip(std::string_view{f.body}.substr(0, at));
      ASSERT_FALSE(r) << f.file << " cut at " << at << " decoded";
      EXPECT_EQ(r.error().kind, error_kind::decode);
      EXPECT_NE(r.error().message.find("cannot decode"), std::string::npos) << r.error().message;
    }
  }
}

}  // namespace
}  // namespace overworld::coc
