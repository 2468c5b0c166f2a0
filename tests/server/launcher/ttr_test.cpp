// TTR's news, release notes and login served by the launcher service, on a real server with a real
// SQLite file: exact bodies, headers, bad input, the shared per-account limit, two-step logins and
// the queue (moved by the test's clock).
#include "server/launcher/support.hpp"
#include "support/data.hpp"

#include <overworld/server/launcher/admin_api.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::launcher {
namespace {

using namespace std::chrono_literals;
using test_support::fast;
using test_support::launcher_fixture;

struct answer {
  unsigned status = 0;
  std::string content_type;
  std::string cors;
  std::string retry_after;
  std::string body;
};

struct ttr_fixture : launcher_fixture {
  answer send(std::string const& raw) {
    http::testing::raw_connection c{server.port()};
    c.send(raw);
    auto r = c.read();
    if (!r) return {};
    auto const field = [&](char const* name) {
      auto const v = (*r)[name];
      return std::string(v.data(), v.size());
    };
    return answer{r->result_int(), field("Content-Type"), field("Access-Control-Allow-Origin"), field("Retry-After"),
                  r->body()};
  }
  answer get(std::string const& target) { return send(http::testing::get_request(target)); }
  answer form(std::string const& target, std::string const& body,
              std::string const& type = "application/x-www-form-urlencoded") {
    return send("POST " + target + " HTTP/1.1\r\nHost: h\r\nContent-Type: " + type +
                "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  boost::json::object ttr_login(std::string const& body, unsigned expect = 200) {
    auto const a = form("/api/login?format=json", body);
    EXPECT_EQ(a.status, expect) << a.body;
    EXPECT_EQ(a.content_type, "application/json") << a.body;
    return boost::json::parse(a.body).as_object();
  }
  std::string redeem(std::string const& cookie) {
    unsigned status = 0;
    auto r = post("/internal/v1/tokens/redeem", R"({"token":")" + cookie + R"("})", "application/json", &status,
                  "Authorization: Bearer gs-key\r\n");
    return status == 200 ? std::string{r.at("account").at("username").as_string()} : std::string{};
  }
};

/// The members of a recorded TTR login answer (tests/data/toon/doc-examples), in their order.
std::vector<std::string> recorded_keys(std::string const& file) {
  auto const doc = boost::json::parse(
      overworld::testing::read_data_file(overworld::testing::toon_fixtures_dir() / "doc-examples" / file));
  std::vector<std::string> keys;
  for (auto const& [key, value] : doc.as_object()) {
    EXPECT_TRUE(value.is_string()) << key;  // TTR sends every value as a string
    keys.emplace_back(key);
  }
  return keys;
}

std::vector<std::string> keys_of(boost::json::object const& o) {
  std::vector<std::string> keys;
  for (auto const& [key, value] : o) {
    EXPECT_TRUE(value.is_string()) << key;
    keys.emplace_back(key);
  }
  return keys;
}

TEST(TtrDates, AsTheRealApiWritesThem) {
  EXPECT_EQ(ttr_date("2022-02-25 21:16:00"), "February 25, 2022 at 9:16 PM");
  EXPECT_EQ(ttr_date("2025-06-15 12:00:00"), "June 15, 2025 at 12:00 PM");
  EXPECT_EQ(ttr_date("2025-04-20 05:25:59"), "April 20, 2025 at 5:25 AM");
  EXPECT_EQ(ttr_date("2024-01-05 00:07:00"), "January 5, 2024 at 12:07 AM");
  EXPECT_EQ(ttr_date("2024-12-31T23:59:00Z"), "December 31, 2024 at 11:59 PM");
  EXPECT_EQ(ttr_date("yesterday"), "yesterday");
  EXPECT_EQ(ttr_date("2024-13-01 00:00:00"), "2024-13-01 00:00:00");
}

TEST_F(ttr_fixture, NewsInTtrsShapeFromTheOneStore) {
  EXPECT_EQ(get("/api/news").status, 404u);
  EXPECT_EQ(get("/api/news/list").body, "[]");
  auto const first = db->post_news(store::news_item{0, "The Toon Council", "2022-02-25 21:16:00", "Doodle Days",
                                                    "A summary", "Blog", "https://example.org/a.png", ""});
  auto const second = db->post_news(store::news_item{0, "Sir Kippy", "2025-06-15 12:00:00", "Field \"Offices\"",
                                                     "Short", "Blog", "", "<p>Long <b>body</b></p>"});
  ASSERT_TRUE(first && second);
  std::string const newest = R"({"postId":)" + std::to_string(*second) +
                             R"(,"title":"Field \"Offices\"","author":"Sir Kippy","body":"<p>Long <b>body</b></p>",)"
                             R"("date":"June 15, 2025 at 12:00 PM","image":""})";
  std::string const oldest = R"({"postId":)" + std::to_string(*first) +
                             R"(,"title":"Doodle Days","author":"The Toon Council","body":"A summary",)"
                             R"("date":"February 25, 2022 at 9:16 PM","image":"https://example.org/a.png"})";
  auto latest = get("/api/news");
  EXPECT_EQ(latest.status, 200u);
  EXPECT_EQ(latest.content_type, "application/json");
  EXPECT_EQ(latest.cors, "*");
  EXPECT_EQ(latest.body, newest);
  EXPECT_EQ(get("/api/news/list").body, "[" + newest + "," + oldest + "]");
  EXPECT_EQ(get("/api/news/" + std::to_string(*first)).body, oldest);
  // The same article in TTCC's launcher news.
  auto const ttcc = boost::json::parse(get("/api/v1/launcher/news/" + std::to_string(*first)).body).as_array();
  ASSERT_EQ(ttcc.size(), 1u);
  EXPECT_EQ(ttcc[0].at("title"), "Doodle Days");
  EXPECT_EQ(ttcc[0].at("posted"), "2022-02-25 21:16:00");

