// Every captured response and documentation sample in the shared fixtures, through the parsers.
#include "support.hpp"

#include <overworld/toon/manifest.hpp>
#include <overworld/toon/parse.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <set>

namespace overworld::toon {
namespace {

using testing::fixture;

TEST(toon_fixtures, TtrInvasionsFragmentFromPytoontown) {
  auto list = parse_ttr_invasions(fixture("ttr_invasions-object-only_2021-09-20_pytoontown.json"));
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->invasions.size(), 3u);
  auto const& first = list->invasions[0];
  EXPECT_EQ(first.district, "Splashport");
  EXPECT_EQ(first.cog.name, "Yesman");
  EXPECT_EQ(first.cog.dept, department::bossbot);
  EXPECT_EQ(first.defeated, 1820);
  EXPECT_EQ(first.total, 4000);
  EXPECT_EQ(first.as_of, 1632146642);
  EXPECT_FALSE(first.mega);
  EXPECT_EQ(list->invasions[1].cog.dept, department::lawbot);  // Double Talker
  EXPECT_EQ(list->invasions[2].cog.name, "Micromanager");
  EXPECT_EQ(list->invasions[2].remaining(), 8000 - 4590);
}

TEST(toon_fixtures, TtrLoginAnswersOfTheDocs) {
  auto ok = parse_ttr_login(fixture("doc-examples/ttr_login_success_api-doc.json"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->state, login_state::success);
  EXPECT_EQ(ok->gameserver, "gameserver-alpha.toontownrewritten.com");
  EXPECT_EQ(ok->cookie, "deadbeefdeafbeef0x123");
  EXPECT_EQ(ok->manifest, "/content/patchmanifest.txt");

  auto failed = parse_ttr_login(fixture("doc-examples/ttr_login_failure_api-doc.json"));
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->state, login_state::failure);
  EXPECT_EQ(failed->banner, "Your account has not yet been activated or is disabled.");

  auto partial = parse_ttr_login(fixture("doc-examples/ttr_login_partial_2fa_api-doc.json"));
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->state, login_state::partial);
  EXPECT_EQ(partial->response_token, "deadbeef0x321");
  EXPECT_EQ(partial->banner, "Please enter an authenticator token.");

  auto queued = parse_ttr_login(fixture("doc-examples/ttr_login_delayed_queue_api-doc.json"));
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->state, login_state::delayed);
  EXPECT_EQ(queued->eta, 60);  // sent as the string "60"
  EXPECT_EQ(queued->position, 15);
  EXPECT_EQ(queued->queue_token, "deafbeefdeafbeef0x321");
}

TEST(toon_fixtures, TtrLoginAsALauncherLoggedIt) {
  // A Java Map.toString(): gameserver with a port, and the short-lived `ip=null` member.
  auto const body = fixture("ttr_login_success_2024-06_api-doc-issue17.txt");
  auto login = parse_ttr_login(body);
  ASSERT_TRUE(login) << body;
  EXPECT_EQ(login->state, login_state::success);
  EXPECT_EQ(login->cookie, "xxx");
  EXPECT_EQ(login->gameserver, "gameserver.toontownrewritten.com:31363");
  EXPECT_EQ(login->manifest, "/content/patchmanifest.txt");
}

