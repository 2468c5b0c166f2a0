// `overworld coc keys …` against the sandbox's developer portal: a provisioned key works for
// the API at once; list, create, revoke; refused logins.
#include "cli/support.hpp"
#include "server/sandbox/support.hpp"

#include <overworld/server/sandbox/portal.hpp>

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;
using sandbox::testing::sandbox_server;

constexpr char const* email = "bot@example.com";
constexpr char const* password = "hunter2";

struct cli_coc_keys : ::testing::Test {
  std::unique_ptr<sandbox::developer_portal> portal;
  sandbox_server server{{}, sandbox::testing::fixture_dataset(), [this](sandbox_server& s) {
                          sandbox::portal_options po;
                          po.accounts[email] = password;
                          portal = std::make_unique<sandbox::developer_portal>(s.sandbox->keys(), po, s.time);
                          portal->install(*s.server.routes);
                        }};

  std::string api() const { return "http://127.0.0.1:" + std::to_string(server.server.port()) + "/v1"; }
  run_result keys(std::vector<std::string> args, bool as_json = true, std::string const& pw = password) {
    std::vector<std::string> all{"--base-url", api()};
    if (as_json) all.push_back("--json");
    all.insert(all.end(), {"coc", "keys"});
    all.insert(all.end(), args.begin(), args.end());
    return run(all, {{"OVERWORLD_COC_EMAIL", email}}, pw + "\n");
  }
};

TEST_F(cli_coc_keys, ProvisionedKeyWorksForTheApi) {
  auto const provisioned = keys({"provision"});
  ASSERT_EQ(provisioned.code, 0) << provisioned.err;
  auto const p = json::parse(provisioned.out);
  EXPECT_EQ(p.at("ip"), "127.0.0.1");
  EXPECT_EQ(p.at("created"), 1);
  ASSERT_EQ(p.at("keys").as_array().size(), 1u);
  auto const key = to_text(p.at("keys").at(0));

  auto const player = run({"--base-url", api(), "coc", "player", "2PP"}, {{"OVERWORLD_COC_KEY", key}});
  EXPECT_EQ(player.code, 0) << player.err;

  // Again: the same key is reused. As text: the keys alone on stdout.
  auto const again = keys({"provision"}, false);
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, key + "\n");
}

TEST_F(cli_coc_keys, ListCreateRevoke) {
  auto const created = keys({"create", "--name", "ci", "--description", "for CI", "--cidr", "10.0.0.0/8"});
  ASSERT_EQ(created.code, 0) << created.err;
  auto const k = json::parse(created.out);
  EXPECT_EQ(k.at("name"), "ci");
  EXPECT_EQ(k.at("cidrRanges"), json::parse(R"(["10.0.0.0/8"])"));
  auto const id = to_text(k.at("id"));

  auto const listed = keys({"list"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  auto const all = json::parse(listed.out).as_array();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all.at(0).at("key"), k.at("key"));
  auto const table = keys({"list"}, false);
  ASSERT_EQ(table.code, 0) << table.err;
  auto const row = line_starting(table.out, id);
  EXPECT_NE(row.find("for CI"), std::string::npos) << table.out;
  // A key is ~700 characters: the table shows its start, -o json the whole key.
  EXPECT_NE(row.find(to_text(k.at("key")).substr(0, 23) + "…"), std::string::npos) << table.out;

  auto const revoked = keys({"revoke", id});
  ASSERT_EQ(revoked.code, 0) << revoked.err;
  EXPECT_TRUE(json::parse(keys({"list"}).out).as_array().empty());
}

TEST_F(cli_coc_keys, RefusedLogins) {
  auto const wrong = keys({"list"}, true, "wrong");
  EXPECT_EQ(wrong.code, 4) << wrong.err;
  EXPECT_EQ(wrong.out, "");
  auto const no_email = run({"--base-url", api(), "coc", "keys", "list"}, {}, std::string{password} + "\n");
  EXPECT_EQ(no_email.code, 2) << no_email.err;
  auto const no_password = run({"--base-url", api(), "coc", "keys", "--email", email, "list"});
  EXPECT_EQ(no_password.code, 2) << no_password.err;
  refusing_port closed;
  EXPECT_EQ(run({"--base-url", closed.url("/v1"), "coc", "keys", "--email", email, "list"}, {}, "pw\n").code, 3);
}

}  // namespace
}  // namespace overworld::cli::testing
