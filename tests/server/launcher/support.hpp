// The launcher service on a real server with a real SQLite file, for the launcher's tests.
#pragma once

#include "http/server/support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/launcher_service.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <memory>
#include <string>

namespace overworld::launcher::test_support {

inline password_policy fast() { return password_policy{8192, 1}; }  // the tests' hashes: fast, same code path

struct launcher_fixture : ::testing::Test {
  overworld::testing::temp_dir dir;
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  std::shared_ptr<store::launcher_store> db;
  launcher_options opts;  ///< a test fixture's constructor may change them before SetUp()
  std::shared_ptr<launcher_service> service;
  http::testing::running_server server;

  void SetUp() override {
    std::string why;
    auto s = store::open_sqlite_launcher_store(dir.path() + "/launcher.sqlite", why);
    ASSERT_TRUE(s) << why;
    db = std::move(*s);
    opts.passwords = fast();
    opts.game_server_key = "gs-key";
    service = std::make_shared<launcher_service>(opts, db, time);
    service->install(*server.routes);
    server.start();
    add("Flippy", "correct horse");
  }
  void add(std::string const& name, std::string const& password, password_policy p = fast()) {
    ASSERT_TRUE(db->create_account(name, hash_password(password, p).value()));
  }
  boost::json::object post(std::string const& target, std::string const& body,
                           std::string const& type = "application/json", unsigned* status = nullptr,
                           std::string const& extra = {}) {
    http::testing::raw_connection c{server.port()};
    c.send("POST " + target + " HTTP/1.1\r\nHost: h\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body);
    auto r = c.read();
    if (!r) return {};
    if (status) *status = r->result_int();
    return boost::json::parse(r->body()).as_object();
  }
  boost::json::object login(std::string const& user, std::string const& pass, unsigned* status = nullptr) {
    return post("/api/v1/login/", R"({"username":")" + user + R"(","password":")" + pass + R"("})", "application/json",
                status);
  }
};

}  // namespace overworld::launcher::test_support
