// TTCC's launcher v1 token API and the legacy GET login, on a real server with a real SQLite file:
// exact bodies, tokens kept as SHA-256 only, bounded per account, revoked tokens answered 401.
#include "server/launcher/support.hpp"
#include "support/data.hpp"

#include <overworld/server/launcher/admin_api.hpp>

#include <gtest/gtest.h>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <thread>
#include <vector>

namespace overworld::launcher {
namespace {

using test_support::fast;
using test_support::launcher_fixture;

constexpr char const* bad_token = R"({"error":"Unauthorized","bad_token":true})";

TEST(LauncherV1, TheRevokedAnswerIsTtccsDocumentedOne) {
  auto const doc = overworld::testing::read_data_file(
      overworld::testing::toon_fixtures_dir() / "doc-examples/ttcc_launcher_v1_401_revoked_2022-08-08_apidocs.json");
  EXPECT_EQ(boost::json::parse(doc), boost::json::parse(bad_token));
}

struct launcher_v1 : launcher_fixture {
  launcher_v1() { opts.tokens_per_account = 2; }

  struct answer {
    unsigned status = 0;
    std::string body;
    std::string cache_control;
  };
  answer send(std::string const& method, std::string const& target, std::string const& headers,
              std::string const& body = {}) {
    http::testing::raw_connection c{server.port()};
    c.send(method + " " + target + " HTTP/1.1\r\nHost: h\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    if (!r) return {};
    auto const cache = (*r)["Cache-Control"];
    return answer{r->result_int(), r->body(), std::string(cache.data(), cache.size())};
  }
  answer with_token(std::string const& method, std::string const& path, std::string const& token) {
    return send(method, "/api/launcher/v1/" + path, "Authorization: Bearer " + token + "\r\n");
  }
  boost::json::object register_(std::string const& body, unsigned* status = nullptr) {
    return post("/api/launcher/v1/register", body, "application/json", status);
  }
  std::string redeem(std::string const& token) {
    unsigned status = 0;
    auto r = post("/internal/v1/tokens/redeem", R"({"token":")" + token + R"("})", "application/json", &status,
                  "Authorization: Bearer gs-key\r\n");
    return status == 200 ? std::string{r.at("account").at("username").as_string()} : std::string{};
  }
};

TEST_F(launcher_v1, RegisterLoginMetadataRevoke) {
  unsigned status = 0;
  auto reg = register_(R"({"username":"flippy","password":"correct horse","friendly":"my laptop"})", &status);
  EXPECT_EQ(status, 200u);
  std::string const token{reg.at("token").as_string()};
  ASSERT_EQ(token.size(), 64u);
  auto const id = reg.at("id").as_int64();
  EXPECT_EQ(boost::json::serialize(reg),
            R"({"status":true,"reason":0,"toonstep":false,"message":"success!","token":")" + token + R"(","id":)" +
                std::to_string(id) + "}");
  // Kept as its SHA-256 only.
  EXPECT_TRUE(db->find_launcher_token(token_digest(token)));
  EXPECT_FALSE(db->find_launcher_token(token));
  auto const listed = db->launcher_tokens("Flippy").value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].friendly, "my laptop");
  EXPECT_EQ(listed[0].created, 1'700'000'000);

  auto login = with_token("POST", "login", token);
  EXPECT_EQ(login.status, 200u);
  auto const answer = boost::json::parse(login.body).as_object();
  std::string const play{answer.at("token").as_string()};
  EXPECT_EQ(
      login.body,
      R"({"status":true,"success":true,"toonstep":false,"message":"Welcome back to Toontown, Flippy!","token":")" +
          play + R"("})");
  EXPECT_EQ(redeem(play), "Flippy");  // the same single-use game tokens as /api/v1/login/
  EXPECT_EQ(redeem(play), "");

