// The parsers on the documented shapes the fixtures lack, and on what clients have tripped over.
#include <overworld/toon/parse.hpp>

#include "support/data.hpp"

#include <gtest/gtest.h>

namespace overworld::toon {
namespace {

TEST(toon_cogs, DecorationsBecomeFields) {
  auto plain = parse_cog("Tele\u0003marketer");
  EXPECT_EQ(plain.name, "Telemarketer");
  EXPECT_EQ(plain.dept, department::sellbot);
  EXPECT_FALSE(plain.skelecog);
  EXPECT_FALSE(plain.v2);
  auto both = parse_cog("Version 2.0 Micro\u0003manager (Skelecog)");
  EXPECT_EQ(both.name, "Micromanager");
  EXPECT_EQ(both.dept, department::bossbot);
  EXPECT_TRUE(both.skelecog);
  EXPECT_TRUE(both.v2);
  EXPECT_EQ(parse_cog("Mover & Shaker").dept, department::sellbot);
  EXPECT_EQ(parse_cog("Backstabber").dept, department::lawbot);
  EXPECT_EQ(parse_cog("Middleman").dept, department::unknown);
  EXPECT_EQ(department_from_string("m"), department::cashbot);
  EXPECT_EQ(department_from_string("Lawbot"), department::lawbot);
}

TEST(toon_ttr_parse, InvasionsWithMegaAndSoftBreaks) {
  auto list = parse_ttr_invasions(
      R"({"lastUpdated":1416509221,"invasions":{"Acrylic Acres":{"asOf":1416509218,"type":"Tele\u0003marketer","progress":"5939/7300"},)"
      R"j("Zapwood":{"asOf":1416509219,"type":"Version 2.0 Flunky (Skelecog)","progress":"0/1000000","extra":[1]}},"error":null})j");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->last_updated, 1416509221);
  ASSERT_EQ(list->invasions.size(), 2u);
  EXPECT_EQ(list->invasions[0].cog.name, "Telemarketer");
  EXPECT_EQ(list->invasions[0].type, "Tele\x03marketer");  // as sent, for --json users
  EXPECT_EQ(list->invasions[0].fraction().value_or(-1), 5939.0 / 7300.0);
  auto const& mega = list->invasions[1];
  EXPECT_TRUE(mega.mega);
  EXPECT_FALSE(mega.total);
  EXPECT_FALSE(mega.fraction());
  EXPECT_TRUE(mega.cog.skelecog && mega.cog.v2);
}

TEST(toon_ttr_parse, ErrorEnvelopeAndBrokenBodies) {
  std::string message;
  auto failed = parse_ttr_invasions(R"({"error":"Unable to contact the district servers."})", &message);
  EXPECT_EQ(failed.error(), errc::not_found);
  EXPECT_EQ(message, "Unable to contact the district servers.");
  EXPECT_EQ(parse_ttr_population(R"({"error":"down"})", &message).error(), errc::not_found);
  EXPECT_EQ(parse_ttr_invasions(R"({"invasions":{"A":{"asOf":1,"type":"Flunky","progress":"ten"}}})").error(),
            errc::parse_error);
  EXPECT_EQ(parse_ttr_invasions("not json").error(), errc::parse_error);
  // Numbers with no int64_t are refused, not converted (found by fuzz_toon_answers).
  for (char const* as_of : {"1632146e42", "-1e19", "1e19", "1e400"}) {
    EXPECT_EQ(parse_ttr_invasions(std::string{R"({"invasions":{"A":{"asOf":)"} + as_of +
                                  R"(,"type":"Flunky","progress":"1/2"}}})")
                  .error(),
              errc::parse_error)
        << as_of;
  }
  EXPECT_EQ(parse_ttr_invasions(R"({"invasions":{"A":{"asOf":1.6e9,"type":"Flunky","progress":"1/2"}}})")
                ->invasions.at(0)
                .as_of,
            1'600'000'000);
  EXPECT_EQ(parse_ttr_status(R"({"banner":"no open"})").error(), errc::parse_error);
}

TEST(toon_ttr_parse, PopulationJoinsTheMapsByName) {
  // Keys in different orders, and a district only in statusByDistrict.
  auto pop = parse_ttr_population(R"({"lastUpdated":5,"totalPopulation":30,"populationByDistrict":{"A":10,"B":20},)"
                                  R"("statusByDistrict":{"B":"draining","A":"online","C":"closed"},"error":null})");
  ASSERT_TRUE(pop);
  EXPECT_EQ(pop->total, 30);
  ASSERT_EQ(pop->districts.size(), 3u);
  EXPECT_EQ(pop->districts[0].name, "A");
  EXPECT_EQ(pop->districts[0].status, district_status::online);
  EXPECT_EQ(pop->districts[1].status, district_status::draining);
  EXPECT_EQ(pop->districts[1].population, 20);
  EXPECT_EQ(pop->districts[2].status, district_status::closed);
  EXPECT_FALSE(pop->districts[2].population);

  auto inv = parse_ttr_invasions(
      R"({"lastUpdated":6,"invasions":{"B":{"asOf":4,"type":"Flunky","progress":"1/10"}},"error":null})");
  ASSERT_TRUE(inv);
  auto merged = merge_ttr(*pop, *inv);
  EXPECT_EQ(merged.last_updated, 6);
  ASSERT_TRUE(merged.districts[1].invasion);
  EXPECT_EQ(merged.districts[1].invasion->district, "B");
  EXPECT_FALSE(merged.districts[0].invasion);
}

TEST(toon_ttr_parse, StatusFieldOfficesSillyMeter) {
  auto status = parse_ttr_status(R"({"open":false,"banner":"Toontown is closed for maintenance."})");
  ASSERT_TRUE(status);
  EXPECT_FALSE(status->open);
  EXPECT_EQ(status->banner, "Toontown is closed for maintenance.");
  EXPECT_FALSE(parse_ttr_status(R"({"open":true})")->banner);

  auto offices = parse_ttr_field_offices(
      R"({"lastUpdated":1,"fieldOffices":{"5200":{"department":"s","difficulty":2,"annexes":4,"open":true,"expiring":null},)"
      R"("3100":{"department":"s","difficulty":0,"annexes":0,"open":false,"expiring":1700000000}}})");
  ASSERT_TRUE(offices);
  ASSERT_EQ(offices->offices.size(), 2u);
  EXPECT_EQ(offices->offices[0].zone, 3100);  // sorted by zone
  EXPECT_EQ(offices->offices[0].street, "Walrus Way");
  EXPECT_EQ(offices->offices[0].expiring, 1700000000);
  EXPECT_EQ(offices->offices[1].street, "Maple Street");
  EXPECT_EQ(offices->offices[1].dept, department::sellbot);
  EXPECT_EQ(offices->offices[1].difficulty, 2);
  EXPECT_FALSE(offices->offices[1].expiring);

  auto active = parse_ttr_silly_meter(
      R"({"state":"Active","hp":1234567,"rewards":["Double Jellybeans","Speedy Garden Growth","Double Racing Tickets"],)"
      R"("rewardDescriptions":["a","b","c"],"winner":null,"rewardPoints":[12,null,7],"nextUpdateTimestamp":1700000300,"asOf":1700000000})");
  ASSERT_TRUE(active);
  EXPECT_EQ(active->state, silly_state::active);
  EXPECT_EQ(active->hp, 1234567);
  EXPECT_EQ(active->rewards.size(), 3u);
  EXPECT_FALSE(active->winner);
  ASSERT_EQ(active->reward_points.size(), 3u);
  EXPECT_EQ(active->reward_points[0], 12);
  EXPECT_FALSE(active->reward_points[1]);
  auto reward = parse_ttr_silly_meter(
      R"({"state":"Reward","hp":5000000,"rewards":[],"rewardDescriptions":[],"winner":"Double Jellybeans","rewardPoints":null,"nextUpdateTimestamp":1,"asOf":1})");
  ASSERT_TRUE(reward);
  EXPECT_EQ(reward->winner, "Double Jellybeans");
  EXPECT_TRUE(reward->reward_points.empty());
}

TEST(toon_ttr_parse, NewsReleaseNotesAndTheirDates) {
  auto post = parse_ttr_news_post(
      R"({"postId":512,"title":"Summer","author":"Toon Council","body":"<p>Hi</p>","date":"June 15, 2025 at 12:00 PM","image":"https://cdn.toontownrewritten.com/media/news-site/img/a.png"})");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->id, 512);
  EXPECT_EQ(post->date_unix, 1749988800);  // 2025-06-15 12:00 UTC
  EXPECT_EQ(parse_ttr_news_post("null").error(), errc::not_found);
  auto list =
      parse_ttr_news_list(R"([{"postId":2,"title":"b","date":"April 1, 2020 at 12:05 AM"},{"postId":1,"title":"a"}])");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->posts.size(), 2u);
  EXPECT_EQ(list->posts[0].date_unix, 1585699500);  // 00:05, not 12:05
  EXPECT_EQ(list->posts[1].json, R"({"postId":1,"title":"a"})");

  auto notes =
      parse_ttr_release_notes(R"([{"noteId":300,"slug":"ttr-live-v4.1.7d","date":"April 20, 2025 at 5:25 AM"}])");
  ASSERT_TRUE(notes);
  EXPECT_EQ(notes->notes[0].slug, "ttr-live-v4.1.7d");
  EXPECT_FALSE(notes->notes[0].body);
  auto note =
      parse_ttr_release_note(R"({"noteId":300,"slug":"s","date":"April 20, 2025 at 5:25 AM","body":"<p>fixes</p>"})");
  ASSERT_TRUE(note);
  EXPECT_EQ(note->body, "<p>fixes</p>");
  EXPECT_EQ(parse_ttr_release_note(R"({"error":"Unknown release note"})").error(), errc::not_found);
  EXPECT_FALSE(parse_ttr_date("Junetember 1, 2020 at 1:00 PM"));
  EXPECT_FALSE(parse_ttr_date("February 30, 2020 at 1:00 PM"));
}

TEST(toon_ttr_parse, LoginAsKeyValueLinesAndTolerantJson) {
  auto lines = parse_ttr_login("success=delayed\neta=12\r\nposition=3\nqueueToken=abc\n");
  ASSERT_TRUE(lines);
  EXPECT_EQ(lines->state, login_state::delayed);
  EXPECT_EQ(lines->eta, 12);
  EXPECT_EQ(lines->queue_token, "abc");
  auto json = parse_ttr_login(
      R"({"success":"true","cookie":"c","gameserver":"g:1","manifest":"/m","ip":null,"future":{"a":1}})");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->state, login_state::success);
  EXPECT_FALSE(parse_ttr_login(R"({"success":"maybe"})"));
  EXPECT_FALSE(parse_ttr_login(R"({"banner":"x"})"));
}

TEST(toon_ttcc_parse, DistrictsTolerateOldTypesAndOffline) {
  auto list = parse_ttcc_districts(
      R"([{"name":"A","online":false,"population":0,"invasion_online":"true","last_update":"","cogs_attacking":"Flunky","count_defeated":1,"count_total":2,"remaining_time":0,"new":1},)"
      R"({"name":"B","online":true,"population":3,"invasion_online":false,"last_update":9,"cogs_attacking":"None","count_defeated":9,"count_total":0,"remaining_time":0}])");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->districts[0].status, district_status::offline);
  EXPECT_FALSE(list->districts[0].last_update);
  ASSERT_TRUE(list->districts[0].invasion);
  EXPECT_FALSE(list->districts[0].invasion->ends_at);
  EXPECT_FALSE(list->districts[1].invasion);
  EXPECT_FALSE(parse_ttcc_districts(R"({"name":"A"})"));
  EXPECT_FALSE(parse_ttcc_districts(R"([{"population":1}])"));
  EXPECT_EQ(parse_ttcc_date("2022-08-08T10:00:00.000Z"), 1659952800);
}