  auto const unknown = get("/api/news/999");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.body, R"({"error":"Unknown news post"})");
  EXPECT_EQ(unknown.cors, "*");
  for (std::string const bad : {"abc", "0", "-1", "1.5", "99999999999999999999", "1%00", "%FF", "1e3", "+1"}) {
    auto const a = get("/api/news/" + bad);
    EXPECT_EQ(a.status, 400u) << bad;
    EXPECT_EQ(a.body, R"({"error":"invalid news id"})") << bad;
  }
  EXPECT_EQ(get("/api/news").body, newest) << "still serving, nothing changed";
  EXPECT_EQ(db->news().value().size(), 2u);
}

TEST_F(ttr_fixture, ReleaseNotesInTtrsShape) {
  EXPECT_EQ(get("/api/releasenotes").body, "[]");
  auto const a = db->post_release_note(store::release_note{0, "ttr-live-v4.1.7d", "2025-04-20 05:25:00", "<p>A</p>"});
  auto const b = db->post_release_note(store::release_note{0, "ttr-live-v4.1.8", "2025-05-02 17:03:00", "<p>B</p>"});
  ASSERT_TRUE(a && b);
  auto const list = get("/api/releasenotes");
  EXPECT_EQ(list.status, 200u);
  EXPECT_EQ(list.cors, "*");
  EXPECT_EQ(list.body, R"([{"noteId":)" + std::to_string(*b) +
                           R"(,"slug":"ttr-live-v4.1.8","date":"May 2, 2025 at 5:03 PM"},{"noteId":)" +
                           std::to_string(*a) + R"(,"slug":"ttr-live-v4.1.7d","date":"April 20, 2025 at 5:25 AM"}])");
  EXPECT_EQ(get("/api/releasenotes/" + std::to_string(*a)).body,
            R"({"noteId":)" + std::to_string(*a) +
                R"(,"slug":"ttr-live-v4.1.7d","date":"April 20, 2025 at 5:25 AM","body":"<p>A</p>"})");
  auto const unknown = get("/api/releasenotes/4242");
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.body, R"({"error":"Unknown release note"})");
  EXPECT_EQ(get("/api/releasenotes/x").status, 400u);
  EXPECT_EQ(get("/api/releasenotes/x").body, R"({"error":"invalid release note id"})");
}

TEST_F(ttr_fixture, LoginSuccessInEveryForm) {
  auto ok = ttr_login("username=Flippy&password=correct+horse");
  EXPECT_EQ(keys_of(ok), recorded_keys("ttr_login_success_api-doc.json"));
  EXPECT_EQ(ok.at("success"), "true");
  EXPECT_EQ(ok.at("gameserver"), "127.0.0.1:7198");
  EXPECT_EQ(ok.at("manifest"), "/content/patchmanifest.txt");
  std::string const cookie{ok.at("cookie").as_string()};
  EXPECT_EQ(cookie.size(), 64u);
  EXPECT_EQ(redeem(cookie), "Flippy");  // the same single-use game tokens as TTCC's login
  EXPECT_EQ(redeem(cookie), "");

  // Query parameters instead of a body; every value a string, in TTR's order.
  auto const by_query = form("/api/login?format=json&username=flippy&password=correct%20horse", "");
  EXPECT_EQ(by_query.status, 200u);
  EXPECT_EQ(by_query.body.substr(0, 53), R"({"success":"true","gameserver":"127.0.0.1:7198","cook)");
  // Without format=json: key=value lines, as TTR answers.
  auto const lines = form("/api/login", "username=Flippy&password=correct+horse");
  EXPECT_EQ(lines.status, 200u);
  EXPECT_TRUE(lines.content_type.starts_with("text/plain")) << lines.content_type;
  EXPECT_TRUE(lines.body.starts_with("success=true\ngameserver=127.0.0.1:7198\ncookie=")) << lines.body;
  EXPECT_TRUE(lines.body.ends_with("\nmanifest=/content/patchmanifest.txt\n")) << lines.body;
}