  for (auto const* method : {"GET", "POST"}) {
    auto meta = with_token(method, "metadata", token);
    EXPECT_EQ(meta.status, 200u);
    auto const m = boost::json::parse(meta.body).as_object();
    EXPECT_EQ(m.at("acc_launcher_friendly"), "my laptop");
    EXPECT_EQ(m.at("acc_launcher_authorization_id"), id);
    EXPECT_EQ(m.at("production_servers").as_array().size(), 0u);
    auto const& server = m.at("production_servers_v2").as_array().at(0).as_object();
    EXPECT_EQ(server.at("name"), "127.0.0.1:7198");
    EXPECT_EQ(server.at("realm"), "production");
    EXPECT_EQ(server.at("base_url"), "http://h/files/");
    EXPECT_EQ(server.at("v2"), true);
    for (auto const* key : {"production_windows_manifest_v2_url", "production_macos_manifest_v2_url",
                            "production_resources_manifest_v2_url"}) {
      EXPECT_EQ(m.at(key), "http://h/api/v1/launcher/manifest/") << key;
    }
    EXPECT_EQ(m.at("access_qa"), false);
    EXPECT_EQ(m.at("bad_token"), false);
    // Every field of TTCC's documented answer, of the same JSON type, and nothing else.
    auto const doc = boost::json::parse(overworld::testing::read_data_file(
                                            overworld::testing::toon_fixtures_dir() /
                                            "doc-examples/ttcc_launcher_v1_metadata_2022-08-08_apidocs.json"))
                         .as_object();
    EXPECT_EQ(m.size(), doc.size());
    for (auto const& [key, value] : doc) {
      ASSERT_TRUE(m.contains(key)) << key;
      EXPECT_EQ(m.at(key).kind(), value.kind()) << key;
    }
  }

  auto const revoked = with_token("POST", "revoke_self", token);
  EXPECT_EQ(revoked.status, 200u);
  EXPECT_EQ(revoked.body, R"({"status":true,"bad_token":false})");
  for (auto const* path : {"login", "metadata", "revoke_self"}) {
    auto const after = with_token("POST", path, token);
    EXPECT_EQ(after.status, 401u) << path;
    EXPECT_EQ(after.body, bad_token) << path;
  }
}

// The hashing threads only hash: a token login, which needs no argon2id, is not queued behind
// password logins.
struct launcher_v1_one_hasher : launcher_v1 {
  launcher_v1_one_hasher() { opts.hashing_threads = 1; }
};

TEST_F(launcher_v1_one_hasher, TokenLoginsDoNotWaitForPasswordHashing) {
  auto reg = register_(R"({"username":"flippy","password":"correct horse","friendly":"laptop"})");
  std::string const token{reg.at("token").as_string()};
  password_policy const slow{std::size_t{32} * 1024 * 1024, 3};  // each first login of these is slow
  for (auto const* name : {"Slow1", "Slow2", "Slow3"}) add(name, "pw", slow);
  std::atomic<int> done{0};
  std::vector<std::thread> logins;
  for (auto const* name : {"Slow1", "Slow2", "Slow3"}) {
    logins.emplace_back([this, name, &done] {
      EXPECT_EQ(login(name, "pw").at("reason"), 1000);
      ++done;
    });
  }
  // At least two are with the hashing thread (one running, one or two waiting) before the token
  // login: had it been queued behind them, it would be answered after them.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  while (service->hashing_waiting() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_GE(service->hashing_waiting(), 2u);
  auto const answer = with_token("POST", "login", token);
  EXPECT_EQ(answer.status, 200u);
  EXPECT_LT(done.load(), 3);  // answered while password logins still wait for their hashes
  for (auto& t : logins) t.join();
  EXPECT_EQ(done.load(), 3);
}

TEST_F(launcher_v1, UnknownAndMalformedTokensAre401) {
  for (std::string const& header : std::vector<std::string>{
           "", "Authorization: Basic ZmxpcHB5\r\n", "Authorization: Bearer \r\n", "Authorization: Bearer 0123\r\n",
           "Authorization: Bearer " + std::string(300, 'a') + "\r\n", "Authorization: bearer\r\n"}) {
    auto const a = send("POST", "/api/launcher/v1/login", header);
    EXPECT_EQ(a.status, 401u) << header;
    EXPECT_EQ(a.body, bad_token) << header;
  }
}

