// `overworld ttr releasenotes` and `overworld ttr login` against a server answering TTR's
// documented shapes: the login walks the queue (delayed) and the two-step code (partial) to
// success, reading the password and the code from standard input.
#include "cli/support.hpp"
#include "http/server/support.hpp"
#include "support/data.hpp"

#include <gtest/gtest.h>

#include <mutex>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

std::string doc_example(std::string const& name) {
  return overworld::testing::read_data_file(overworld::testing::toon_fixtures_dir() / "doc-examples" / name);
}

struct cli_ttr_login : ::testing::Test {
  // Before the server: its handler writes them until the server is gone.
  std::mutex mutex;
  std::vector<std::string> bodies;  // every /api/login body, in order
  http::testing::running_server server;

  void SetUp() override {
    server.routes->get("/api/releasenotes", http::sync_handler{[](http::request const&) {
                         return http::response::json(
                             200, R"([{"noteId":105,"slug":"ttr-live-v4.1.7d","date":"April 20, 2025 at 5:25 AM"},)"
                                  R"({"noteId":104,"slug":"ttr-live-v4.1.7c","date":"April 2, 2025 at 7:05 PM"}])");
                       }});
    server.routes->get("/api/releasenotes/105", http::sync_handler{[](http::request const&) {
                         return http::response::json(
                             200, R"({"noteId":105,"slug":"ttr-live-v4.1.7d","date":"April 20, 2025 at 5:25 AM",)"
                                  R"("body":"<p>Fixed the <b>trolley</b>.</p>"})");
                       }});
    server.routes->get("/api/releasenotes/{id}", http::sync_handler{[](http::request const&) {
                         return http::response::json(200, R"({"error":"Unknown release note"})");
                       }});
    // The first step answers `delayed` for "queued" (`partial` for others), the queue poll
    // `partial`, the code `success`; a wrong password `failure`.
    server.routes->post("/api/login", http::sync_handler{[this](http::request const& r) {
                          std::lock_guard lock{mutex};
                          bodies.emplace_back(r.body);
                          auto const form = r.body;
                          if (http::form_value(form, "password") == "wrong") {
                            return http::response::json(200, doc_example("ttr_login_failure_api-doc.json"));
                          }
                          if (http::form_value(form, "username") == "queued") {
                            // The documented answer with a short eta: the client still waits its floor (5 s) once.
                            auto delayed = doc_example("ttr_login_delayed_queue_api-doc.json");
                            delayed.replace(delayed.find("\"60\""), 4, "\"1\"");
                            return http::response::json(200, delayed);
                          }
                          if (http::form_value(form, "username")) {
                            return http::response::json(200, doc_example("ttr_login_partial_2fa_api-doc.json"));
                          }
                          if (http::form_value(form, "queueToken")) {
                            return http::response::json(200, doc_example("ttr_login_partial_2fa_api-doc.json"));
                          }
                          return http::response::json(200, doc_example("ttr_login_success_api-doc.json"));
                        }});
    server.start();
  }
  run_result ttr(std::vector<std::string> args, std::string const& input = {}) {
    std::vector<std::string> all{"--base-url", "http://127.0.0.1:" + std::to_string(server.port()), "ttr"};
    all.insert(all.end(), args.begin(), args.end());
    return run(all, {{"NO_COLOR", "1"}}, input);
  }
};

TEST_F(cli_ttr_login, ReleaseNotesListOneAndUnknown) {
  auto const list = ttr({"releasenotes"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(line_starting(list.out, "105").find("ttr-live-v4.1.7d"), std::string::npos) << list.out;
  EXPECT_NE(line_starting(list.out, "104").find("April 2, 2025"), std::string::npos) << list.out;
  auto const one = ttr({"releasenotes", "105"});
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_NE(one.out.find("Fixed the trolley."), std::string::npos) << one.out;
  auto const as_json = ttr({"releasenotes", "105", "-o", "json"});
  EXPECT_EQ(json::parse(as_json.out).at("noteId"), 105);
  auto const unknown = ttr({"releasenotes", "7"});
  EXPECT_EQ(unknown.code, 1) << unknown.err;
}

TEST_F(cli_ttr_login, QueueThenCodeThenSuccess) {
  auto const r = ttr({"login", "queued"}, "secret\n123456\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("in the login queue: position 15, about 1s"), std::string::npos) << r.err;
  EXPECT_NE(line_starting(r.out, "Game server").find("gameserver-alpha.toontownrewritten.com"), std::string::npos)
      << r.out;
  EXPECT_NE(line_starting(r.out, "Cookie").find("deadbeefdeafbeef0x123"), std::string::npos) << r.out;
  std::lock_guard lock{mutex};
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(http::form_value(bodies[0], "username"), "queued");
  EXPECT_EQ(http::form_value(bodies[0], "password"), "secret");
  EXPECT_EQ(http::form_value(bodies[1], "queueToken"), "deafbeefdeafbeef0x321");
  EXPECT_EQ(http::form_value(bodies[2], "appToken"), "123456");
  EXPECT_EQ(http::form_value(bodies[2], "authToken"), "deadbeef0x321");
}

TEST_F(cli_ttr_login, CodeFromTheFlagAndJson) {
  auto const r = ttr({"login", "mytoon", "--code", "654321", "-o", "json"}, "secret\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("cookie"), "deadbeefdeafbeef0x123");
  std::lock_guard lock{mutex};
  EXPECT_EQ(http::form_value(bodies.back(), "appToken"), "654321");
}

TEST_F(cli_ttr_login, RefusedAndNoPassword) {
  auto const refused = ttr({"login", "mytoon"}, "wrong\n");
  EXPECT_EQ(refused.code, 4) << refused.err;
  EXPECT_NE(line_starting(refused.out, "Message").find("not yet been activated"), std::string::npos) << refused.out;
  auto const refused_json = ttr({"login", "mytoon", "-o", "json"}, "wrong\n");
  EXPECT_EQ(refused_json.code, 4);
  EXPECT_EQ(json::parse(refused_json.out).at("success"), "false");
  EXPECT_NE(refused_json.err.find("login refused"), std::string::npos) << refused_json.err;
  auto const none = ttr({"login", "mytoon"});
  EXPECT_EQ(none.code, 2) << none.err;
  EXPECT_NE(none.err.find("OVERWORLD_TTR_PASSWORD"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace overworld::cli::testing