TEST_F(ttr_fixture, FailuresHaveABanner) {
  auto wrong = ttr_login("username=Flippy&password=nope");
  EXPECT_EQ(keys_of(wrong), recorded_keys("ttr_login_failure_api-doc.json"));
  EXPECT_EQ(boost::json::serialize(wrong), R"({"success":"false","banner":"The username or password is incorrect."})");
  EXPECT_EQ(ttr_login("username=Nobody&password=nope").at("banner"), "The username or password is incorrect.");
  add("Banned", "pw");
  ASSERT_TRUE(db->set_banned_until("Banned", 1'700'000'000 + 2 * 3600));
  EXPECT_EQ(ttr_login("username=Banned&password=pw").at("banner"), "This account is banned for 2 more hours.");
  ASSERT_TRUE(db->set_maintenance(true));
  EXPECT_EQ(ttr_login("username=Flippy&password=correct+horse").at("banner"), "The game is closed for maintenance.");
}

TEST_F(ttr_fixture, BadInputIsRefusedInTtrsShape) {
  for (std::string const& body :
       std::vector<std::string>{"", "username=Flippy", "password=x", "appToken=123456", "authToken=abc",
                                "username=" + std::string(1100, 'a') + "&password=x"}) {
    auto const a = form("/api/login?format=json", body);
    EXPECT_EQ(a.status, 400u) << body;
    auto const v = boost::json::parse(a.body).as_object();
    EXPECT_EQ(v.at("success"), "false") << body;
    EXPECT_FALSE(v.at("banner").as_string().empty()) << body;
  }
  EXPECT_EQ(form("/api/login?format=json", R"({"username":"Flippy"})", "application/json").status, 415u);
  EXPECT_EQ(form("/api/login?format=json", "username=Bad%01Name&password=x").status, 400u);
  auto const too_large = form("/api/login?format=json", std::string(5000, 'a'));
  EXPECT_EQ(too_large.status, 413u);
  EXPECT_EQ(boost::json::parse(too_large.body).at("success"), "false") << too_large.body;
  auto const wrong_method = send(http::testing::get_request("/api/login"));
  EXPECT_EQ(wrong_method.status, 405u);
  EXPECT_EQ(boost::json::parse(wrong_method.body).at("success"), "false") << wrong_method.body;
  EXPECT_EQ(ttr_login("username=Flippy&password=correct+horse").at("success"), "true") << "still serving";
}

TEST_F(ttr_fixture, ThePerAccountLimitIsSharedWithTtccsLogin) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ttr_login("username=Flippy&password=wrong").at("success"), "false");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(login("flippy", "wrong").at("reason"), 1005);
  auto const limited = form("/api/login?format=json", "username=FLIPPY&password=correct+horse");
  EXPECT_EQ(limited.status, 429u);
  EXPECT_FALSE(limited.retry_after.empty());
  EXPECT_EQ(boost::json::parse(limited.body).at("success"), "false");
  unsigned status = 0;
  EXPECT_EQ(login("Flippy", "correct horse", &status).at("reason"), 429);
  EXPECT_EQ(status, 429u);
  time.advance(6min);
  EXPECT_EQ(ttr_login("username=Flippy&password=correct+horse").at("success"), "true");
}