TEST_F(launcher_v1, RegisterRefusals) {
  unsigned status = 0;
  auto wrong = register_(R"({"username":"Flippy","password":"nope"})", &status);
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(
      boost::json::serialize(wrong),
      R"({"status":false,"reason":1005,"toonstep":false,"message":"The username or password is incorrect.","token":"","id":0})");
  EXPECT_EQ(post("/api/launcher/v1/register", "username=Flippy&password=correct+horse&friendly=desk",
                 "application/x-www-form-urlencoded", &status)
                .at("status"),
            true);
  EXPECT_EQ(db->launcher_tokens("Flippy").value().at(0).friendly, "desk");
  EXPECT_EQ(register_(R"({"username":"Flippy","password":"correct horse"})").at("status"), true);
  EXPECT_EQ(db->launcher_tokens("Flippy").value().at(0).friendly, "desk");
  EXPECT_EQ(db->launcher_tokens("Flippy").value().at(1).friendly, "launcher");

  for (auto const& [body, type, expect] :
       {std::tuple{std::string{"{"}, "application/json", 400u},
        std::tuple{std::string{R"({"username":"Flippy"})"}, "application/json", 400u},
        std::tuple{std::string{R"({"username":"Flippy","password":"x","friendly":7})"}, "application/json", 400u},
        std::tuple{std::string{R"({"username":"Flippy","password":"x","friendly":"a\u0001"})"}, "application/json",
                   400u},
        std::tuple{std::string{"hello"}, "text/plain", 415u}}) {
    auto const r = post("/api/launcher/v1/register", body, type, &status);
    EXPECT_EQ(status, expect) << body;
    EXPECT_EQ(r.at("status"), false) << body;
    EXPECT_EQ(r.at("reason"), static_cast<int>(expect)) << body;
  }
  EXPECT_EQ(db->launcher_tokens("").value().size(), 2u) << "refused calls keep nothing";

  ASSERT_TRUE(set_two_step(*db, fast(), "Flippy", "tulip-4242"));
  auto const toonstep = register_(R"({"username":"Flippy","password":"correct horse"})");
  EXPECT_EQ(toonstep.at("status"), false);
  EXPECT_EQ(toonstep.at("toonstep"), true);
}

TEST_F(launcher_v1, TokensPerAccountAreBoundedAndFollowTheAccount) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    tokens.emplace_back(register_(R"({"username":"Flippy","password":"correct horse"})").at("token").as_string());
  }
  EXPECT_EQ(with_token("POST", "login", tokens[0]).status, 401u) << "the oldest was revoked by the third";
  EXPECT_EQ(with_token("POST", "login", tokens[2]).status, 200u);
  EXPECT_EQ(db->launcher_tokens("Flippy").value().size(), 2u);

  ASSERT_TRUE(db->set_banned_until("Flippy", 1'700'000'000 + 3600));
  auto const banned = with_token("POST", "login", tokens[1]);
  EXPECT_EQ(banned.status, 200u);
  EXPECT_EQ(
      banned.body,
      R"({"status":false,"success":false,"toonstep":false,"message":"This account is banned for 1 more hour.","token":""})");
}

TEST_F(launcher_v1, LegacyGetLoginAnswersLikeThePost) {
  auto ok = send("GET", "/api/v1/login/Flippy?password=correct%20horse", "");
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.cache_control, "no-store");  // a token in the answer to a GET
  auto const v = boost::json::parse(ok.body).as_object();
  EXPECT_EQ(v.at("reason"), 1000);
  EXPECT_EQ(redeem(std::string{v.at("token").as_string()}), "Flippy");
  auto wrong = send("GET", "/api/v1/login/Flippy?password=nope", "");
  EXPECT_EQ(boost::json::parse(wrong.body).at("reason"), 1005);
  auto missing = send("GET", "/api/v1/login/Flippy", "");
  EXPECT_EQ(missing.status, 400u);
  EXPECT_EQ(boost::json::parse(missing.body).at("status"), false);
  EXPECT_EQ(send("GET", "/api/v1/login/Bad%01?password=x", "").status, 400u);
  EXPECT_EQ(send("GET", "/api/v1/login/Flippy?password=%ZZ", "").status, 400u);
}

}  // namespace
}  // namespace overworld::launcher