TEST(toon_fixtures, TtccDistrictsCapturedIn2020) {
  auto list = parse_ttcc_districts(fixture("ttcc_districts_2020-05-21_corporateclashstatus.json"));
  ASSERT_TRUE(list);
  ASSERT_EQ(list->districts.size(), 4u);
  auto const& bamboozle = list->districts[0];
  EXPECT_EQ(bamboozle.name, "Bamboozle Bay");
  EXPECT_EQ(bamboozle.status, district_status::online);
  EXPECT_EQ(bamboozle.population, 53);
  EXPECT_FALSE(bamboozle.invasion);  // "None" with a stale count_defeated of 625
  auto const& comical = list->districts[1];
  ASSERT_TRUE(comical.invasion);
  EXPECT_EQ(comical.invasion->cog.name, "Big Fish");
  EXPECT_EQ(comical.invasion->cog.dept, department::unknown);  // a TTCC cog
  EXPECT_EQ(comical.invasion->defeated, 54);
  EXPECT_EQ(comical.invasion->total, 3745);
  EXPECT_EQ(comical.invasion->ends_at, 1590104529 + 1383);
  EXPECT_EQ(comical.invasion->estimated_end, comical.invasion->ends_at);
  EXPECT_FALSE(list->districts[2].invasion);
  ASSERT_TRUE(list->districts[3].invasion);
  EXPECT_EQ(list->districts[3].invasion->cog.dept, department::lawbot);  // Legal Eagle
  EXPECT_EQ(list->last_updated, 1590104530);
}

TEST(toon_fixtures, TtccDistrictsOfEveryDocVersion) {
  auto first = parse_ttcc_districts(
      fixture("doc-examples/ttcc_districts_2018-07-13_api-docs-first-version_no-online-field.json"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->districts.size(), 2u);
  EXPECT_EQ(first->districts[0].status, district_status::online);  // no `online` then: listed means up
  ASSERT_TRUE(first->districts[1].invasion);
  EXPECT_EQ(first->districts[1].invasion->cog.name, "Telemarketer");
  EXPECT_EQ(first->districts[1].invasion->total, 1000);

  auto feather = parse_ttcc_districts(fixture("doc-examples/ttcc_districts_2018-07_api-docs_FeatherField.json"));
  ASSERT_TRUE(feather);  // tabs and spaces mixed
  ASSERT_TRUE(feather->districts[1].invasion);
  EXPECT_EQ(feather->districts[1].invasion->cog.name, "Pencil Pusher");
  EXPECT_EQ(feather->districts[1].invasion->ends_at, 1531491403 + 1774);

  auto apidocs = parse_ttcc_districts(fixture("doc-examples/ttcc_districts_2022-04-30_apidocs.json"));
  ASSERT_TRUE(apidocs);
  ASSERT_TRUE(apidocs->districts[1].invasion);
  EXPECT_EQ(apidocs->districts[1].invasion->cog.name, "Middleman");
  EXPECT_EQ(apidocs->districts[1].invasion->defeated, 180);
  EXPECT_EQ(apidocs->districts[1].invasion->total, 4913);
}

TEST(toon_fixtures, TtccGameInfoMatchesTheReleasesList) {
  auto info = parse_ttcc_game_info(fixture("doc-examples/ttcc_game_info_2022-08-08_apidocs.json"));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->toons, 383);
  EXPECT_FALSE(info->production_closed);
  EXPECT_EQ(info->production_closed_reason, "We're performing maintenance");
  EXPECT_EQ(info->version, "v1.2.7.9");
  // game_info's version comes from the releases list: the same names.
  auto const releases = boost::json::parse(fixture("ttcc_releases_all_2022-10_CorporateClash-public.json")).as_array();
  EXPECT_EQ(releases.size(), 146u);
  std::set<std::string> names;
  for (auto const& r : releases) names.insert(std::string{r.at("name").as_string()});
  EXPECT_TRUE(names.count(info->version));
}

