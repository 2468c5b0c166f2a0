// `overworld ttcc …` against overworld's world service (districts, game info) and launcher
// service (news, version, login) on real servers: tables, --json and the exit codes of logins.
#include "cli/support.hpp"
#include "cli/world_support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/launcher_service.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <fstream>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> ttcc(std::string const& url, std::vector<std::string> args, bool as_json = false) {
  std::vector<std::string> all{"--base-url", url};
  if (as_json) all.push_back("--json");
  all.push_back("ttcc");
  all.insert(all.end(), args.begin(), args.end());
  return all;
}

TEST(cli_ttcc, DistrictsAndGameInfo) {
  world_server world{world::game_status{.open = true, .banner = "", .version = "v1.2.7.9"}};
  world.report("Kazoo Kanyon",
               R"({"population":61,"invasion":{"cog":"Flunky","defeated":180,"total":4913,"started_at":1699999000}})");
  world.report("Cupcake Cove", R"({"population":12})");
  world.publish();

  auto const as_json = run(ttcc(world.url(), {"districts"}, true));
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(world.get("/api/v1/districts.js")));
  auto const legacy = run(ttcc(world.url(), {"districts", "--legacy"}, true));
  ASSERT_EQ(legacy.code, 0) << legacy.err;
  EXPECT_EQ(json::parse(legacy.out), json::parse(world.get("/api/v1/districts/")));

  auto const table = run(ttcc(world.url(), {"districts"}));
  ASSERT_EQ(table.code, 0) << table.err;
  auto const kazoo = line_starting(table.out, "Kazoo Kanyon");
  EXPECT_NE(kazoo.find("61"), std::string::npos) << table.out;
  EXPECT_NE(kazoo.find("Flunky"), std::string::npos) << table.out;
  EXPECT_NE(kazoo.find("180/4913"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "Cupcake Cove").find("12"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "Total").find("73"), std::string::npos) << table.out;

  auto const info_json = run(ttcc(world.url(), {"info"}, true));
  ASSERT_EQ(info_json.code, 0) << info_json.err;
  EXPECT_EQ(json::parse(info_json.out), json::parse(world.get("/api/v1/game_info.js")));
  auto const info = run(ttcc(world.url(), {"info"}));
  EXPECT_NE(line_starting(info.out, "Game version").find("v1.2.7.9"), std::string::npos) << info.out;
  EXPECT_NE(line_starting(info.out, "Open").find("yes"), std::string::npos) << info.out;
}

struct cli_ttcc_launcher : ::testing::Test {
  overworld::testing::temp_dir dir;
  std::shared_ptr<store::launcher_store> db;
  std::unique_ptr<launcher::launcher_service> service;
  http::testing::running_server server;

