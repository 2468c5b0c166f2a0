// Wire formats against the recorded fixtures in tests/data/toon and the API notes.
#include "support.hpp"
#include "support/data.hpp"

#include <overworld/server/world/snapshot.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace overworld::world {
namespace {

std::string fixture(std::string const& name) {
  return overworld::testing::read_data_file(overworld::testing::toon_fixtures_dir() / name);
}

/// Compact form of a JSON document, keys in their original order.
std::string compact(std::string const& json) { return boost::json::serialize(boost::json::parse(json)); }

clock::wall_time at(std::int64_t unix) { return clock::wall_time{std::chrono::seconds{unix}}; }

/// Reports each district at its own time, as a district server would, then collects at `now`.
struct scenario {
  manual_clock time{at(0)};
  tracker t{tracker_options{std::chrono::hours{1}, std::chrono::hours{2}, std::chrono::minutes{5}}, time};
  void report_at(std::int64_t unix, std::string const& name, district_report const& r) {
    time.set(at(unix));
    t.apply(name, r);
  }
  std::string body(endpoint e, std::int64_t now, game_status const& g = {}) {
    time.set(at(now));
    auto snap = build_snapshot(t.collect(), g, time.now(), time.steady_now(), nullptr);
    return *snap->get(e).body;
  }
};

using testing::make_invasion;

TEST(TtccFormat, DistrictsJsMatchesTheRealCaptureByteForByte) {
  // ttcc_districts_2020-05-21_corporateclashstatus.json: 4 districts, Big Fish and Legal Eagle.
  scenario s;
  std::int64_t const now = 1590104530;
  district_report bamboozle{53, district_status::online, make_invasion("Flunky", 625, 1000, 1590100000)};
  s.report_at(1590104000, "Bamboozle Bay", bamboozle);  // an earlier invasion left 625 defeated
  s.report_at(1590104527, "Bamboozle Bay", district_report{53, district_status::online, std::nullopt});
  auto big_fish = make_invasion("Big Fish", 54, 3745, 1590100000);
  big_fish.ends_at = now + 1383;
  s.report_at(1590104529, "Comical Canyon", district_report{43, district_status::online, big_fish});
  s.report_at(1590104000, "Kazoo Kanyon",
              district_report{53, district_status::online, make_invasion("Yesman", 4928, 5000, 1590100000)});
  s.report_at(1590104530, "Kazoo Kanyon", district_report{53, district_status::online, std::nullopt});
  auto eagle = make_invasion("Legal Eagle", 343, 1001, 1590100000);
  eagle.ends_at = now + 1421;
  s.report_at(1590104521, "Foghorn Falls", district_report{54, district_status::online, eagle});

  std::string const ours = s.body(endpoint::ttcc_districts_js, now);
  auto const theirs = boost::json::parse(fixture("ttcc_districts_2020-05-21_corporateclashstatus.json")).as_array();
  // The capture lists districts in the game's order; ours is by name. Compare each object's bytes.
  auto const mine = boost::json::parse(ours).as_array();
  ASSERT_EQ(mine.size(), theirs.size());
  for (auto const& want : theirs) {
    bool found = false;
    for (auto const& got : mine) {
      if (got.as_object().at("name") == want.as_object().at("name")) {
        found = true;
        // Kazoo Kanyon's last report was at ...530 in our scenario, ...530 in the capture too.
        EXPECT_EQ(boost::json::serialize(got), boost::json::serialize(want));
      }
    }
    EXPECT_TRUE(found) << want;
  }
}

TEST(TtccFormat, DistrictsV1MatchesTheFirstDocumentedShape) {
  // ttcc_districts_2018-07-13: no "online" field; booleans and integers as in real data.
  scenario s;
  s.report_at(1531460716, "Kooky Ville", district_report{7, district_status::online, std::nullopt});
  auto tele = make_invasion("Telemarketer", 6, 1000, 1531461000);
  tele.ends_at = 1531462136 + 754;
  s.report_at(1531462136, "Wacky Ville", district_report{0, district_status::online, tele});
  std::string const ours = s.body(endpoint::ttcc_districts_v1, 1531462136);
  EXPECT_EQ(ours,
            compact(fixture("doc-examples/ttcc_districts_2018-07-13_api-docs-first-version_no-online-field.json")));
}

TEST(TtccFormat, DistrictsJsMatchesThe2022Docs) {
  scenario s;
  s.report_at(1651361858, "Cupcake Cove", district_report{39, district_status::online, std::nullopt});
  auto middleman = make_invasion("Middleman", 180, 4913, 1651360000);
  middleman.ends_at = 1651361858 + 2082;
  s.report_at(1651361858, "Kazoo Kanyon", district_report{37, district_status::online, middleman});
  EXPECT_EQ(s.body(endpoint::ttcc_districts_js, 1651361858),
            compact(fixture("doc-examples/ttcc_districts_2022-04-30_apidocs.json")));
}

TEST(TtccFormat, GameInfoMatchesThe2022Docs) {
  scenario s;
  s.report_at(1651361858, "A", district_report{383, district_status::online, std::nullopt});
  game_status g{true, "We're performing maintenance", "v1.2.7.9"};
  EXPECT_EQ(s.body(endpoint::ttcc_game_info, 1651361858, g),
            compact(fixture("doc-examples/ttcc_game_info_2022-08-08_apidocs.json")));
  g.open = false;
  auto const closed = boost::json::parse(s.body(endpoint::ttcc_game_info, 1651361858, g)).as_object();
  EXPECT_EQ(closed.at("production_closed"), true);
}

TEST(TtrFormat, InvasionsMatchTheRealCapture) {
  // ttr_invasions-object-only_2021-09-20_pytoontown.json holds the `invasions` member only.
  scenario s;
  s.report_at(1632146642, "Splashport",
              district_report{100, district_status::online, make_invasion("Yesman", 1820, 4000, 1632140000)});
  s.report_at(1632146654, "Whoosh Rapids",
              district_report{100, district_status::online, make_invasion("Double Talker", 1803, 4000, 1632140000)});
  s.report_at(1632146654, "Hiccup Hills",
              district_report{100, district_status::online, make_invasion("Micromanager", 4590, 8000, 1632140000)});
  s.report_at(1632146650, "Quiet Place", district_report{5, district_status::online, std::nullopt});
  std::string const body = s.body(endpoint::ttr_invasions, 1632146660);
  auto const doc = boost::json::parse(body).as_object();
  EXPECT_TRUE(doc.at("error").is_null());
  EXPECT_EQ(doc.at("lastUpdated"), 1632146660);
  EXPECT_EQ(doc.at("invasions"), boost::json::parse(fixture("ttr_invasions-object-only_2021-09-20_pytoontown.json")));
  // Field order inside an invasion as on the wire: asOf, type, progress; compact, no spaces.
  EXPECT_NE(body.find(R"("Splashport":{"asOf":1632146642,"type":"Yesman","progress":"1820/4000"})"), std::string::npos);
  EXPECT_EQ(body, compact(body));
}

TEST(TtrFormat, TypeNamesSkelecogV2AndMega) {
  scenario s;
  auto skel = make_invasion("Flunky", 1, 10, 1700000000);
  skel.skelecog = true;
  auto v2 = make_invasion("Flunky", 1, 10, 1700000000);
  v2.v2 = true;
  auto mega = make_invasion("Tele\x03marketer", 123, 1'000'000, 1700000000);
  mega.cog = strip_soft_breaks(mega.cog);
  mega.mega = true;
  s.report_at(1700000001, "A", district_report{1, district_status::online, skel});
  s.report_at(1700000001, "B", district_report{1, district_status::online, v2});
  s.report_at(1700000001, "C", district_report{1, district_status::online, mega});
  auto const inv =
      boost::json::parse(s.body(endpoint::ttr_invasions, 1700000002)).as_object().at("invasions").as_object();
  EXPECT_EQ(inv.at("A").at("type"), "Flunky (Skelecog)");
  EXPECT_EQ(inv.at("B").at("type"), "Version 2.0 Flunky");
  EXPECT_EQ(inv.at("C").at("type"), "Telemarketer");
  EXPECT_EQ(inv.at("C").at("progress"), "0/1000000");
  EXPECT_EQ(inv.at("A").at("progress"), "1/10");
}

TEST(TtrFormat, PopulationAndStatus) {
  scenario s;
  s.report_at(1700000000, "Boingy Acres", district_report{120, district_status::online, std::nullopt});
  s.report_at(1700000000, "Acrylic Acres", district_report{30, district_status::draining, std::nullopt});
  auto const pop = boost::json::parse(s.body(endpoint::ttr_population, 1700000005)).as_object();
  EXPECT_EQ(pop.at("totalPopulation"), 150);
  EXPECT_EQ(pop.at("populationByDistrict").at("Boingy Acres"), 120);
  EXPECT_EQ(pop.at("statusByDistrict").at("Acrylic Acres"), "draining");
  EXPECT_TRUE(pop.at("error").is_null());
  EXPECT_EQ(pop.at("lastUpdated"), 1700000005);
  // Both maps list districts in the same order (clients zip them).
  auto const& a = pop.at("populationByDistrict").as_object();
  auto const& b = pop.at("statusByDistrict").as_object();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ((a.begin() + static_cast<long>(i))->key(), (b.begin() + static_cast<long>(i))->key());

  EXPECT_EQ(s.body(endpoint::ttr_status, 1700000005), R"({"open":true})");
  EXPECT_EQ(s.body(endpoint::ttr_status, 1700000005, game_status{false, "Back \"soon\"", ""}),
            R"({"open":false,"banner":"Back \"soon\""})");
}

