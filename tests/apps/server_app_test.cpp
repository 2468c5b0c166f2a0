// overworld-server as users run it: a real process, a generated config, signals, exit codes.
#include "apps/app_support.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>
#include <tuple>

namespace overworld {
namespace {

using testing::admin;
using testing::child_process;
using testing::port_of;
using testing::server_binary;
using testing::temp_dir;

TEST(ServerApp, ServesHealthAndStopsCleanlyOnSigterm) {
  temp_dir dir;
  child_process p{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}};
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  auto const port = port_of(*line);
  ASSERT_NE(port, 0);
  EXPECT_NE(p.output().find("serving http://127.0.0.1:"), std::string::npos);

  http::testing::raw_connection c{port};
  c.send(http::testing::get_request("/healthz"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), R"({"status":"ok"})");

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
  EXPECT_NE(p.output().find("SIGTERM received"), std::string::npos) << p.output();
}

TEST(ServerApp, PrecedenceFileThenEnvironmentThenFlag) {
  temp_dir dir;
  std::string const cfg = dir.path() + "/overworld.toml";
  {
    std::ofstream out{cfg};
    out << "listen = \"127.0.0.1:1\"\n[log]\nformat = \"json\"\nlevel = \"info\"\n";
  }
  // The environment beats the file (port 1 would fail to bind as non-root or be taken).
  child_process p{server_binary(), {"--config", cfg, "--data", dir.path()}, {{"OVERWORLD_LISTEN", "127.0.0.1:0"}}};
  ASSERT_TRUE(p.wait_for_line("listening on")) << p.output();
  // log.format = json from the file: the start-up line is a JSON object.
  auto json_line = p.wait_for_line("\"msg\":\"started");
  ASSERT_TRUE(json_line) << p.output();
  EXPECT_EQ(json_line->front(), '{');
  p.signal(SIGINT);
  EXPECT_EQ(p.wait(), 0);

  // A flag beats the environment.
  child_process q{server_binary(),
                  {"--config", cfg, "--log-format", "text", "--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LISTEN", "bad address"}}};
  ASSERT_TRUE(q.wait_for_line("listening on")) << q.output();
  auto text_line = q.wait_for_line("started");
  ASSERT_TRUE(text_line);
  EXPECT_NE(text_line->front(), '{');
  q.signal(SIGTERM);
  EXPECT_EQ(q.wait(), 0);
}

TEST(ServerApp, BadConfigurationIsOneLineAndNonZero) {
  temp_dir dir;
  std::string const cfg = dir.path() + "/bad.toml";
  {
    std::ofstream out{cfg};
    out << "lisen = \"127.0.0.1:0\"\n";
  }
  child_process p{server_binary(), {"--config", cfg}};
  EXPECT_EQ(p.wait(), 2);
  EXPECT_NE(p.output().find("unknown config key: lisen"), std::string::npos) << p.output();

  child_process q{server_binary(), {"--listen", "nowhere"}};
  EXPECT_EQ(q.wait(), 2);
  EXPECT_NE(q.output().find("listen: expected HOST:PORT"), std::string::npos) << q.output();

  child_process r{server_binary(), {"--config", dir.path() + "/missing.toml"}};
  EXPECT_EQ(r.wait(), 2);
  EXPECT_NE(r.output().find("missing.toml"), std::string::npos) << r.output();
}