TEST(toon_ttr_parse, Doodles) {
  auto d =
      parse_ttr_doodles(R"({"Boingy Acres":{"Toontown Central":[{"dna":"dl01","traits":["Rarely Tired"],"cost":245},)"
                        R"({"dna":"dl02","traits":[],"cost":1}]},"Zoink Falls":{"Donald's Dock":[]}})");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->doodles.size(), 2U);
  EXPECT_EQ(d->doodles[0].district, "Boingy Acres");
  EXPECT_EQ(d->doodles[0].playground, "Toontown Central");
  EXPECT_EQ(d->doodles[0].traits, std::vector<std::string>{"Rarely Tired"});
  EXPECT_EQ(d->doodles[1].cost, 1);
  EXPECT_TRUE(parse_ttr_doodles("{}"));
  EXPECT_FALSE(parse_ttr_doodles(R"({"D":{"P":[{"traits":[],"cost":1}]}})")) << "no dna";
  EXPECT_FALSE(parse_ttr_doodles(R"({"D":{"P":{"dna":"x"}}})"));
  EXPECT_FALSE(parse_ttr_doodles(R"({"D":{"P":[{"dna":"x","traits":[{}]}]}})"));
  EXPECT_FALSE(parse_ttr_doodles("[]"));
}

TEST(toon_ttcc_parse, LauncherTokenAnswers) {
  auto reg = parse_launcher_token_answer(
      R"({"status":true,"reason":0,"toonstep":false,"message":"success!","token":"ab12","id":7})");
  ASSERT_TRUE(reg);
  EXPECT_TRUE(reg->status);
  EXPECT_EQ(reg->token, "ab12");
  EXPECT_EQ(reg->id, 7);
  auto refused = parse_launcher_token_answer(R"({"status":false,"reason":1005,"toonstep":false,"message":"no"})");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->reason, login_reason::invalid_credentials);
  auto revoked = parse_launcher_token_answer(
      overworld::testing::read_data_file(overworld::testing::toon_fixtures_dir() /
                                         "doc-examples/ttcc_launcher_v1_401_revoked_2022-08-08_apidocs.json"),
      401);
  ASSERT_TRUE(revoked);
  EXPECT_TRUE(revoked->bad_token);
  EXPECT_EQ(revoked->http_status, 401U);
  EXPECT_FALSE(parse_launcher_token_answer(R"({"unrelated":1})"));
  EXPECT_FALSE(parse_launcher_token_answer(R"({"status":true,"id":"seven"})"));
  EXPECT_FALSE(parse_launcher_token_answer("[1]"));
}