TEST(V2Format, SeparateFieldsRateAndEstimatedEnd) {
  scenario s;
  s.report_at(1700000000, "Zapwood",
              district_report{10, district_status::online, make_invasion("Loan Shark", 100, 1100, 1699999000)});
  s.time.advance(std::chrono::minutes{2});
  s.report_at(1700000120, "Zapwood",
              district_report{10, district_status::online, make_invasion("Loan Shark", 300, 1100, 1699999000)});
  auto const doc = boost::json::parse(s.body(endpoint::v2_invasions, 1700000120)).as_object();
  auto const& inv = doc.at("invasions").as_array().at(0).as_object();
  EXPECT_EQ(inv.at("cog"), "Loan Shark");
  EXPECT_EQ(inv.at("department"), "cashbot");
  EXPECT_EQ(inv.at("skelecog"), false);
  EXPECT_EQ(inv.at("v2"), false);
  EXPECT_EQ(inv.at("mega"), false);
  EXPECT_EQ(inv.at("startedAt"), 1699999000);
  EXPECT_DOUBLE_EQ(inv.at("defeatRate").to_number<double>(), 100.0);  // 200 cogs in 2 minutes
  EXPECT_EQ(inv.at("estimatedEnd"), 1700000120 + 8 * 60);             // 800 left at 100/min
  EXPECT_TRUE(std::string_view{inv.at("id").as_string()}.starts_with("i-"));
  auto const districts = boost::json::parse(s.body(endpoint::v2_districts, 1700000120)).as_object();
  EXPECT_EQ(std::string_view{districts.at("districts").as_array().at(0).at("id").as_string()}, district_id("Zapwood"));
  EXPECT_EQ(districts.at("districts").as_array().at(0).at("invasion").at("id"), inv.at("id"));
}

}  // namespace
}  // namespace overworld::world
