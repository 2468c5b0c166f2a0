// The TTCC client against overworld-server's world, launcher and manifest services, and against
// scripted servers for the answers those do not give.
#include "server/world/support.hpp"
#include "support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/files.hpp>
#include <overworld/server/launcher/launcher_service.hpp>
#include <overworld/server/world/world_service.hpp>
#include <overworld/store/launcher_store.hpp>
#include <overworld/toon/ttcc.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace overworld::toon {
namespace {

using namespace std::chrono_literals;
using testing::fixture;
using testing::quick_polling;
using testing::scripted_server;

ttcc_options options_for(std::string url) {
  ttcc_options o;
  o.base_url = std::move(url);
  o.polling = quick_polling();
  return o;
}

TEST(toon_ttcc_world, DistrictsBothEndpointsAndGameInfo) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world::world_options wo;
  wo.game.version = "v1.2.9";
  world::world_service service{wo, time};
  http::testing::running_server server;
  service.install(*server.routes);
  server.start();
  auto inv = world::testing::make_invasion("Legal Eagle", 343, 1001, 1'699'999'000);
  inv.ends_at = 1'700'001'421;
  service.districts().apply("Foghorn Falls", world::district_report{54, world::district_status::online, inv});
  service.districts().apply("Kazoo Kanyon", world::district_report{53, world::district_status::online, std::nullopt});
  service.publish();

  ttcc_client ttcc{options_for("http://127.0.0.1:" + std::to_string(server.port()))};
  for (auto which : {districts_endpoint::current, districts_endpoint::legacy}) {
    auto list = ttcc.wait(ttcc.districts(which));
    ASSERT_TRUE(list) << list.error().describe();
    ASSERT_EQ(list->districts.size(), 2u);
    for (auto const& d : list->districts) {
      EXPECT_EQ(d.status, district_status::online);
      if (d.name == "Foghorn Falls") {
        ASSERT_TRUE(d.invasion);
        EXPECT_EQ(d.invasion->cog.dept, department::lawbot);
        EXPECT_EQ(d.invasion->defeated, 343);
        EXPECT_EQ(d.invasion->total, 1001);
        ASSERT_TRUE(d.invasion->ends_at);
        EXPECT_EQ(*d.invasion->ends_at, *d.last_update + 1421);
      } else {
        EXPECT_FALSE(d.invasion);
        EXPECT_EQ(d.population, 53);
      }
    }
  }
  auto info = ttcc.wait(ttcc.game_info());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->toons, 107);
  EXPECT_EQ(info->version, "v1.2.9");
  EXPECT_FALSE(info->production_closed);
}

struct toon_ttcc_launcher : ::testing::Test {
  overworld::testing::temp_dir dir;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  std::shared_ptr<store::launcher_store> db;
  std::unique_ptr<launcher::launcher_service> service;
  std::unique_ptr<launcher::manifest_service> files;
  http::testing::running_server server;

  void SetUp() override {
    std::string why;
    auto s = store::open_sqlite_launcher_store(dir.path() + "/launcher.sqlite", why);
    ASSERT_TRUE(s) << why;
    db = std::move(*s);
    launcher::launcher_options o;
    o.passwords = launcher::password_policy{8192, 1};
    service = std::make_unique<launcher::launcher_service>(o, db, time);
    service->install(*server.routes);
    auto const root = std::filesystem::path{dir.path()} / "game";
    std::filesystem::create_directories(root / "win32");
    std::ofstream{root / "win32/cg.dll"} << "windows library";
    launcher::files_options fo;
    fo.root = root;
    fo.base_url = "https://cdn.example/";
    files = std::make_unique<launcher::manifest_service>(fo);
    ASSERT_TRUE(files->start(why)) << why;
    files->install(*server.routes);
    server.start();
    for (auto name : {"Flippy", "Banny", "Pointy"}) {
      ASSERT_TRUE(db->create_account(name, launcher::hash_password("pw", o.passwords).value()));
    }
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
};

TEST_F(toon_ttcc_launcher, LoginWithEveryReason) {
  ttcc_client ttcc{options_for(url())};
  auto ok = ttcc.wait(ttcc.login("Flippy", "pw"));
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_TRUE(ok->status);
  EXPECT_EQ(ok->reason, login_reason::success);
  EXPECT_EQ(ok->token.size(), 64u);

  auto wrong = ttcc.wait(ttcc.login("Flippy", "nope"));
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->status);
  EXPECT_EQ(wrong->reason, login_reason::invalid_credentials);
  EXPECT_TRUE(wrong->token.empty());

