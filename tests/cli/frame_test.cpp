// The frame of the command line: --help on every command, usage errors, settings errors.
#include "cli/support.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace overworld::cli::testing {
namespace {

std::vector<std::vector<std::string>> const every_command{
    {},
    {"coc"},
    {"coc", "player"},
    {"coc", "clan"},
    {"coc", "members"},
    {"coc", "war"},
    {"coc", "cwl"},
    {"coc", "warlog"},
    {"coc", "raids"},
    {"coc", "search"},
    {"coc", "rankings"},
    {"coc", "locations"},
    {"coc", "leagues"},
    {"coc", "goldpass"},
    {"coc", "keys"},
    {"coc", "keys", "list"},
    {"coc", "keys", "create"},
    {"coc", "keys", "revoke"},
    {"coc", "keys", "provision"},
    {"ttr"},
    {"ttr", "invasions"},
    {"ttr", "population"},
    {"ttr", "status"},
    {"ttr", "fieldoffices"},
    {"ttr", "sillymeter"},
    {"ttr", "news"},
    {"ttcc"},
    {"ttcc", "districts"},
    {"ttcc", "news"},
    {"ttcc", "version"},
    {"ttcc", "info"},
    {"ttcc", "login"},
    {"watch"},
    {"watch", "invasions"},
    {"launcher"},
    {"launcher", "sync"},
};

TEST(cli_frame, HelpForEveryCommand) {
  for (auto const& path : every_command) {
    auto args = path;
    args.push_back("--help");
    auto const r = run(args);
    std::string usage = "Usage: overworld";
    for (auto const& word : path) usage += " " + word;
    EXPECT_EQ(r.code, 0) << usage << "\n" << r.err;
    EXPECT_NE(r.out.find(usage), std::string::npos) << r.out;
    // Every help states the exit codes.
    EXPECT_NE(r.out.find("Exit status: 0 ok"), std::string::npos) << usage;
  }
  auto const top = run({"--help"});
  for (auto const* word :
       {"coc", "ttr", "ttcc", "watch", "launcher", "--base-url", "--json", "OVERWORLD_COC_KEY", "NO_COLOR"}) {
    EXPECT_NE(top.out.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(run({"--help-all"}).code, 0);
}

TEST(cli_frame, VersionNamesTheGitRevision) {
  auto const r = run({"--version"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex{R"(^overworld \d+\.\d+\.\d+ \(git ([0-9a-f]{12}(-modified)?|unknown)\))"}))
      << r.out;
}

TEST(cli_frame, UsageErrorsExitTwo) {
  for (std::vector<std::string> const& args : std::vector<std::vector<std::string>>{
           {},
           {"frobnicate"},
           {"coc"},
           {"ttr", "weather"},
           {"--frobnicate", "ttr", "status"},
           {"--timeout", "soon", "ttr", "status"},
           {"--timeout", "0s", "ttr", "status"},
           {"launcher", "sync"},
           {"launcher", "sync", "dir", "--parallel", "0"},
           {"watch", "invasions", "--game", "wow"},
           {"ttr", "news", "5", "--list"},
       }) {
    auto const r = run(args);
    std::string joined;
    for (auto const& a : args) joined += a + " ";
    EXPECT_EQ(r.code, 2) << joined << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << joined;
    EXPECT_EQ(r.out, "") << joined;
  }
}

TEST(cli_frame, BadSettingsInTheEnvironmentExitTwo) {
  auto const r = run({"ttr", "status"}, {{"OVERWORLD_TIMEOUT", "later"}});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
  EXPECT_EQ(run({"ttr", "status"}, {{"OVERWORLD_JSON", "maybe"}}).code, 2);
}

}  // namespace
}  // namespace overworld::cli::testing
