// `overworld ttr …` against overworld's world service (invasions, population, status) and a
// server answering the documented shapes of TTR's other endpoints: tables and --json.
#include "cli/support.hpp"
#include "cli/world_support.hpp"

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

struct cli_ttr : ::testing::Test {
  world_server world{world::game_status{.open = false, .banner = "Back after the update", .version = "v9"}};

  void SetUp() override {
    world.report("Boingy Acres",
                 R"({"population":42,"invasion":{"cog":"Flunky","defeated":10,"total":100,"started_at":1699999990}})");
    world.report("Zoink Falls", R"({"population":7})");
    world.publish();
  }
  std::vector<std::string> ttr(std::vector<std::string> args, bool as_json = false) {
    std::vector<std::string> all{"--base-url", world.url()};
    if (as_json) all.push_back("--json");
    all.push_back("ttr");
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
};

TEST_F(cli_ttr, InvasionsTableAndJson) {
  auto const as_json = run(ttr({"invasions"}, true));
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(world.get("/api/invasions")));

  auto const table = run(ttr({"invasions"}));
  ASSERT_EQ(table.code, 0) << table.err;
  auto const row = line_starting(table.out, "Boingy Acres");
  EXPECT_NE(row.find("Flunky"), std::string::npos) << table.out;
  EXPECT_NE(row.find("Bossbot"), std::string::npos) << table.out;
  EXPECT_NE(row.find("10/100"), std::string::npos) << table.out;
  EXPECT_NE(row.find("10.0%"), std::string::npos) << table.out;
  EXPECT_EQ(line_starting(table.out, "Zoink Falls"), "") << "no invasion there";
  // TTR's snapshot has no end for an invasion: no column that is always empty.
  EXPECT_EQ(lines(table.out).at(0).find("Ends"), std::string::npos) << table.out;
}