TEST(toon_fixtures, TtccNewsAndManifestAndRateLimit) {
  auto news = parse_ttcc_news(fixture("doc-examples/ttcc_news_2018-03_api-docs.json"));
  ASSERT_TRUE(news);
  ASSERT_EQ(news->articles.size(), 2u);
  EXPECT_EQ(news->articles[0].id, 4);
  EXPECT_EQ(news->articles[0].title, "There's a New Chef in Town!");
  EXPECT_EQ(news->articles[0].category, "Blog");
  EXPECT_EQ(news->articles[0].posted_unix, 1520634633);               // 2018-03-09 22:30:33 UTC
  EXPECT_EQ(boost::json::parse(news->articles[1].json).at("id"), 3);  // each article keeps its JSON

  auto m = parse_manifest(fixture("doc-examples/ttcc_manifest_v1_2018-04_API-slate.json"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->files.size(), 4u);
  EXPECT_EQ(m->base, "https://cdn.clash.lol/");

  auto limited = parse_ttcc_login(fixture("doc-examples/ttcc_ratelimit_429_2018_API-slate.json"), 429);
  ASSERT_TRUE(limited);
  EXPECT_FALSE(limited->status);
  EXPECT_EQ(limited->reason, login_reason::rate_limited);
  EXPECT_EQ(limited->http_status, 429u);
}

TEST(toon_fixtures, LauncherTokenApiBodiesAreNeverTakenForData) {
  // The launcher v1 token API is outside these clients; its bodies must not pass for theirs.
  auto const revoked = fixture("doc-examples/ttcc_launcher_v1_401_revoked_2022-08-08_apidocs.json");
  EXPECT_FALSE(parse_ttcc_login(revoked));
  EXPECT_FALSE(parse_ttcc_version(revoked));
  auto const metadata = fixture("doc-examples/ttcc_launcher_v1_metadata_2022-08-08_apidocs.json");
  EXPECT_FALSE(parse_ttcc_game_info(metadata));
  EXPECT_FALSE(parse_ttcc_districts(metadata));
}

TEST(toon_fixtures, AnotherServersInvasionApiIsNotMistakenForTtrs) {
  auto const altis = fixture("doc-examples/peer_projectaltis_invasion_2017-03-04_ProAltis-Changelogs.json");
  EXPECT_EQ(parse_ttr_invasions(altis).error(), errc::parse_error);
  EXPECT_FALSE(parse_ttcc_districts(altis));
}

TEST(toon_fixtures, EveryFileIsCoveredByATest) {
  // A fixture added to the folder must get a test here: the list is the folder's, not ours.
  std::set<std::string> const covered{
      "SOURCES.md",
      "ttcc_districts_2020-05-21_corporateclashstatus.json",
      "ttcc_releases_all_2022-10_CorporateClash-public.json",
      "ttr_invasions-object-only_2021-09-20_pytoontown.json",
      "ttr_login_success_2024-06_api-doc-issue17.txt",
      "doc-examples/peer_projectaltis_invasion_2017-03-04_ProAltis-Changelogs.json",
      "doc-examples/ttcc_districts_2018-07-13_api-docs-first-version_no-online-field.json",
      "doc-examples/ttcc_districts_2018-07_api-docs_FeatherField.json",
      "doc-examples/ttcc_districts_2022-04-30_apidocs.json",
      "doc-examples/ttcc_game_info_2022-08-08_apidocs.json",
      "doc-examples/ttcc_launcher_v1_401_revoked_2022-08-08_apidocs.json",
      "doc-examples/ttcc_launcher_v1_metadata_2022-08-08_apidocs.json",
      "doc-examples/ttcc_manifest_v1_2018-04_API-slate.json",
      "doc-examples/ttcc_news_2018-03_api-docs.json",
      "doc-examples/ttcc_ratelimit_429_2018_API-slate.json",
      "doc-examples/ttr_login_delayed_queue_api-doc.json",
      "doc-examples/ttr_login_failure_api-doc.json",
      "doc-examples/ttr_login_partial_2fa_api-doc.json",
      "doc-examples/ttr_login_success_api-doc.json",
  };
  namespace fs = std::filesystem;
  fs::path const root{testing::fixtures_dir()};
  std::size_t files = 0;
  for (auto const& entry : fs::recursive_directory_iterator{root}) {
    if (!entry.is_regular_file()) continue;
    ++files;
    auto const name = fs::relative(entry.path(), root).generic_string();
    EXPECT_TRUE(covered.count(name)) << name << " has no test";
  }
  EXPECT_EQ(files, covered.size());
}

}  // namespace
}  // namespace overworld::toon
