// `overworld ttr news|releasenotes|login` against overworld's own launcher service on a real
// server and SQLite file: the CLI prints what the server serves, and logs in through every state
// (success, two-step, the queue, failure).
#include "cli/support.hpp"
#include "http/server/support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

struct cli_ttr_launcher : ::testing::Test {
  overworld::testing::temp_dir dir;
  std::shared_ptr<store::launcher_store> db;
  std::unique_ptr<launcher::launcher_service> service;
  http::testing::running_server server;
  launcher::launcher_options o;

  void SetUp() override {
    std::string why;
    auto s = store::open_sqlite_launcher_store(dir.path() + "/launcher.sqlite", why);
    ASSERT_TRUE(s) << why;
    db = std::move(*s);
    o.passwords = launcher::password_policy{8192, 1};  // fast hashes, same code path
    o.queue.rate = 1;  // a second login within 3 s waits in line (the SDK polls it 5 s later)
    o.queue.window = std::chrono::milliseconds{3000};
    service = std::make_unique<launcher::launcher_service>(o, db);
    service->install(*server.routes);
    server.start();
    for (auto const* name : {"flippy", "loopy", "guarded"}) {
      ASSERT_TRUE(db->create_account(name, launcher::hash_password("correct horse", o.passwords).value()));
    }
    ASSERT_TRUE(launcher::set_two_step(*db, o.passwords, "guarded", "tulip-4242"));
    ASSERT_TRUE(db->post_news(store::news_item{0, "The Toon Council", "2022-02-25 21:16:00", "Doodle Days", "Summary",
                                               "Blog", "", "<p>Meet the <b>doodles</b>.</p>"}));
    ASSERT_TRUE(db->post_news(
        store::news_item{0, "Sir Kippy", "2025-06-15 12:00:00", "Field Offices", "Short", "Blog", "", ""}));
    ASSERT_TRUE(db->post_release_note(
        store::release_note{0, "ttr-live-v4.1.7d", "2025-04-20 05:25:00", "<p>Fixed the trolley.</p>"}));
  }
  std::vector<std::string> ttr(std::vector<std::string> args, bool as_json = false) const {
    std::vector<std::string> all{"--base-url", "http://127.0.0.1:" + std::to_string(server.port())};
    if (as_json) all.push_back("--json");
    all.push_back("ttr");
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  std::string get(std::string const& path) {
    http::testing::raw_connection c{server.port()};
    c.send(http::testing::get_request(path));
    auto r = c.read();
    return r ? r->body() : std::string{};
  }
};

TEST_F(cli_ttr_launcher, NewsAndReleaseNotes) {
  auto const newest = run(ttr({"news"}, true));
  ASSERT_EQ(newest.code, 0) << newest.err;
  EXPECT_EQ(json::parse(newest.out), json::parse(get("/api/news")));
  auto const table = run(ttr({"news"}));
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(line_starting(table.out, "Title").find("Field Offices"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "Date").find("June 15, 2025 at 12:00 PM"), std::string::npos) << table.out;

  auto const listed = run(ttr({"news", "--list"}, true));
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out), json::parse(get("/api/news/list")));
  auto const list_table = run(ttr({"news", "--list"}));
  ASSERT_EQ(list_table.code, 0) << list_table.err;
  EXPECT_NE(list_table.out.find("Doodle Days"), std::string::npos) << list_table.out;
  auto const first = std::to_string(json::parse(listed.out).as_array().at(1).at("postId").as_int64());
  auto const one = run(ttr({"news", first}));
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_NE(one.out.find("Meet the doodles."), std::string::npos) << one.out;
  EXPECT_EQ(run(ttr({"news", "999"})).code, 1);

  auto const notes = run(ttr({"releasenotes"}, true));
  ASSERT_EQ(notes.code, 0) << notes.err;
  EXPECT_EQ(json::parse(notes.out), json::parse(get("/api/releasenotes")));
  auto const id = std::to_string(json::parse(notes.out).as_array().at(0).at("noteId").as_int64());
  auto const note = run(ttr({"releasenotes", id}));
  ASSERT_EQ(note.code, 0) << note.err;
  EXPECT_NE(line_starting(note.out, "Version").find("ttr-live-v4.1.7d"), std::string::npos) << note.out;
  EXPECT_NE(note.out.find("Fixed the trolley."), std::string::npos) << note.out;
  EXPECT_NE(run(ttr({"releasenotes", "999"})).code, 0);
}

TEST_F(cli_ttr_launcher, LoginThroughEveryState) {
  // Two-step: the password, then the app token, each a line of standard input.
  auto const guarded = run(ttr({"login", "guarded"}, true), {}, "correct horse\ntulip-4242\n");
  ASSERT_EQ(guarded.code, 0) << guarded.err;
  auto const answer = json::parse(guarded.out).as_object();
  EXPECT_EQ(answer.at("success"), "true");
  EXPECT_EQ(answer.at("gameserver"), "127.0.0.1:7198");
  EXPECT_EQ(service->tokens().redeem(std::string{answer.at("cookie").as_string()})->username, "guarded");

  // Right after, the rate lets nobody in: this login waits in line and gets in by polling.
  auto const queued = run(ttr({"login", "flippy"}), {}, "correct horse\n");
  ASSERT_EQ(queued.code, 0) << queued.err << queued.out;
  EXPECT_NE(line_starting(queued.out, "Status").find("logged in"), std::string::npos) << queued.out;
  EXPECT_NE(queued.err.find("in the login queue: position 1"), std::string::npos) << queued.err;
  EXPECT_NE(queued.out.find("TTR_PLAYCOOKIE="), std::string::npos) << queued.out;

  auto const with_flag = run(ttr({"login", "guarded", "--code", "wrong-code"}, true), {}, "correct horse\n");
  EXPECT_EQ(with_flag.code, 4) << with_flag.err;
  EXPECT_EQ(json::parse(with_flag.out).at("success"), "partial") << "a wrong code asks again";

  auto const wrong = run(ttr({"login", "loopy"}, true), {}, "wrong horse\n");
  EXPECT_EQ(wrong.code, 4) << wrong.err;
  EXPECT_EQ(json::parse(wrong.out).at("banner"), "The username or password is incorrect.");
  EXPECT_EQ(run(ttr({"login", "loopy"})).code, 2) << "no password at all";
}

}  // namespace
}  // namespace overworld::cli::testing
