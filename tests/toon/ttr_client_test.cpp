// The TTR client against overworld-server's world service and against scripted servers.
#include "server/world/support.hpp"
#include "support.hpp"

#include <overworld/server/world/world_service.hpp>
#include <overworld/toon/ttr.hpp>

#include <gtest/gtest.h>

namespace overworld::toon {
namespace {

using namespace std::chrono_literals;
using testing::quick_polling;
using testing::scripted_server;

struct toon_ttr_world : ::testing::Test {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  http::testing::running_server server;
  std::unique_ptr<world::world_service> service;

  void SetUp() override {
    service = std::make_unique<world::world_service>(world::world_options{}, time);
    service->install(*server.routes);
    server.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
  ttr_options options() {
    ttr_options o;
    o.base_url = url();
    o.polling = quick_polling();
    o.polling.time = &time;
    return o;
  }
};

TEST_F(toon_ttr_world, InvasionsPopulationStatusAndDistricts) {
  auto skel = world::testing::make_invasion("Flunky", 10, 100, 1'699'999'990);
  skel.skelecog = true;
  skel.v2 = true;
  service->districts().apply("Boingy Acres", world::district_report{42, world::district_status::online, skel});
  service->districts().apply(
      "Zapwood", world::district_report{7, world::district_status::draining,
                                        world::testing::make_invasion("Big Wig", 0, 0, 1'699'999'990, true)});
  service->districts().apply("Gulp Gulch", world::district_report{3, world::district_status::online, std::nullopt});
  service->publish();

  ttr_client ttr{options()};
  auto inv = ttr.wait(ttr.invasions());
  ASSERT_TRUE(inv) << inv.error().describe();
  ASSERT_EQ(inv->invasions.size(), 2u);
  auto const& boingy = inv->invasions[0].district == "Boingy Acres" ? inv->invasions[0] : inv->invasions[1];
  auto const& zapwood = inv->invasions[0].district == "Zapwood" ? inv->invasions[0] : inv->invasions[1];
  EXPECT_EQ(boingy.type, "Version 2.0 Flunky (Skelecog)");
  EXPECT_EQ(boingy.cog.name, "Flunky");
  EXPECT_EQ(boingy.cog.dept, department::bossbot);
  EXPECT_TRUE(boingy.cog.skelecog && boingy.cog.v2);
  EXPECT_EQ(boingy.defeated, 10);
  EXPECT_EQ(boingy.total, 100);
  EXPECT_TRUE(zapwood.mega);
  EXPECT_FALSE(zapwood.total);
  EXPECT_EQ(inv->last_updated, 1'700'000'000);
  EXPECT_NE(inv->json.find("\"lastUpdated\":1700000000"), std::string::npos);

  auto pop = ttr.wait(ttr.population());
  ASSERT_TRUE(pop);
  EXPECT_EQ(pop->total, 52);
  ASSERT_EQ(pop->districts.size(), 3u);

  auto districts = ttr.wait(ttr.districts());
  ASSERT_TRUE(districts);
  for (auto const& d : districts->districts) {
    if (d.name == "Zapwood") {
      EXPECT_EQ(d.status, district_status::draining);
      ASSERT_TRUE(d.invasion);
      EXPECT_TRUE(d.invasion->mega);
    } else if (d.name == "Gulp Gulch") {
      EXPECT_FALSE(d.invasion);
      EXPECT_EQ(d.population, 3);
    }
  }

  auto status = ttr.wait(ttr.status());
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->open);
}

TEST_F(toon_ttr_world, FreshAnswersFromMemoryThenConditionalGets) {
  service->districts().apply("Gulp Gulch", world::district_report{3, world::district_status::online, std::nullopt});
  service->publish();
  ttr_client ttr{options()};
  ASSERT_TRUE(ttr.wait(ttr.invasions()));
  ASSERT_TRUE(ttr.wait(ttr.invasions()));  // max-age=1 has not run out on the manual clock
  EXPECT_EQ(ttr.statistics().sent, 1u);
  EXPECT_EQ(ttr.statistics().cache_hits, 1u);
  time.advance(2s);
  auto again = ttr.wait(ttr.invasions());  // If-None-Match: the snapshot's bytes did not change
  ASSERT_TRUE(again);
  EXPECT_EQ(ttr.statistics().sent, 2u);
  EXPECT_EQ(ttr.statistics().not_modified, 1u);
  EXPECT_TRUE(again->invasions.empty());
  // A change is a new body, not a 304.
  service->districts().apply("Gulp Gulch",
                             world::district_report{3, world::district_status::online,
                                                    world::testing::make_invasion("Yesman", 1, 10, 1'699'999'990)});
  time.advance(2s);
  service->publish();
  time.advance(2s);
  auto changed = ttr.wait(ttr.invasions());
  ASSERT_TRUE(changed);
  ASSERT_EQ(changed->invasions.size(), 1u);
  EXPECT_EQ(ttr.statistics().not_modified, 1u);
}

TEST_F(toon_ttr_world, FieldOfficesAndSillyMeterFromTheWorldService) {
  world::district_report r{40, world::district_status::online, std::nullopt};
  world::field_office closing;
  closing.zone = 9200;
  closing.difficulty = 2;
  closing.annexes = 0;
  closing.open = false;
  closing.expiring = 1'700'000'090;
  world::field_office open_office;
  open_office.zone = 3100;
  open_office.difficulty = 1;
  open_office.annexes = 5;
  r.field_offices = {closing, open_office};
  service->apply("Boingy Acres", r);
  auto const team = service->silly().teams()[2];
  ASSERT_TRUE(service->silly().add_points(team, 1234));
  service->publish();

  ttr_client ttr{options()};
  auto offices = ttr.wait(ttr.field_offices());
  ASSERT_TRUE(offices) << offices.error().describe();
  EXPECT_EQ(offices->last_updated, 1'700'000'000);
  ASSERT_EQ(offices->offices.size(), 2u);
  EXPECT_EQ(offices->offices[0].zone, 3100);
  EXPECT_EQ(offices->offices[0].street, "Walrus Way");
  EXPECT_EQ(offices->offices[0].dept, department::sellbot);
  EXPECT_EQ(offices->offices[0].difficulty, 1);
  EXPECT_EQ(offices->offices[0].annexes, 5);
  EXPECT_TRUE(offices->offices[0].open);
  EXPECT_FALSE(offices->offices[0].expiring);
  EXPECT_EQ(offices->offices[1].street, "Pajama Place");
  EXPECT_FALSE(offices->offices[1].open);
  EXPECT_EQ(offices->offices[1].expiring, 1'700'000'090);

  auto meter = ttr.wait(ttr.silly_meter());
  ASSERT_TRUE(meter) << meter.error().describe();
  EXPECT_EQ(meter->state, silly_state::active);
  EXPECT_EQ(meter->hp, 1234);
  ASSERT_EQ(meter->rewards.size(), 3u);
  EXPECT_EQ(meter->rewards[2], team);
  EXPECT_EQ(meter->reward_descriptions.size(), 3u);
  EXPECT_FALSE(meter->winner);
  EXPECT_EQ(meter->reward_points, (std::vector<std::optional<std::int64_t>>{std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(meter->next_update, 1'700'000'060);
  EXPECT_EQ(meter->as_of, 1'700'000'000);

  ASSERT_TRUE(service->silly().enter(world::silly_state::reward, team));
  time.advance(2s);
  service->publish();
  time.advance(2s);
  auto reward = ttr.wait(ttr.silly_meter());
  ASSERT_TRUE(reward) << reward.error().describe();
  EXPECT_EQ(reward->state, silly_state::reward);
  EXPECT_EQ(reward->winner, team);
  EXPECT_EQ(reward->reward_points, (std::vector<std::optional<std::int64_t>>{0, 0, 1234}));
}

TEST(toon_ttr_scripted, FieldOfficesSillyMeterNewsAndNotes) {
  scripted_server s;
  s.get(
      "/api/fieldoffices",
      {scripted_server::json(
          200,
          R"({"lastUpdated":9,"fieldOffices":{"4100":{"department":"s","difficulty":1,"annexes":3,"open":true,"expiring":null}}})")});
  s.get(
      "/api/sillymeter",
      {scripted_server::json(
          200,
          R"({"state":"Inactive","hp":0,"rewards":["a","b","c"],"rewardDescriptions":["x","y","z"],"winner":null,"rewardPoints":null,"nextUpdateTimestamp":5,"asOf":4})")});
  s.get(
      "/api/news",
      {scripted_server::json(
          200,
          R"({"postId":7,"title":"T","author":"A","body":"<p>b</p>","date":"June 15, 2025 at 12:00 PM","image":"i"})")});
  s.get("/api/news/list", {scripted_server::json(200, R"([{"postId":7,"title":"T"},{"postId":6,"title":"S"}])")});
  s.get("/api/news/{id}", {scripted_server::json(200, "null")});
  s.get("/api/releasenotes",
        {scripted_server::json(200, R"([{"noteId":3,"slug":"ttr-live-v4.1.7d","date":"April 20, 2025 at 5:25 AM"}])")});
  s.get("/api/releasenotes/{id}", {scripted_server::json(200, R"({"error":"Unknown release note"})")});
  s.start();
  ttr_client ttr{ttr_options{s.url(), quick_polling()}};

  auto offices = ttr.wait(ttr.field_offices());
  ASSERT_TRUE(offices);
  ASSERT_EQ(offices->offices.size(), 1u);
  EXPECT_EQ(offices->offices[0].street, "Alto Avenue");
  EXPECT_EQ(offices->offices[0].annexes, 3);
  auto meter = ttr.wait(ttr.silly_meter());
  ASSERT_TRUE(meter);
  EXPECT_EQ(meter->state, silly_state::inactive);
  auto post = ttr.wait(ttr.news());
  ASSERT_TRUE(post);
  EXPECT_EQ(post->id, 7);
  auto missing = ttr.wait(ttr.news_post(99));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);
  auto list = ttr.wait(ttr.news_list());
  ASSERT_TRUE(list);
  EXPECT_EQ(list->posts.size(), 2u);
  auto notes = ttr.wait(ttr.release_notes());
  ASSERT_TRUE(notes);
  EXPECT_EQ(notes->notes[0].id, 3);
  auto note = ttr.wait(ttr.release_note(4));
  ASSERT_FALSE(note);
  EXPECT_EQ(note.error().kind, error_kind::not_found);
  EXPECT_EQ(s.requests("/api/news/{id}").at(0).target, "/api/news/99");
  // Every request says who it is.
  EXPECT_NE(s.requests("/api/sillymeter").at(0).headers.at("user-agent").find("overworld-toon"), std::string::npos);
}

TEST(toon_ttr_scripted, ErrorEnvelopeIsAnError) {
  scripted_server s;
  s.get("/api/invasions", {scripted_server::json(200, R"({"error":"Unable to reach the districts."})")});
  s.start();
  ttr_client ttr{ttr_options{s.url(), quick_polling()}};
  auto r = ttr.wait(ttr.invasions());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::server_error);
  EXPECT_EQ(r.error().message, "Unable to reach the districts.");
  EXPECT_THROW(r.value(), api_exception);
}

TEST(toon_ttr_scripted, TransientFailuresAreRetriedWithBackoff) {
  scripted_server s;
  s.get("/api/status", {scripted_server::json(500, "{}"), http::response::text(503, "<html>down</html>"),
                        scripted_server::json(200, R"({"open":true})")});
  s.start();
  ttr_client ttr{ttr_options{s.url(), quick_polling()}};
  auto r = ttr.wait(ttr.status());
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(ttr.statistics().sent, 3u);
  EXPECT_EQ(ttr.statistics().retries, 2u);
}

TEST(toon_ttr_scripted, TooManyRequestsBacksOffForRetryAfter) {
  scripted_server s;
  s.get("/api/population", {scripted_server::json(429, R"({"error":"slow down"})", {{"Retry-After", "3600"}})});
  s.start();
  ttr_client ttr{ttr_options{s.url(), quick_polling()}};
  auto r = ttr.wait(ttr.population());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::throttled);
  EXPECT_EQ(r.error().retry_after, 3600s);
  // The hour is longer than this client waits: it neither sleeps nor asks again.
  auto again = ttr.wait(ttr.population());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, error_kind::throttled);
  EXPECT_EQ(s.requests("/api/population").size(), 1u);
  EXPECT_EQ(ttr.statistics().throttled, 1u);
}

TEST(toon_ttr_scripted, LoginThroughToonGuardAndTheQueue) {
  scripted_server s;
  s.post(
      "/api/login",
      {
          scripted_server::json(
              200, R"({"success":"partial","banner":"Please enter an authenticator token.","responseToken":"resp-1"})"),
          scripted_server::json(200, R"({"success":"delayed","eta":"60","position":"15","queueToken":"queue-1"})"),
          scripted_server::json(200, R"({"success":"delayed","eta":"1","position":"2"})"),
          scripted_server::json(
              200,
              R"({"success":"true","gameserver":"gs:7198","cookie":"cookie-1","manifest":"/content/patchmanifest.txt"})"),
      });
  s.start();
  ttr_options o{s.url(), quick_polling()};
  o.queue_min_interval = 1ms;
  o.queue_max_interval = 20ms;  // TTR's eta of 60 s is capped
  ttr_client ttr{o};

  auto first = ttr.wait(ttr.login("Flippy", "pass word&"));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->state, login_state::partial);
  auto second = ttr.wait(ttr.login_2fa("123456", first->response_token));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->state, login_state::delayed);
  auto done = ttr.wait(ttr.wait_in_queue(*second));
  ASSERT_TRUE(done) << done.error().describe();
  EXPECT_EQ(done->state, login_state::success);
  EXPECT_EQ(done->cookie, "cookie-1");

  auto const seen = s.requests("/api/login");
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].target, "/api/login?format=json");
  EXPECT_EQ(seen[0].body, "username=Flippy&password=pass%20word%26");
  EXPECT_EQ(seen[0].headers.at("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[1].body, "appToken=123456&authToken=resp-1");
  EXPECT_EQ(seen[2].body, "queueToken=queue-1");
  EXPECT_EQ(seen[3].body, "queueToken=queue-1");  // the second delayed answer had no token: the first is kept
}

TEST(toon_ttr_scripted, BadBaseUrlIsRefused) {
  ttr_options bad;
  bad.base_url = "ftp://example.com";
  EXPECT_THROW(ttr_client{bad}, std::invalid_argument);
  ttr_options with_api;
  with_api.base_url = "https://www.toontownrewritten.com/api/";
  EXPECT_NO_THROW(ttr_client{with_api});
}

}  // namespace
}  // namespace overworld::toon