TEST_F(ttr_fixture, TwoStepAsksForTheAppToken) {
  ASSERT_TRUE(set_two_step(*db, fast(), "Flippy", "tulip-4242"));
  auto partial = ttr_login("username=Flippy&password=correct+horse");
  EXPECT_EQ(keys_of(partial), recorded_keys("ttr_login_partial_2fa_api-doc.json"));
  EXPECT_EQ(partial.at("success"), "partial");
  EXPECT_EQ(partial.at("banner"), "Please enter an authenticator token.");
  std::string token{partial.at("responseToken").as_string()};
  EXPECT_EQ(token.size(), 64u);

  auto again = ttr_login("appToken=wrong-code&authToken=" + token);
  EXPECT_EQ(again.at("success"), "partial");
  std::string const second{again.at("responseToken").as_string()};
  EXPECT_NE(second, token);
  EXPECT_EQ(ttr_login("appToken=tulip-4242&authToken=" + token).at("success"), "false")
      << "a response token is single use";
  auto ok = ttr_login("appToken=tulip-4242&authToken=" + second);
  EXPECT_EQ(ok.at("success"), "true");
  EXPECT_EQ(redeem(std::string{ok.at("cookie").as_string()}), "Flippy");

  // TTCC's login cannot carry the code, so it does not let the account in.
  auto const ttcc = login("Flippy", "correct horse");
  EXPECT_EQ(ttcc.at("status"), false);
  EXPECT_EQ(ttcc.at("reason"), 1005);

  // Three wrong codes end the login.
  time.advance(6min);  // past the per-account window
  token = std::string{ttr_login("username=Flippy&password=correct+horse").at("responseToken").as_string()};
  for (int i = 0; i < 2; ++i) {
    auto p = ttr_login("appToken=bad-code&authToken=" + token);
    ASSERT_EQ(p.at("success"), "partial");
    token = std::string{p.at("responseToken").as_string()};
  }
  EXPECT_EQ(ttr_login("appToken=bad-code&authToken=" + token).at("success"), "false");

  // A response token expires.
  time.advance(6min);
  token = std::string{ttr_login("username=Flippy&password=correct+horse").at("responseToken").as_string()};
  time.advance(opts.two_step_lifetime + 1s);
  EXPECT_EQ(ttr_login("appToken=tulip-4242&authToken=" + token).at("banner"),
            "Your login has expired. Please log in again.");
}

struct ttr_two_step_bound : ttr_fixture {
  ttr_two_step_bound() { opts.two_step_pending = 1; }
};

TEST_F(ttr_two_step_bound, PartialLoginsWaitingForACodeAreBounded) {
  add("Second", "pw");
  ASSERT_TRUE(set_two_step(*db, fast(), "Flippy", "tulip-4242"));
  ASSERT_TRUE(set_two_step(*db, fast(), "Second", "tulip-4242"));
  auto const first = ttr_login("username=Flippy&password=correct+horse");
  ASSERT_EQ(first.at("success"), "partial");
  auto const refused = form("/api/login?format=json", "username=Second&password=pw");
  EXPECT_EQ(refused.status, 503u);
  EXPECT_EQ(refused.retry_after, "5");
  EXPECT_EQ(boost::json::parse(refused.body).at("success"), "false");
  // The one waiting completes; then there is room again.
  EXPECT_EQ(
      ttr_login("appToken=tulip-4242&authToken=" + std::string{first.at("responseToken").as_string()}).at("success"),
      "true");
  EXPECT_EQ(ttr_login("username=Second&password=pw").at("success"), "partial");
}

struct ttr_queue : ttr_fixture {
  ttr_queue() {
    opts.queue.rate = 1;
    opts.queue.window = 10s;
    opts.queue.max_length = 2;
    opts.queue.ticket_lifetime = 60s;
  }
};

TEST_F(ttr_queue, LoginsBeyondTheRateWaitInABoundedLine) {
  for (auto const* name : {"A", "B", "C", "D"}) add(name, "pw");
  EXPECT_EQ(ttr_login("username=A&password=pw").at("success"), "true");
  auto b = ttr_login("username=B&password=pw");
  EXPECT_EQ(keys_of(b), recorded_keys("ttr_login_delayed_queue_api-doc.json"));
  EXPECT_EQ(boost::json::serialize(b).substr(0, 52), R"({"success":"delayed","eta":"10","position":"1","queu)");
  auto c = ttr_login("username=C&password=pw");
  EXPECT_EQ(c.at("position"), "2");
  EXPECT_EQ(c.at("eta"), "20");
  auto d = ttr_login("username=D&password=pw");
  EXPECT_EQ(d.at("success"), "false") << "the line is full";
  EXPECT_EQ(service->queue().waiting(), 2u);

  std::string const tb{b.at("queueToken").as_string()}, tc{c.at("queueToken").as_string()};
  auto poll = ttr_login("queueToken=" + tb);
  EXPECT_EQ(poll.at("success"), "delayed");
  EXPECT_EQ(poll.at("position"), "1");
  EXPECT_EQ(std::string{poll.at("queueToken").as_string()}, tb);
  time.advance(10s + 1ms);
  auto in = ttr_login("queueToken=" + tb);
  EXPECT_EQ(in.at("success"), "true");
  EXPECT_EQ(redeem(std::string{in.at("cookie").as_string()}), "B");
  EXPECT_EQ(ttr_login("queueToken=" + tb).at("success"), "false") << "an admission is collected once";
  // C was let in a window later; an admission nobody collects, and a place nobody polls, are given up.
  time.advance(10s + 1ms);
  EXPECT_EQ(service->queue().waiting(), 0u);
  time.advance(61s);
  EXPECT_EQ(ttr_login("queueToken=" + tc).at("banner"), "Your place in line has expired. Please log in again.");
  EXPECT_EQ(ttr_login("queueToken=never-issued").at("success"), "false");
}

}  // namespace
}  // namespace overworld::launcher