TEST_F(cli_ttr, DoodlesFromTheDistrictsReports) {
  world.report("Boingy Acres",
               R"({"population":42,"invasion":{"cog":"Flunky","defeated":10,"total":100,"started_at":1699999990},)"
               R"("doodles":{"Toontown Central":[{"dna":"dl0123abcd","traits":["Rarely Tired","Always Playful"],)"
               R"("cost":245}],"Donald's Dock":[{"dna":"dl9876","traits":[],"cost":1}]}})");
  world.publish();
  auto const as_json = run(ttr({"doodles"}, true));
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(world.get("/api/doodles")));
  auto const table = run(ttr({"doodles"}));
  ASSERT_EQ(table.code, 0) << table.err;
  auto const row = line_starting(table.out, "Boingy Acres");
  EXPECT_NE(row.find("Toontown Central"), std::string::npos) << table.out;
  EXPECT_NE(row.find("Rarely Tired, Always Playful"), std::string::npos) << table.out;
  EXPECT_NE(row.find("245"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Donald's Dock"), std::string::npos) << table.out;
}

TEST_F(cli_ttr, PopulationAndStatus) {
  auto const as_json = run(ttr({"population"}, true));
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  auto const served = json::parse(world.get("/api/population"));
  EXPECT_EQ(json::parse(as_json.out), served);

  auto const table = run(ttr({"population"}));
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(line_starting(table.out, "Boingy Acres").find("42"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "Boingy Acres").find("online"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "Total").find(to_text(served.at("totalPopulation"))), std::string::npos)
      << table.out;

  auto const status_json = run(ttr({"status"}, true));
  ASSERT_EQ(status_json.code, 0) << status_json.err;
  EXPECT_EQ(json::parse(status_json.out), json::parse(world.get("/api/status")));
  auto const status = run(ttr({"status"}));
  EXPECT_NE(line_starting(status.out, "Open").find("no"), std::string::npos) << status.out;
  EXPECT_NE(line_starting(status.out, "Banner").find("Back after the update"), std::string::npos) << status.out;
}

// TTR's field offices, Silly Meter and news as its documentation shapes them.
struct cli_ttr_documents : ::testing::Test {
  http::testing::running_server server;
  std::string const field_offices =
      R"({"lastUpdated":1700000000,"fieldOffices":{"3100":{"department":"s","difficulty":1,"annexes":4,"open":true,"expiring":null},)"
      R"("5200":{"department":"s","difficulty":0,"annexes":0,"open":false,"expiring":1700000600}}})";
  std::string const silly_meter =
      R"({"state":"Active","hp":1234567,"rewards":["Double Jellybeans","Speedy Garden Growth","Doodle Trick Boost"],)"
      R"("rewardDescriptions":["Earn double jellybeans","Gardens grow faster","Doodles learn faster"],"winner":null,)"
      R"("rewardPoints":[100,200,300],"nextUpdateTimestamp":1700003600,"asOf":1700000000})";
  std::string const post =
      R"({"postId":77,"title":"Silly & Serious","author":"Toon Council","body":"<p>First <b>line</b>.</p><p>Second line &amp; more.</p>",)"
      R"("date":"June 15, 2025 at 12:00 PM","image":"https://cdn.example/news.png"})";
  std::string const list =
      R"([{"postId":77,"title":"Silly & Serious","author":"Toon Council","body":"<p>x</p>","date":"June 15, 2025 at 12:00 PM","image":""},)"
      R"({"postId":76,"title":"Older","author":"Flippy","body":"<p>y</p>","date":"June 1, 2025 at 9:30 AM","image":""}])";

  // Names that are wider or narrower on a terminal than in bytes, and one that tries to recolour it.
  std::string const population =
      R"({"lastUpdated":1700000000,"totalPopulation":370,"populationByDistrict":{"東京":12,"Abcd":345,"Ωmega":6,"Bad\u001b[31mName":7},)"
      R"("statusByDistrict":{"東京":"online","Abcd":"draining","Ωmega":"closed","Bad\u001b[31mName":"online"},"error":null})";

  void SetUp() override {
    auto const fixed = [](std::string body) {
      return http::sync_handler{[body](http::request const&) { return http::response::json(200, body); }};
    };
    server.routes->get("/api/fieldoffices", fixed(field_offices));
    server.routes->get("/api/sillymeter", fixed(silly_meter));
    server.routes->get("/api/news", fixed(post));
    server.routes->get("/api/news/list", fixed(list));
    server.routes->get("/api/news/77", fixed(post));
    server.routes->get("/api/news/5", fixed("null"));
    server.routes->get("/api/population", fixed(population));
    server.routes->get("/api/status", [](http::request const&) {
      auto r = http::response::json(200, R"({"open":true})");
      // Far later than the command's --timeout; an answer that came through would exit 0.
      r.delay = std::chrono::seconds{3};
      return r;
    });
    server.start();
  }
  run_result ttr(std::vector<std::string> args, bool as_json = false) {
    std::vector<std::string> all{"--base-url", "http://127.0.0.1:" + std::to_string(server.port())};
    if (as_json) all.push_back("--json");
    all.push_back("ttr");
    all.insert(all.end(), args.begin(), args.end());
    return run(all);
  }
};

TEST_F(cli_ttr_documents, FieldOffices) {
  auto const as_json = ttr({"fieldoffices"}, true);
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(field_offices));
  auto const table = ttr({"fieldoffices"});
  ASSERT_EQ(table.code, 0) << table.err;
  auto const walrus = line_starting(table.out, "3100");
  EXPECT_NE(walrus.find("Walrus Way"), std::string::npos) << table.out;
  EXPECT_NE(walrus.find("Sellbot"), std::string::npos) << table.out;
  EXPECT_NE(walrus.find("yes"), std::string::npos) << table.out;
  // Difficulty is zero-indexed on the wire: 1 is two stars.
  EXPECT_NE(walrus.find("  2  "), std::string::npos) << walrus;
  EXPECT_NE(line_starting(table.out, "5200").find("Maple Street"), std::string::npos) << table.out;
}

TEST_F(cli_ttr_documents, SillyMeter) {
  auto const as_json = ttr({"sillymeter"}, true);
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(silly_meter));
  auto const table = ttr({"sillymeter"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(line_starting(table.out, "State").find("Active"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "Points").find("1234567"), std::string::npos) << table.out;
  auto const team = line_starting(table.out, "Speedy Garden Growth");
  EXPECT_NE(team.find("Gardens grow faster"), std::string::npos) << table.out;
  EXPECT_NE(team.find("200"), std::string::npos) << table.out;
}

TEST_F(cli_ttr_documents, News) {
  auto const newest = ttr({"news"}, true);
  ASSERT_EQ(newest.code, 0) << newest.err;
  EXPECT_EQ(json::parse(newest.out), json::parse(post));
  auto const table = ttr({"news"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(line_starting(table.out, "Title").find("Silly & Serious"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("First line.\nSecond line & more."), std::string::npos) << "HTML as text\n" << table.out;
  EXPECT_EQ(table.out.find("<p>"), std::string::npos);

  EXPECT_EQ(json::parse(ttr({"news", "77"}, true).out), json::parse(post));
  auto const listed = ttr({"news", "--list"}, true);
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out), json::parse(list));
  auto const list_table = ttr({"news", "--list"});
  EXPECT_NE(line_starting(list_table.out, "76").find("Older"), std::string::npos) << list_table.out;

  auto const missing = ttr({"news", "5"});
  EXPECT_EQ(missing.code, 1) << missing.err;
  EXPECT_EQ(missing.out, "");
  auto const unknown_route = ttr({"news", "6"});  // 404 from the server
  EXPECT_EQ(unknown_route.code, 1) << unknown_route.err;
}

TEST_F(cli_ttr_documents, ColumnsAlignInTerminalColumnsAndControlCharactersAreDropped) {
  auto const r = ttr({"population"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "the escape in a name never reaches the terminal";
  // Bytes each name has beyond its terminal columns: 東京 is 6 bytes in 4 columns, Ωmega 6 in 5.
  std::vector<std::pair<std::string, std::size_t>> const names{
      {"東京", 2}, {"Abcd", 0}, {"Ωmega", 1}, {"Bad[31mName", 0}};
  auto const header = lines(r.out).at(0);
  auto const status_column = header.find("Status");
  for (auto const& [name, extra] : names) {
    auto const row = line_starting(r.out, name);
    ASSERT_FALSE(row.empty()) << name << "\n" << r.out;
    auto const status = row.find_first_not_of(' ', row.find_last_of("0123456789") + 1);
    EXPECT_EQ(status - extra, status_column) << row;
  }
}

TEST_F(cli_ttr_documents, TimeoutExitsThree) {
  auto const r = ttr({"--timeout", "300ms", "status"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
}

TEST_F(cli_ttr_documents, TimeoutIsTheWholeCommandsDeadline) {
  // The status answers after 3 s; each try would time out after 1 s and be retried. The deadline
  // of the whole command ends it first, and says so.
  auto const r = ttr({"--timeout", "1s", "status"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(r.err, "overworld: no answer within --timeout 1000 ms (the whole command's deadline, retries included)\n");
  auto const as_json = ttr({"--timeout", "1s", "-o", "json", "status"});
  EXPECT_EQ(json::parse(as_json.err).at("error").at("kind"), "network");
}

TEST_F(cli_ttr_documents, TimesInTheLocalZoneWithTheTimeFromNow) {
  // A POSIX zone needs no tz database: XYZ is nine hours ahead of UTC.
  auto const r = run({"--base-url", "http://127.0.0.1:" + std::to_string(server.port()), "ttr", "fieldoffices"},
                     {{"TZ", "XYZ-9"}});
  ASSERT_EQ(r.code, 0) << r.err;
  // 1700000600 is 2023-11-14 22:23:20 UTC: 07:23 on the 15th in XYZ, long ago.
  EXPECT_NE(line_starting(r.out, "5200").find("2023-11-15 07:23 XYZ ("), std::string::npos) << r.out;
  EXPECT_NE(line_starting(r.out, "5200").find("d ago)"), std::string::npos) << r.out;
}

TEST(cli_ttr_unreachable, ExitsThree) {
  refusing_port closed;
  auto const r = run({"--base-url", closed.url(), "ttr", "invasions"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_FALSE(r.err.empty());
}

}  // namespace
}  // namespace overworld::cli::testing