  void SetUp() override {
    std::string why;
    auto s = store::open_sqlite_launcher_store(dir.path() + "/launcher.sqlite", why);
    ASSERT_TRUE(s) << why;
    db = std::move(*s);
    launcher::launcher_options o;
    o.passwords = launcher::password_policy{8192, 1};  // fast hashes, same code path
    service = std::make_unique<launcher::launcher_service>(o, db);
    service->install(*server.routes);
    server.start();
    ASSERT_TRUE(db->create_account("flippy", launcher::hash_password("correct horse", o.passwords).value()));
    ASSERT_TRUE(db->set_launcher_version("1.4.2"));
    store::news_item first;
    first.author = "Corporate Clash Team";
    first.posted = "2018-03-09 22:30:33";
    first.title = "There's a New Chef in Town!";
    first.summary = "<p>Meet the <b>chef</b> &amp; friends.</p>";
    first.category = "Blog";
    ASSERT_TRUE(db->post_news(first));
    store::news_item second = first;
    second.title = "Patch notes";
    second.category = "alpha-updates";
    ASSERT_TRUE(db->post_news(second));
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
  std::string get(std::string const& path) {
    http::testing::raw_connection c{server.port()};
    c.send(http::testing::get_request(path));
    auto r = c.read();
    return r ? r->body() : std::string{};
  }
};

TEST_F(cli_ttcc_launcher, NewsAndVersion) {
  auto const all = run(ttcc(url(), {"news"}, true));
  ASSERT_EQ(all.code, 0) << all.err;
  auto const served = json::parse(get("/api/v1/launcher/news/"));
  EXPECT_EQ(json::parse(all.out), served);
  auto const table = run(ttcc(url(), {"news"}));
  ASSERT_EQ(table.code, 0) << table.err;
  for (auto const& a : served.as_array()) {
    auto const row = line_starting(table.out, to_text(a.at("id")));
    EXPECT_NE(row.find(to_text(a.at("title"))), std::string::npos) << table.out;
    EXPECT_NE(row.find(to_text(a.at("category"))), std::string::npos) << table.out;
  }

  auto const id = to_text(served.at(0).at("id"));
  auto const one = run(ttcc(url(), {"news", id}, true));
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(json::parse(one.out), json::parse(get("/api/v1/launcher/news/" + id)));
  auto const article = run(ttcc(url(), {"news", id}));
  ASSERT_EQ(article.code, 0) << article.err;
  EXPECT_NE(line_starting(article.out, "Title").find(to_text(served.at(0).at("title"))), std::string::npos)
      << article.out;
  EXPECT_NE(article.out.find("Meet the chef & friends."), std::string::npos) << article.out;
  EXPECT_EQ(run(ttcc(url(), {"news", "999"})).code, 1);

  auto const version = run(ttcc(url(), {"version"}, true));
  ASSERT_EQ(version.code, 0) << version.err;
  EXPECT_EQ(json::parse(version.out), json::parse(get("/api/v1/launcher/version/")));
  EXPECT_NE(line_starting(run(ttcc(url(), {"version"})).out, "Launcher version").find("1.4.2"), std::string::npos);
}

TEST_F(cli_ttcc_launcher, LoginWithPasswordFromStdinOrEnvironment) {
  auto const ok = run(ttcc(url(), {"login", "flippy"}), {}, "correct horse\n");
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(line_starting(ok.out, "Reason").find("1000"), std::string::npos) << ok.out;
  auto const token = line_starting(ok.out, "Token");
  EXPECT_GT(token.size(), std::string{"Token"}.size() + 8) << ok.out;

  auto const as_json = run(ttcc(url(), {"login", "flippy"}, true), {{"OVERWORLD_TTCC_PASSWORD", "correct horse"}});
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  auto const answer = json::parse(as_json.out);
  EXPECT_EQ(answer.at("status"), true);
  EXPECT_EQ(answer.at("reason"), 1000);
  EXPECT_FALSE(answer.at("token").as_string().empty());

  auto const wrong = run(ttcc(url(), {"login", "flippy"}, true), {}, "wrong horse\n");
  EXPECT_EQ(wrong.code, 4) << wrong.err;
  EXPECT_EQ(json::parse(wrong.out).at("reason"), 1005) << "the answer is still printed";

  ASSERT_TRUE(db->set_maintenance(true));
  auto const closed = run(ttcc(url(), {"login", "flippy"}), {}, "correct horse\n");
  EXPECT_EQ(closed.code, 5) << closed.out << closed.err;
  EXPECT_NE(line_starting(closed.out, "Reason").find("1004"), std::string::npos) << closed.out;

  EXPECT_EQ(run(ttcc(url(), {"login", "flippy"})).code, 2) << "no password at all";
}

TEST_F(cli_ttcc_launcher, LauncherTokensRegisterLoginMetadataRevoke) {
  auto const file = dir.path() + "/ttcc-token";
  auto const reg =
      run(ttcc(url(), {"register", "flippy", "--device", "laptop", "--save", file}), {}, "correct horse\n");
  ASSERT_EQ(reg.code, 0) << reg.err;
  EXPECT_NE(line_starting(reg.out, "Status").find("registered"), std::string::npos) << reg.out;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  std::ifstream in{file};
  std::string token;
  std::getline(in, token);
  EXPECT_EQ(token.size(), 64U) << token;
  EXPECT_NE(line_starting(reg.out, "Token").find(token), std::string::npos) << reg.out;

  auto const login = run(ttcc(url(), {"login", "--launcher-token-file", file}, true));
  ASSERT_EQ(login.code, 0) << login.err;
  auto const answer = json::parse(login.out);
  EXPECT_EQ(answer.at("status"), true);
  EXPECT_FALSE(answer.at("token").as_string().empty());
  EXPECT_NE(answer.at("token").as_string(), token) << "a game token, not the launcher token";
  auto const from_stdin = run(ttcc(url(), {"login", "--launcher-token-file", "-"}), {}, token + "\n");
  EXPECT_EQ(from_stdin.code, 0) << from_stdin.err;
  EXPECT_NE(line_starting(from_stdin.out, "Status").find("logged in"), std::string::npos) << from_stdin.out;

  auto const metadata = run(ttcc(url(), {"metadata", "--launcher-token-file", file}));
  ASSERT_EQ(metadata.code, 0) << metadata.err;
  EXPECT_EQ(json::parse(metadata.out).at("acc_launcher_friendly"), "laptop");

  auto const revoke = run(ttcc(url(), {"revoke", "--launcher-token-file", file}));
  EXPECT_EQ(revoke.code, 0) << revoke.err;
  auto const after = run(ttcc(url(), {"login", "--launcher-token-file", file}, true));
  EXPECT_EQ(after.code, 4) << after.err;
  EXPECT_EQ(json::parse(after.out).at("bad_token"), true);
  EXPECT_EQ(run(ttcc(url(), {"metadata", "--launcher-token-file", file})).code, 4);

  auto const wrong = run(ttcc(url(), {"register", "flippy"}), {}, "wrong horse\n");
  EXPECT_EQ(wrong.code, 4) << wrong.err;
  EXPECT_NE(line_starting(wrong.out, "Reason").find("1005"), std::string::npos) << wrong.out;
  EXPECT_EQ(run(ttcc(url(), {"login", "--launcher-token-file", dir.path() + "/none"})).code, 2);
  EXPECT_EQ(run(ttcc(url(), {"login"})).code, 2);
}

TEST(cli_ttcc_unreachable, ExitsThree) {
  refusing_port closed;
  EXPECT_EQ(run(ttcc(closed.url(), {"districts"})).code, 3);
  EXPECT_EQ(run(ttcc(closed.url(), {"login", "flippy"}), {}, "pw\n").code, 3);
}

}  // namespace
}  // namespace overworld::cli::testing
