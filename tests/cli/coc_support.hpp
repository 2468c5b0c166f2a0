// The fixture of the `overworld coc …` tests: the CoC sandbox over the recorded fixtures, a key
// file for it, and the commands' JSON and tables.
#pragma once

#include "cli/support.hpp"
#include "server/sandbox/support.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace overworld::cli::testing {

class cli_coc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new sandbox::testing::sandbox_server{};
    key_dir_ = new overworld::testing::temp_dir{};
    std::ofstream{key_file()} << "# the sandbox's key\n" << sandbox::testing::test_key << "\n";
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete key_dir_;
    key_dir_ = nullptr;
  }
  static std::string key_file() { return key_dir_->path() + "/key"; }

  static std::string base_url() { return "http://127.0.0.1:" + std::to_string(server_->server.port()) + "/v1"; }
  /// overworld --base-url … coc --key-file FILE <args> (a key on the command line draws a warning)
  static std::vector<std::string> coc(std::vector<std::string> args, bool as_json = false) {
    std::vector<std::string> all{"--base-url", base_url()};
    if (as_json) all.push_back("--json");
    all.insert(all.end(), {"coc", "--key-file", key_file()});
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  /// What the sandbox answers to GET /v1<path>.
  static boost::json::value served(std::string const& path) {
    auto r = server_->get("/v1" + path);
    EXPECT_EQ(r.result_int(), 200) << path;
    return boost::json::parse(r.body());
  }
  static boost::json::value fixture(std::string const& name) {
    return boost::json::parse(sandbox::testing::read_file(sandbox::testing::fixtures_dir() / name));
  }

  /// Runs the command with --json, expects success and returns the parsed stdout.
  static boost::json::value json_of(std::vector<std::string> args) {
    auto r = run(coc(std::move(args), true));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    boost::json::error_code ec;
    auto v = boost::json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out.substr(0, 200);
    return v;
  }
  /// Runs the command for a table, expects success and returns stdout.
  static std::string table_of(std::vector<std::string> args) {
    auto r = run(coc(std::move(args)));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "colour on a pipe";
    return r.out;
  }

  inline static sandbox::testing::sandbox_server* server_ = nullptr;
  inline static overworld::testing::temp_dir* key_dir_ = nullptr;
};

}  // namespace overworld::cli::testing
