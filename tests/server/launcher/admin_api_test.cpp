// The admin API on a real server and SQLite file: numbers out of range, fractional or not numbers
// are refused with 400 naming the field, and nothing already stored changes; names and news fields
// follow the name rule.
#include "http/server/support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/admin_api.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <ctime>

namespace overworld::launcher {
namespace {

using namespace std::string_literals;
using http::testing::raw_connection;
using http::testing::running_server;

struct admin_fixture : ::testing::Test {
  overworld::testing::temp_dir dir;
  std::shared_ptr<store::launcher_store> db;
  std::unique_ptr<admin_api> api;
  running_server server;

  void SetUp() override {
    std::string why;
    auto s = store::open_sqlite_launcher_store(dir.path() + "/launcher.sqlite", why);
    ASSERT_TRUE(s) << why;
    db = std::move(*s);
    api = std::make_unique<admin_api>(db, password_policy{8192, 1}, "admin-key", dir.path() + "/manifest-rebuild");
    api->install(*server.routes);
    server.start();
    ASSERT_TRUE(db->create_account("demo", "not-a-hash"));
  }
  std::pair<unsigned, std::string> call(std::string const& method, std::string const& path, std::string const& body) {
    raw_connection c{server.port()};
    c.send(method + " " + path +
           " HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer admin-key\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  }
};

std::vector<std::string> const bad_numbers{
    "3e15",  "1e19", "1e300", "1e400", "-1e400", "-5", "0", "1.5", "18446744073709551616",
    "\"5\"", "true", "null",  "[5]"};

TEST_F(admin_fixture, BanHoursOutOfRangeAre400AndKeepTheBan) {
  auto const banned = call("POST", "/admin/v1/accounts/demo/ban", R"({"hours":2})");
  ASSERT_EQ(banned.first, 200u) << banned.second;
  auto const before = db->find_account("demo")->banned_until;
  EXPECT_GT(before, std::time(nullptr));
  for (auto const& n : bad_numbers) {
    auto const r = call("POST", "/admin/v1/accounts/demo/ban", R"({"hours":)" + n + "}");
    EXPECT_EQ(r.first, 400u) << n;
    EXPECT_EQ(r.second, R"({"error":"hours must be a whole number from 1 to 878400"})") << n;
  }
  EXPECT_EQ(call("POST", "/admin/v1/accounts/demo/ban", "{}").first, 400u);
  EXPECT_EQ(db->find_account("demo")->banned_until, before);
  // The largest ban is a date far ahead, never a negative one.
  auto const longest = call("POST", "/admin/v1/accounts/demo/ban", R"({"hours":878400})");
  ASSERT_EQ(longest.first, 200u);
  EXPECT_GT(boost::json::parse(longest.second).at("banned_until").as_int64(), std::time(nullptr) + 3'000'000'000LL);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/demo/ban", R"({"hours":1e2})").first, 200u);  // a whole number
}

TEST_F(admin_fixture, PointsOutOfRangeAre400AndKeepThePoints) {
  ASSERT_EQ(call("POST", "/admin/v1/accounts/demo/points", R"({"n":7})").first, 200u);
  for (auto const& n : {"3e15"s, "1e19"s, "1e300"s, "1e400"s, "-1e19"s, "1.5"s, "1000001"s, "-1000001"s,
                        "9223372036854775807"s, "\"7\""s}) {
    auto const r = call("POST", "/admin/v1/accounts/demo/points", R"({"n":)" + n + "}");
    EXPECT_EQ(r.first, 400u) << n;
    EXPECT_EQ(r.second, R"({"error":"n must be a whole number from -1000000 to 1000000"})") << n;
  }
  EXPECT_EQ(db->find_account("demo")->moderation_points, 7);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/demo/points", R"({"n":-3})").second, R"({"moderation_points":4})");
}

TEST_F(admin_fixture, NewsIdsAreRangeChecked) {
  auto const posted = call("POST", "/admin/v1/news", R"({"title":"Patch","summary":"Notes\nmore notes"})");
  ASSERT_EQ(posted.first, 201u) << posted.second;
  for (auto const& id : {"1e19"s, "-1"s, "0"s, "99999999999999999999"s, "1.5"s, "abc"s}) {
    auto const r = call("PUT", "/admin/v1/news/" + id, R"({"title":"x"})");
    EXPECT_EQ(r.first, 400u) << id;
    EXPECT_EQ(r.second, R"({"error":"id must be a whole number from 1 to 9007199254740992"})") << id;
    EXPECT_EQ(call("DELETE", "/admin/v1/news/" + id, "").first, 400u) << id;
  }
  EXPECT_EQ(call("DELETE", "/admin/v1/news/9", "").first, 404u);
  EXPECT_EQ(db->news()->size(), 1u);
}

TEST_F(admin_fixture, NamesAndNewsFieldsFollowTheNameRule) {
  for (auto const& name : {"Bad\xFF\xFE"s, "a\\u0000b"s, "a\\nb"s, "\\ud800"s, std::string(65, 'n')}) {
    auto const r = call("POST", "/admin/v1/accounts", R"({"name":")" + name + R"(","password":"pw"})");
    EXPECT_EQ(r.first, 400u) << name << " " << r.second;
  }
  EXPECT_EQ(call("POST", "/admin/v1/accounts/a%FF/ban", R"({"hours":1})").first, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/a%00/ban", R"({"hours":1})").first, 400u);
  auto const title = call("POST", "/admin/v1/news", R"({"title":"T\u0007","summary":"S"})");
  EXPECT_EQ(title.first, 400u);
  EXPECT_EQ(title.second, R"({"error":"title has control characters"})");
  EXPECT_EQ(call("POST", "/admin/v1/news", R"({"title":"T","summary":"S","category":"a\tb"})").first, 400u);
  EXPECT_EQ(call("PUT", "/admin/v1/version", R"({"version":"1.0\u0000"})").first, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts", R"({"name":"Zoë","password":"pw"})").first, 201u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts", R"({"name":"DEMO","password":"pw"})").first, 409u);
}

TEST_F(admin_fixture, ReleaseNotesAndNewsBodies) {
  auto const posted = call("POST", "/admin/v1/releasenotes", R"({"slug":"ttr-live-v4.1.7d","body":"<p>A\nB</p>"})");
  ASSERT_EQ(posted.first, 201u) << posted.second;
  auto const id = std::to_string(boost::json::parse(posted.second).at("id").as_int64());
  EXPECT_EQ(call("PUT", "/admin/v1/releasenotes/" + id, R"({"slug":"ttr-live-v4.1.7e"})").first, 200u);
  auto const list = boost::json::parse(call("GET", "/admin/v1/releasenotes", "").second);
  auto const& note = list.at("release_notes").as_array().at(0);
  EXPECT_EQ(note.at("slug"), "ttr-live-v4.1.7e");
  EXPECT_EQ(note.at("body"), "<p>A\nB</p>");
  for (auto const& bad : {R"({"slug":"x"})"s, R"({"body":"x"})"s, R"({"slug":"a\u0001","body":"x"})"s,
                          R"({"slug":7,"body":"x"})"s, "["s}) {
    EXPECT_EQ(call("POST", "/admin/v1/releasenotes", bad).first, 400u) << bad;
  }
  EXPECT_EQ(call("PUT", "/admin/v1/releasenotes/" + id, R"({"slug":""})").first, 400u);
  EXPECT_EQ(call("PUT", "/admin/v1/releasenotes/999", R"({"slug":"x"})").first, 404u);
  EXPECT_EQ(call("DELETE", "/admin/v1/releasenotes/0", "").first, 400u);
  EXPECT_EQ(db->release_notes().value().at(0).slug, "ttr-live-v4.1.7e") << "refused calls change nothing";
  EXPECT_EQ(call("DELETE", "/admin/v1/releasenotes/" + id, "").first, 200u);
  EXPECT_EQ(call("DELETE", "/admin/v1/releasenotes/" + id, "").first, 404u);

  auto const news = call("POST", "/admin/v1/news", R"({"title":"T","summary":"S","body":"<p>HTML</p>"})");
  ASSERT_EQ(news.first, 201u) << news.second;
  auto const listed = boost::json::parse(call("GET", "/admin/v1/news", "").second);
  EXPECT_EQ(listed.at("news").as_array().at(0).at("body"), "<p>HTML</p>");
}

TEST_F(admin_fixture, LauncherTokensAreListedWithoutSecretsAndRevoked) {
  auto const account = db->find_account("demo")->id;
  auto const id = db->add_launcher_token(account, "secret-hash", "my laptop", 1'700'000'000, 10).value();
  auto const listed = call("GET", "/admin/v1/launcher-tokens?account=DEMO", "");
  ASSERT_EQ(listed.first, 200u);
  EXPECT_EQ(listed.second, R"({"tokens":[{"id":)" + std::to_string(id) +
                               R"(,"account":"demo","friendly":"my laptop","created":1700000000}]})");
  EXPECT_EQ(listed.second.find("secret"), std::string::npos);
  EXPECT_EQ(call("GET", "/admin/v1/launcher-tokens?account=nobody", "").second, R"({"tokens":[]})");
  EXPECT_EQ(call("GET", "/admin/v1/launcher-tokens?account=%01", "").first, 400u);
  EXPECT_EQ(call("DELETE", "/admin/v1/launcher-tokens/x", "").first, 400u);
  EXPECT_EQ(call("DELETE", "/admin/v1/launcher-tokens/" + std::to_string(id), "").first, 200u);
  EXPECT_EQ(call("DELETE", "/admin/v1/launcher-tokens/" + std::to_string(id), "").first, 404u);
  EXPECT_EQ(db->find_launcher_token("secret-hash").error(), errc::not_found);

  // A new password revokes every launcher token of the account.
  ASSERT_TRUE(db->add_launcher_token(account, "hash-a", "a", 1, 10));
  ASSERT_TRUE(db->add_launcher_token(account, "hash-b", "b", 2, 10));
  ASSERT_EQ(call("POST", "/admin/v1/accounts/demo/password", R"({"password":"new one"})").first, 200u);
  EXPECT_TRUE(db->launcher_tokens("demo").value().empty());
}

TEST_F(admin_fixture, TwoStepIsSetAsAHashAndTurnedOff) {
  EXPECT_EQ(call("POST", "/admin/v1/accounts/demo/two-step", R"({"app_token":"12345"})").first, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/demo/two-step", R"({})").first, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/nobody/two-step", R"({"app_token":"123456"})").first, 404u);
  EXPECT_EQ(db->find_account("demo")->two_step_hash, "");
  ASSERT_EQ(call("POST", "/admin/v1/accounts/demo/two-step", R"({"app_token":"123456"})").first, 200u);
  auto const hash = db->find_account("demo")->two_step_hash;
  EXPECT_TRUE(verify_password(hash, "123456")) << hash;
  EXPECT_EQ(call("DELETE", "/admin/v1/accounts/demo/two-step", "").first, 200u);
  EXPECT_EQ(db->find_account("demo")->two_step_hash, "");
}

}  // namespace
}  // namespace overworld::launcher