TEST(ServerApp, HttpLimitsFromConfigurationApply) {
  temp_dir dir;
  child_process p{
      server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}, {{"OVERWORLD_HTTP_HEADER_LIMIT", "512"}}};
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  http::testing::raw_connection c{port_of(*line)};
  c.send(http::testing::get_request("/healthz", "X-Pad: " + std::string(1024, 'x') + "\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 431);
  http::testing::raw_connection d{port_of(*line)};
  d.send(http::testing::get_request("/healthz", "X-Pad: " + std::string(100, 'x') + "\r\n"));
  r = d.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);

  child_process bad{
      server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}, {{"OVERWORLD_HTTP_BODY_LIMIT", "huge"}}};
  EXPECT_EQ(bad.wait(), 2);
  EXPECT_NE(bad.output().find("http.body_limit"), std::string::npos);

  child_process cap{server_binary(),
                    {"--listen", "127.0.0.1:0", "--data", dir.path()},
                    {{"OVERWORLD_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "-1"}}};
  EXPECT_EQ(cap.wait(), 2);
  EXPECT_NE(cap.output().find("http.max_connections_per_address"), std::string::npos) << cap.output();
}

TEST(ServerApp, DemoShowsLiveInvasionsAndAcceptsReports) {
  temp_dir dir;
  child_process p{server_binary(), {"--demo", "--listen", "127.0.0.1:0", "--data", dir.path()}};
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  auto const port = port_of(*line);
  EXPECT_TRUE(p.wait_for_line("reporter key")) << p.output();

  http::testing::raw_connection c{port};
  c.send(http::testing::get_request("/api/invasions"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_NE(r->body().find("\"progress\":"), std::string::npos) << r->body();  // invasions at once

  std::ifstream key_file{dir.path() + "/reporter-key"};
  std::string key;
  std::getline(key_file, key);
  ASSERT_EQ(key.size(), 48u);
  std::string const body = R"({"population":7})";
  c.send("POST /internal/v1/districts/My%20District/report HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + key +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200) << r->body();

  // Within a tick or two the district shows up.
  bool seen = false;
  for (auto const until = std::chrono::steady_clock::now() + std::chrono::seconds{30};
       !seen && std::chrono::steady_clock::now() < until;) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    c.send(http::testing::get_request("/api/population"));
    r = c.read();
    ASSERT_TRUE(r);
    seen = r->body().find("\"My District\":7") != std::string::npos;
  }
  EXPECT_TRUE(seen);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);

  // The key survives a restart (district servers keep theirs).
  child_process again{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}};
  ASSERT_TRUE(again.wait_for_line("listening on"));
  std::ifstream key_again{dir.path() + "/reporter-key"};
  std::string key2;
  std::getline(key_again, key2);
  EXPECT_EQ(key2, key);
  again.signal(SIGTERM);
  EXPECT_EQ(again.wait(), 0);
}

TEST(ServerApp, AdminCommandsAndLoginAgainstTheRunningServer) {
  temp_dir dir;
  auto [rc, out] = admin(dir.path(), "account create Clara", "s3cret");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "1\n");
  std::tie(rc, out) = admin(dir.path(), "account create clara", "other");
  EXPECT_EQ(rc, 1);
  EXPECT_NE(out.find("exists"), std::string::npos) << out;

  child_process p{server_binary(),
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"}, {"OVERWORLD_RATELIMIT_TTCC_LIMIT", "0"}}};
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  auto const login = [&](std::string const& pw) {
    http::testing::raw_connection c{port_of(*line)};
    std::string const body = R"({"username":"clara","password":")" + pw + R"("})";
    c.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? r->body() : std::string{};
  };
  EXPECT_NE(login("s3cret").find("\"reason\":1000"), std::string::npos);
  EXPECT_NE(login("nope").find("\"reason\":1005"), std::string::npos);
  // Changes made by admin commands reach the running server at once (one database file).
  ASSERT_EQ(admin(dir.path(), "account ban Clara --hours 3").first, 0);
  EXPECT_NE(login("s3cret").find("banned for 3 more hours"), std::string::npos);
  ASSERT_EQ(admin(dir.path(), "account unban clara").first, 0);
  ASSERT_EQ(admin(dir.path(), "maintenance on").first, 0);
  EXPECT_NE(login("s3cret").find("\"reason\":1004"), std::string::npos);
  ASSERT_EQ(admin(dir.path(), "maintenance off").first, 0);
  ASSERT_EQ(admin(dir.path(), "account points clara 10").first, 0);
  EXPECT_NE(login("s3cret").find("\"reason\":1002"), std::string::npos);
  std::tie(rc, out) = admin(dir.path(), "news post --title Hello --summary World");
  EXPECT_EQ(rc, 0);
  ASSERT_EQ(admin(dir.path(), "version set 2.0.1").first, 0);
  http::testing::raw_connection c{port_of(*line)};
  c.send(http::testing::get_request("/api/v1/launcher/version/"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), R"({"version":"2.0.1"})");
  c.send(http::testing::get_request("/api/v1/launcher/news/"));
  r = c.read();
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("\"title\":\"Hello\""), std::string::npos);
  EXPECT_EQ(admin(dir.path(), "account ban Nobody --hours 1").first, 1);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

// TTR's news, release notes and login, and TTCC's launcher tokens, managed by `admin` commands
// while the real server runs on the same database file.
TEST(ServerApp, LoginSurfaceThroughTheAdminCommands) {
  temp_dir dir;
  ASSERT_EQ(admin(dir.path(), "account create Ada", "pw").first, 0);
  ASSERT_EQ(admin(dir.path(), "news post --title Hello --summary World --body '<p>Hi</p>'").first, 0);
  auto [rc, out] = admin(dir.path(), "releasenote post --slug ttr-live-v1 --body '<p>Fixes</p>'");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "1\n");
  ASSERT_EQ(admin(dir.path(), "releasenote edit 1 --slug ttr-live-v2").first, 0);
  std::tie(rc, out) = admin(dir.path(), "releasenote list");
  EXPECT_NE(out.find("ttr-live-v2"), std::string::npos) << out;
  EXPECT_EQ(admin(dir.path(), "releasenote edit 0 --slug x").first, 2);
  EXPECT_EQ(admin(dir.path(), "releasenote delete 7").first, 1);

  child_process p{server_binary(),
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"}, {"OVERWORLD_RATELIMIT_TTCC_LIMIT", "0"}}};
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  auto const call = [&](std::string const& method, std::string const& target, std::string const& extra,
                        std::string const& body) {
    http::testing::raw_connection c{port_of(*line)};
    c.send(method + " " + target + " HTTP/1.1\r\nHost: h\r\n" + extra +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  };
  auto const news = call("GET", "/api/news", "", "");
  EXPECT_EQ(news.first, 200u);
  EXPECT_NE(news.second.find(R"("title":"Hello","author":"The Team","body":"<p>Hi</p>")"), std::string::npos)
      << news.second;
  EXPECT_NE(call("GET", "/api/releasenotes", "", "").second.find(R"("slug":"ttr-live-v2")"), std::string::npos);

  std::string const form = "Content-Type: application/x-www-form-urlencoded\r\n";
  auto const ttr = call("POST", "/api/login?format=json", form, "username=ada&password=pw");
  EXPECT_NE(ttr.second.find(R"("success":"true")"), std::string::npos) << ttr.second;

  auto const registered = call("POST", "/api/launcher/v1/register", "Content-Type: application/json\r\n",
                               R"({"username":"Ada","password":"pw","friendly":"desk"})");
  ASSERT_EQ(registered.first, 200u) << registered.second;
  auto const at = registered.second.find(R"("token":")");
  ASSERT_NE(at, std::string::npos) << registered.second;
  std::string const token = registered.second.substr(at + 9, 64);
  auto const bearer = "Authorization: Bearer " + token + "\r\n";
  EXPECT_EQ(call("POST", "/api/launcher/v1/login", bearer, "").first, 200u);
  std::tie(rc, out) = admin(dir.path(), "token list --account ada");
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(out.starts_with("1\tAda\tdesk\t")) << out;
  EXPECT_EQ(out.find(token), std::string::npos) << "never the token";
  ASSERT_EQ(admin(dir.path(), "token revoke 1").first, 0);
  EXPECT_EQ(call("POST", "/api/launcher/v1/login", bearer, "").second, R"({"error":"Unauthorized","bad_token":true})");

  ASSERT_EQ(admin(dir.path(), "account two-step Ada", "tulip-4242").first, 0);
  auto const partial = call("POST", "/api/login?format=json", form, "username=ada&password=pw");
  EXPECT_NE(partial.second.find(R"("success":"partial")"), std::string::npos) << partial.second;
  EXPECT_EQ(admin(dir.path(), "account two-step Ada", "short").first, 2);
  ASSERT_EQ(admin(dir.path(), "releasenote delete 1").first, 0);
  EXPECT_EQ(call("GET", "/api/releasenotes", "", "").second, "[]");

  // The legacy GET login carries the password in its URL: nothing the server writes repeats it.
  ASSERT_EQ(admin(dir.path(), "account create Bea", "Secret-In-URL").first, 0);
  auto const legacy = call("GET", "/api/v1/login/Bea?password=Secret-In-URL", "", "");
  EXPECT_NE(legacy.second.find(R"("reason":1000)"), std::string::npos) << legacy.second;
  EXPECT_EQ(call("GET", "/api/v1/login/Bea?password=Secret-In-URL&x=%ZZ", "", "").first, 200u);
  auto const metrics = call("GET", "/metrics", "", "");
  EXPECT_EQ(metrics.second.find("Secret-In-URL"), std::string::npos);
  EXPECT_NE(metrics.second.find("/api/v1/login/{username}"), std::string::npos) << "counted by its pattern";
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
  EXPECT_EQ(p.output().find("Secret-In-URL"), std::string::npos) << p.output();
}

TEST(ServerApp, CommittedWritesSurviveKillDashNine) {
  temp_dir dir;
  std::map<std::string, std::string> const env{{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"},
                                               {"OVERWORLD_RATELIMIT_TTCC_LIMIT", "0"},
                                               {"OVERWORLD_LAUNCHER_ACCOUNT_ATTEMPTS", "100"}};
  std::vector<std::string> acknowledged;
  {
    child_process p{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}, env};
    ASSERT_TRUE(p.wait_for_line("listening on")) << p.output();
    for (int i = 0; i < 12; ++i) {
      std::string const name = "user" + std::to_string(i);
      if (admin(dir.path(), "account create " + name, "pw" + std::to_string(i)).first == 0)
        acknowledged.push_back(name);
      if (i == 3) {
        ASSERT_EQ(admin(dir.path(), "account ban user0 --hours 5").first, 0);
      }
      if (i == 6) {
        ASSERT_EQ(admin(dir.path(), "news post --title Crash --summary Test").first, 0);
      }
      if (i == 8) p.signal(SIGKILL);  // no shutdown, no flush: the process just stops
    }
    EXPECT_EQ(p.wait(), 128 + SIGKILL);
  }
  ASSERT_EQ(acknowledged.size(), 12u);
  child_process again{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}, env};
  auto line = again.wait_for_line("listening on");
  ASSERT_TRUE(line) << again.output();
  auto const login = [&](std::string const& user, std::string const& pw) {
    http::testing::raw_connection c{port_of(*line)};
    std::string const body = R"({"username":")" + user + R"(","password":")" + pw + R"("})";
    c.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? r->body() : std::string{};
  };
  for (std::size_t i = 1; i < acknowledged.size(); ++i) {
    EXPECT_NE(login(acknowledged[i], "pw" + std::to_string(i)).find("\"reason\":1000"), std::string::npos)
        << acknowledged[i];
  }
  EXPECT_NE(login("user0", "pw0").find("\"reason\":1003"), std::string::npos);
  http::testing::raw_connection c{port_of(*line)};
  c.send(http::testing::get_request("/api/v1/launcher/news/"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("\"title\":\"Crash\""), std::string::npos);
  again.signal(SIGKILL);
  EXPECT_EQ(again.wait(), 128 + SIGKILL);
  // The database is consistent after two crashes.
  std::string const check = "sqlite3 " + dir.path() + "/launcher.sqlite 'PRAGMA integrity_check' 2>&1";
  FILE* f = ::popen(check.c_str(), "r");
  ASSERT_NE(f, nullptr);
  char buf[128] = {};
  bool const got = std::fgets(buf, sizeof buf, f) != nullptr;
  ::pclose(f);
  EXPECT_TRUE(got);
  EXPECT_STREQ(buf, "ok\n");
}

TEST(ServerApp, AdminHttpApi) {
  temp_dir dir;
  child_process p{server_binary(),
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"}, {"OVERWORLD_RATELIMIT_TTCC_LIMIT", "0"}}};
  // The admin listener starts (and is logged) before the public one.
  auto admin_line = p.wait_for_line("admin API on");
  ASSERT_TRUE(admin_line) << p.output();
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*admin_line, m, std::regex{R"(127\.0\.0\.1:(\d+))"}));
  auto const admin_port = static_cast<std::uint16_t>(std::stoi(m[1]));
  std::ifstream key_file{dir.path() + "/admin-key"};
  std::string key;
  std::getline(key_file, key);
  ASSERT_FALSE(key.empty());

  auto const call = [&](std::string const& method, std::string const& path, std::string const& body,
                        std::string const& auth) {
    http::testing::raw_connection c{admin_port};
    c.send(method + " " + path + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n" +
           (auth.empty() ? "" : "Authorization: Bearer " + auth + "\r\n") +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  };
  EXPECT_EQ(call("POST", "/admin/v1/accounts", R"({"name":"Ada","password":"pw"})", "").first, 401u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts", R"({"name":"Ada","password":"pw"})", "wrong").first, 401u);
  auto created = call("POST", "/admin/v1/accounts", R"({"name":"Ada","password":"pw"})", key);
  EXPECT_EQ(created.first, 201u) << created.second;
  EXPECT_EQ(call("POST", "/admin/v1/accounts", R"({"name":"ada","password":"x"})", key).first, 409u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts", R"({"name":)", key).first, 400u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/Nobody/ban", R"({"hours":2})", key).first, 404u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/Ada/ban", R"({"hours":-2})", key).first, 400u);

  auto const login = [&] {
    http::testing::raw_connection c{port_of(*line)};
    std::string const body = R"({"username":"Ada","password":"pw"})";
    c.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    return r ? r->body() : std::string{};
  };
  EXPECT_NE(login().find("\"reason\":1000"), std::string::npos);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/Ada/ban", R"({"hours":2})", key).first, 200u);
  EXPECT_NE(login().find("\"reason\":1003"), std::string::npos);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/Ada/unban", "", key).first, 200u);
  EXPECT_EQ(call("PUT", "/admin/v1/maintenance", R"({"on":true})", key).first, 200u);
  EXPECT_NE(login().find("\"reason\":1004"), std::string::npos);
  EXPECT_EQ(call("PUT", "/admin/v1/maintenance", R"({"on":false})", key).first, 200u);
  EXPECT_EQ(call("POST", "/admin/v1/accounts/Ada/password", R"({"password":"new"})", key).first, 200u);
  EXPECT_NE(login().find("\"reason\":1005"), std::string::npos);
  EXPECT_EQ(call("PUT", "/admin/v1/version", R"({"version":"3.1.4"})", key).first, 200u);
  auto news = call("POST", "/admin/v1/news", R"({"title":"Patch","summary":"Notes"})", key);
  EXPECT_EQ(news.first, 201u);
  EXPECT_EQ(call("PUT", "/admin/v1/news/1", R"({"title":"Patch 2"})", key).first, 200u);
  EXPECT_EQ(call("DELETE", "/admin/v1/news/9", "", key).first, 404u);
  EXPECT_EQ(call("POST", "/admin/v1/manifest/rebuild", "", key).first, 202u);
  http::testing::raw_connection c{port_of(*line)};
  c.send(http::testing::get_request("/api/v1/launcher/version/"));
  EXPECT_EQ(c.read()->body(), R"({"version":"3.1.4"})");
  c.send(http::testing::get_request("/api/v1/launcher/news/1"));
  EXPECT_NE(c.read()->body().find("Patch 2"), std::string::npos);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

TEST(ServerApp, DemoServesTheClashOfClansSandboxWithAWrittenKey) {
  temp_dir dir;
  child_process p{server_binary(),
                  {"--demo", "--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"}}};
  auto sandbox_line = p.wait_for_line("Clash of Clans sandbox on");
  ASSERT_TRUE(sandbox_line) << p.output();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*sandbox_line, m, std::regex{R"(127\.0\.0\.1:(\d+))"}));
  auto const port = static_cast<std::uint16_t>(std::stoi(m[1]));
  ASSERT_TRUE(p.wait_for_line("listening on")) << p.output();
  std::ifstream key_file{dir.path() + "/sandbox-api-key"};
  std::string key;
  std::getline(key_file, key);
  ASSERT_FALSE(key.empty());

  auto const get = [&](std::string const& path, std::string const& auth) {
    http::testing::raw_connection c{port};
    c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n" + (auth.empty() ? "" : "Authorization: Bearer " + auth + "\r\n") +
           "\r\n");
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  };
  auto player = get("/v1/players/%232PP", key);
  EXPECT_EQ(player.first, 200u);
  EXPECT_NE(player.second.find("\"#2PP\""), std::string::npos);
  EXPECT_NE(player.second.find("\"Morgil\""), std::string::npos);
  auto denied = get("/v1/players/%232PP", "");
  EXPECT_EQ(denied.first, 403u);
  EXPECT_NE(denied.second.find("accessDenied"), std::string::npos);
  EXPECT_EQ(get("/v1/players/%23PYLQGRJ", key).first, 404u);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

TEST(ServerApp, VersionNamesTheGitRevision) {
  child_process p{server_binary(), {"--version"}};
  EXPECT_EQ(p.wait(), 0);
  EXPECT_TRUE(std::regex_search(
      p.output(), std::regex{R"(^overworld-server \d+\.\d+\.\d+ \(git ([0-9a-f]{12}(-modified)?|unknown)\))"}))
      << p.output();
}

TEST(ServerApp, AnEmptySandboxAddressTurnsTheSandboxOff) {
  temp_dir dir;
  // The address the environment names is taken: a sandbox that started anyway would fail to bind.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor taken{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::map<std::string, std::string> const env{
      {"OVERWORLD_SANDBOX_LISTEN", "127.0.0.1:" + std::to_string(taken.local_endpoint().port())}};
  child_process p{server_binary(), {"--listen", "127.0.0.1:0", "--sandbox-listen", "", "--data", dir.path()}, env};
  ASSERT_TRUE(p.wait_for_line("listening on")) << p.output();
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
  EXPECT_EQ(p.output().find("sandbox"), std::string::npos) << p.output();

  // The same through the environment.
  child_process q{
      server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}, {{"OVERWORLD_SANDBOX_LISTEN", ""}}};
  ASSERT_TRUE(q.wait_for_line("listening on")) << q.output();
  q.signal(SIGTERM);
  EXPECT_EQ(q.wait(), 0);
  EXPECT_EQ(q.output().find("sandbox"), std::string::npos) << q.output();
}

TEST(ServerApp, DatabasesAreReadableByTheOwnerOnly) {
  temp_dir dir;
  child_process p{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}};
  ASSERT_TRUE(p.wait_for_line("listening on")) << p.output();
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
  int databases = 0;
  for (auto const& entry : std::filesystem::directory_iterator{dir.path()}) {
    if (entry.path().extension() != ".sqlite") continue;
    ++databases;
    auto const perms = entry.status().permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
        << entry.path();
  }
  EXPECT_GE(databases, 1);
}