TEST(toon_ttcc_parse, LoginReasons) {
  for (auto [code, reason] : {std::pair{1000, login_reason::success},
                              {1002, login_reason::terminated},
                              {1003, login_reason::banned},
                              {1004, login_reason::maintenance},
                              {1005, login_reason::invalid_credentials},
                              {1234, login_reason::unknown}}) {
    auto l = parse_ttcc_login(R"({"status":false,"reason":)" + std::to_string(code) +
                              R"(,"friendlyreason":"x","token":""})");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->reason, reason);
    EXPECT_EQ(l->reason_code, code);
  }
}

TEST(toon_v2_parse, DistrictsAndInvasions) {
  auto list = parse_v2_districts(
      R"({"lastUpdated":10,"districts":[{"id":"d1","name":"Zapwood","status":"online","population":5,"lastReport":9,)"
      R"("invasion":{"id":"i1","district":"Zapwood","districtId":"d1","cog":"Big Wig","department":"lawbot","skelecog":true,"v2":false,)"
      R"("mega":false,"defeated":3,"total":50,"startedAt":1,"asOf":9,"defeatRate":1.5,"estimatedEnd":1900}},)"
      R"({"id":"d2","name":"Gulp Gulch","status":"draining","population":0,"lastReport":8,"invasion":null}]})");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->districts.size(), 2u);
  auto const& inv = *list->districts[0].invasion;
  EXPECT_EQ(inv.id, "i1");
  EXPECT_EQ(inv.cog.dept, department::lawbot);
  EXPECT_TRUE(inv.cog.skelecog);
  EXPECT_EQ(inv.total, 50);
  EXPECT_EQ(inv.defeat_rate, 1.5);
  EXPECT_EQ(inv.estimated_end, 1900);
  EXPECT_EQ(list->districts[1].status, district_status::draining);
  auto mega = parse_v2_invasion(
      R"({"id":"m","district":"X","cog":"Flunky","mega":true,"defeated":0,"total":null,"asOf":1,"estimatedEnd":null})");
  ASSERT_TRUE(mega);
  EXPECT_TRUE(mega->mega);
  EXPECT_FALSE(mega->total);
}

}  // namespace
}  // namespace overworld::toon