  ASSERT_TRUE(db->set_banned_until("Banny", 1'700'000'000 + 5 * 3600 - 60));
  auto banned = ttcc.wait(ttcc.login("Banny", "pw"));
  ASSERT_TRUE(banned);
  EXPECT_EQ(banned->reason, login_reason::banned);
  EXPECT_EQ(banned->friendly_reason, "This account is banned for 5 more hours.");

  ASSERT_TRUE(db->add_moderation_points("Pointy", 10));
  auto terminated = ttcc.wait(ttcc.login("Pointy", "pw"));
  ASSERT_TRUE(terminated);
  EXPECT_EQ(terminated->reason, login_reason::terminated);

  ASSERT_TRUE(db->set_maintenance(true));
  auto maintenance = ttcc.wait(ttcc.login("Flippy", "pw"));
  ASSERT_TRUE(maintenance);
  EXPECT_EQ(maintenance->reason, login_reason::maintenance);
  EXPECT_EQ(maintenance->http_status, 200u);
}

TEST_F(toon_ttcc_launcher, NewsVersionAndManifest) {
  ASSERT_TRUE(db->set_launcher_version("1.0.5"));
  auto id =
      db->post_news(store::news_item{0, "Corporate Clash Team", "2018-03-09 22:30:33", "There's a New Chef in Town!",
                                     "A summary", "Blog", "https://example/img.png"});
  ASSERT_TRUE(id);
  ttcc_client ttcc{options_for(url())};
  auto version = ttcc.wait(ttcc.version());
  ASSERT_TRUE(version) << version.error().describe();
  EXPECT_EQ(version->version, "1.0.5");
  auto news = ttcc.wait(ttcc.news());
  ASSERT_TRUE(news);
  ASSERT_EQ(news->articles.size(), 1u);
  EXPECT_EQ(news->articles[0].title, "There's a New Chef in Town!");
  EXPECT_EQ(news->articles[0].image_url, "https://example/img.png");
  EXPECT_EQ(news->articles[0].posted_unix, 1520634633);
  auto one = ttcc.wait(ttcc.news_article(*id));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->articles.at(0).id, *id);
  auto missing = ttcc.wait(ttcc.news_article(*id + 100));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);

  auto m = ttcc.wait(ttcc.manifest());
  ASSERT_TRUE(m) << m.error().describe();
  EXPECT_EQ(m->base, "https://cdn.example/");
  ASSERT_EQ(m->files.size(), 1u);
  EXPECT_EQ(m->files[0].path, "win32/cg.dll");
  EXPECT_EQ(m->files[0].md5.size(), 32u);
  auto raw = ttcc.wait(ttcc.manifest_json());
  ASSERT_TRUE(raw);
  EXPECT_NE(raw->find("\"base\""), std::string::npos);
}

TEST(toon_ttcc_scripted, RateLimitedLoginAndRevokedToken) {
  scripted_server s;
  s.post("/api/v1/login/", {scripted_server::json(429, fixture("doc-examples/ttcc_ratelimit_429_2018_API-slate.json"),
                                                  {{"Retry-After", "30"}})});
  s.get("/api/v1/districts.js",
        {scripted_server::json(401, fixture("doc-examples/ttcc_launcher_v1_401_revoked_2022-08-08_apidocs.json"))});
  s.post("/api/v1/launcher/manifest/",
         {scripted_server::json(200, fixture("doc-examples/ttcc_manifest_v1_2018-04_API-slate.json"))});
  s.start();
  ttcc_client ttcc{options_for(s.url())};
  auto limited = ttcc.wait(ttcc.login("Flippy", "pw"));
  ASSERT_TRUE(limited) << limited.error().describe();
  EXPECT_EQ(limited->reason, login_reason::rate_limited);
  EXPECT_EQ(limited->retry_after, 30);
  EXPECT_EQ(limited->http_status, 429u);
  auto const sent = s.requests("/api/v1/login/").at(0);
  EXPECT_EQ(sent.body, R"({"username":"Flippy","password":"pw"})");
  EXPECT_EQ(sent.headers.at("content-type"), "application/json");

  auto revoked = ttcc.wait(ttcc.districts());
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().kind, error_kind::access_denied);
  EXPECT_EQ(revoked.error().status, 401u);
  EXPECT_EQ(revoked.error().message, "Unauthorized");

  auto m = ttcc.wait(ttcc.manifest());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->files.size(), 4u);
  EXPECT_EQ(s.requests("/api/v1/launcher/manifest/").at(0).headers.at("user-agent"), "TTCC-Launcher");
}

TEST(toon_ttcc_scripted, TheClientHoldsItselfToTheLimit) {
  scripted_server s;
  s.get("/api/v1/launcher/version/", {scripted_server::json(200, R"({"version":"1.0.5"})")});
  s.get("/api/v1/game_info.js",
        {scripted_server::json(
            200, R"({"num_toons":1,"production_closed":false,"production_closed_reason":"","version":"v1"})")});
  s.get("/api/v1/launcher/news/", {scripted_server::json(200, "[]")});
  s.start();
  auto o = options_for(s.url());
  o.polling.rate_limit = policy::rate_limit{2, 60s};
  o.polling.max_wait = 0ms;
  ttcc_client ttcc{o};
  EXPECT_TRUE(ttcc.wait(ttcc.version()));
  EXPECT_TRUE(ttcc.wait(ttcc.game_info()));
  auto third = ttcc.wait(ttcc.news());
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().kind, error_kind::throttled);
  ASSERT_TRUE(third.error().retry_after);
  EXPECT_GT(third.error().retry_after->count(), 0);
  EXPECT_TRUE(s.requests("/api/v1/launcher/news/").empty());  // refused before the wire
  EXPECT_EQ(ttcc_polling().rate_limit->limit, 10u);           // TTCC's documented 10 per 60 s by default
}

}  // namespace
}  // namespace overworld::toon