TEST(ServerApp, AddressInUseFailsFast) {
  temp_dir dir;
  child_process a{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}};
  auto line = a.wait_for_line("listening on");
  ASSERT_TRUE(line);
  child_process b{server_binary(), {"--listen", "127.0.0.1:" + std::to_string(port_of(*line)), "--data", dir.path()}};
  auto const rc = b.wait();
  ASSERT_TRUE(rc);
  EXPECT_NE(*rc, 0);
  EXPECT_NE(b.output().find("cannot"), std::string::npos) << b.output();
  a.signal(SIGTERM);
  EXPECT_EQ(a.wait(), 0);
}

}  // namespace
}  // namespace overworld

namespace overworld {
namespace {

// Numbers out of range are refused before the store is opened: exit 2, one line naming the field,
// and what is stored stays as it was.
TEST(ServerApp, AdminNumbersOutOfRangeExitTwoAndChangeNothing) {
  temp_dir dir;
  ASSERT_EQ(admin(dir.path(), "account create demo", "pw").first, 0);
  ASSERT_EQ(admin(dir.path(), "account ban demo --hours 2").first, 0);
  ASSERT_EQ(admin(dir.path(), "account points demo 3").second, "3\n");
  for (std::string const hours : {"3e15", "1e19", "1e300", "1e400", "-1", "0", "1.5", "x", "99999999999999999999"}) {
    auto const [rc, out] = admin(dir.path(), "account ban demo --hours=" + hours);
    EXPECT_EQ(rc, 2) << hours;
    EXPECT_EQ(out, "overworld-server admin: hours must be a whole number from 1 to 878400\n") << hours;
  }
  for (std::string const n : {"1e19", "3e15", "1.5", "1000001", "-1000001", "9223372036854775808"}) {
    auto const [rc, out] = admin(dir.path(), "account points demo -- " + n);
    EXPECT_EQ(rc, 2) << n << out;
    EXPECT_EQ(out, "overworld-server admin: n must be a whole number from -1000000 to 1000000\n") << n;
  }
  for (std::string const id : {"1e19", "0", "-3", "abc"}) {
    auto const [rc, out] = admin(dir.path(), "news delete -- " + id);
    EXPECT_EQ(rc, 2) << id;
    EXPECT_EQ(out, "overworld-server admin: id must be a whole number from 1 to 9007199254740992\n") << id;
  }
  auto const name = admin(dir.path(), "account ban \"$(printf 'bad\\001name')\" --hours 1");
  EXPECT_EQ(name.first, 2);
  EXPECT_EQ(name.second, "overworld-server admin: name has control characters\n");
  // The ban and the points are those set before.
  EXPECT_EQ(admin(dir.path(), "account points demo 0").second, "3\n");
  child_process p{server_binary(),
                  {"--listen", "127.0.0.1:0", "--data", dir.path()},
                  {{"OVERWORLD_LAUNCHER_ARGON2_MEMORY", "64KiB"}}};
  auto line = p.wait_for_line("listening on");
  ASSERT_TRUE(line) << p.output();
  http::testing::raw_connection c{port_of(*line)};
  std::string const body = R"({"username":"demo","password":"pw"})";
  c.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_NE(r->body().find("banned for 2 more hours"), std::string::npos) << r->body();
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

// A damaged launcher.sqlite stops the server at start: exit 2, one line naming the file.
TEST(ServerApp, DamagedDatabasesAreRefusedAtStart) {
  temp_dir dir;
  ASSERT_EQ(admin(dir.path(), "account create demo", "pw").first, 0);
  std::string const file = dir.path() + "/launcher.sqlite";
  std::filesystem::resize_file(file, 0);
  child_process p{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}};
  EXPECT_EQ(p.wait(), 2);
  EXPECT_NE(p.output().find("overworld-server: " + file + ": the database file is empty (0 bytes) but it held data"),
            std::string::npos)
      << p.output();
  EXPECT_EQ(std::filesystem::file_size(file), 0u);

  { std::ofstream{file, std::ios::trunc} << std::string(20'000, 'x'); }
  child_process q{server_binary(), {"--listen", "127.0.0.1:0", "--data", dir.path()}};
  EXPECT_EQ(q.wait(), 2);
  EXPECT_NE(q.output().find("overworld-server: " + file + ": the database is damaged"), std::string::npos)
      << q.output();
}

}  // namespace
}  // namespace overworld
