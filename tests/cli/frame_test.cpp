// The frame of the command line: --help on every command, usage errors, settings errors.
#include "cli/support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include "support/process.hpp"

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

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
    {"coc", "watch"},
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
    {"ttr", "doodles"},
    {"ttr", "news"},
    {"ttr", "releasenotes"},
    {"ttr", "login"},
    {"ttcc"},
    {"ttcc", "districts"},
    {"ttcc", "news"},
    {"ttcc", "version"},
    {"ttcc", "info"},
    {"ttcc", "login"},
    {"ttcc", "register"},
    {"ttcc", "revoke"},
    {"ttcc", "metadata"},
    {"watch"},
    {"watch", "invasions"},
    {"launcher"},
    {"launcher", "sync"},
    {"completion"},
    {"config"},
    {"config", "path"},
    {"config", "get"},
    {"config", "set"},
    {"version"},
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
    // Every help states the exit codes, and every command's help shows how it is used.
    EXPECT_NE(r.out.find("Exit status: 0 ok"), std::string::npos) << usage;
    bool const leaf = std::none_of(every_command.begin(), every_command.end(), [&](auto const& other) {
      return other.size() > path.size() && std::equal(path.begin(), path.end(), other.begin());
    });
    if (leaf) {
      auto const examples = r.out.find("Examples:\n  ");
      ASSERT_NE(examples, std::string::npos) << usage << "\n" << r.out;
      EXPECT_NE(r.out.find(" " + path.back(), examples), std::string::npos) << usage << "\n" << r.out;
    }
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

TEST(cli_frame, UnknownCommandsSuggestTheClosest) {
  auto const typo = run({"coc", "plyer", "2PP"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_EQ(typo.out, "");
  EXPECT_EQ(typo.err,
            "overworld: unknown command 'plyer' for 'overworld coc'; did you mean player? (overworld coc --help)\n");
  auto const singular = run({"ttr", "invasion"});
  EXPECT_EQ(singular.code, 2);
  EXPECT_NE(singular.err.find("did you mean invasions?"), std::string::npos) << singular.err;
  // Nothing close: the group's commands are listed.
  auto const far = run({"ttr", "weather"});
  EXPECT_NE(far.err.find("its commands: invasions, population"), std::string::npos) << far.err;
  // A group without its command lists them, instead of "A subcommand is required".
  auto const bare = run({"coc"});
  EXPECT_EQ(bare.code, 2);
  EXPECT_NE(bare.err.find("'overworld coc' needs a command: player, clan"), std::string::npos) << bare.err;
  EXPECT_EQ(bare.err.find("A subcommand is required"), std::string::npos);
  // Option values are not taken for commands.
  auto const value = run({"--timeout", "2s", "ttr", "--base-url", "http://x", "sillymter"});
  EXPECT_NE(value.err.find("did you mean sillymeter?"), std::string::npos) << value.err;
  // Under -o json the usage error is JSON too, on stderr.
  auto const as_json = run({"-o", "json", "coc", "plyer"});
  EXPECT_EQ(as_json.code, 2);
  auto const e = json::parse(as_json.err).at("error");
  EXPECT_EQ(e.at("exit"), 2);
  EXPECT_EQ(e.at("kind"), "usage");
  EXPECT_NE(to_text(e.at("message")).find("did you mean player?"), std::string::npos);
}

TEST(cli_frame, HelpAndVersionCommands) {
  auto const help = run({"help", "coc", "player"});
  EXPECT_EQ(help.code, 0) << help.err;
  EXPECT_EQ(help.out, run({"coc", "player", "--help"}).out);
  EXPECT_EQ(run({"help"}).out, run({"--help"}).out);
  auto const version = run({"version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out, run({"--version"}).out);
  EXPECT_TRUE(std::regex_search(version.out, std::regex{R"(^overworld \d+\.\d+\.\d+ \(git )"})) << version.out;
}

TEST(cli_frame, BadValuesAreRefusedLocallyInWords) {
  // No server is given: a request would fail with exit 3, not 2.
  auto const limit = run({"coc", "--key", "k", "members", "2PP", "--limit", "0"});
  EXPECT_EQ(limit.code, 2);
  EXPECT_EQ(limit.err, "overworld: --limit: expected a whole number from 1 to 1000000, got '0' (overworld --help)\n");
  auto const frequency = run({"coc", "--key", "k", "search", "--war-frequency", "weekly"});
  EXPECT_EQ(frequency.code, 2);
  EXPECT_NE(frequency.err.find("oncePerWeek"), std::string::npos) << frequency.err;
  EXPECT_EQ(run({"coc", "--key", "k", "rankings", "foo"}).code, 2);
  EXPECT_EQ(run({"-o", "xml", "ttr", "status"}).code, 2);
  EXPECT_EQ(run({"--color", "sometimes", "ttr", "status"}).code, 2);
  EXPECT_EQ(run({"watch", "invasions", "--events", "started,exploded"}).code, 2);
}

TEST(cli_frame, CompletionScriptsNameEveryCommand) {
  for (std::string const shell : {"bash", "zsh", "fish"}) {
    auto const r = run({"completion", shell});
    EXPECT_EQ(r.code, 0) << shell << r.err;
    for (auto const* word : {"overworld coc", "player", "--war-frequency", "invasions", "--events", "completion"}) {
      EXPECT_NE(r.out.find(word), std::string::npos) << shell << ": " << word;
    }
  }
  EXPECT_NE(run({"completion", "bash"}).out.find("complete -F _overworld overworld"), std::string::npos);
  EXPECT_NE(run({"completion", "zsh"}).out.find("#compdef overworld"), std::string::npos);
  EXPECT_EQ(run({"completion", "tcsh"}).code, 2);
}

TEST(cli_frame, ConfigPathGetSetAndProfiles) {
  overworld::testing::temp_dir home;
  std::map<std::string, std::string> const env{{"XDG_CONFIG_HOME", home.path()}};
  auto const path = run({"config", "path"}, env);
  EXPECT_EQ(path.code, 0);
  EXPECT_EQ(path.out, home.path() + "/overworld/cli.toml\n");
  EXPECT_EQ(run({"--profile", "demo", "config", "path"}, env).out, home.path() + "/overworld/demo.toml\n");

  // A profile that does not exist yet is an error for a command, and made by config set.
  EXPECT_EQ(run({"--profile", "demo", "ttr", "status"}, env).code, 2);
  auto const set = run({"--profile", "demo", "config", "set", "ttr.base_url", "http://127.0.0.1:9"}, env);
  EXPECT_EQ(set.code, 0) << set.err;
  auto const got = run({"--profile", "demo", "config", "get", "ttr.base_url"}, env);
  EXPECT_EQ(got.out, "http://127.0.0.1:9\n");
  EXPECT_NE(got.err.find("config file"), std::string::npos) << got.err;
  // The profile is used: its (closed) port answers nothing, exit 3.
  EXPECT_EQ(run({"--profile", "demo", "ttr", "status"}, env).code, 3);
  // Without the profile: the default, and the environment beats the file.
  EXPECT_EQ(run({"config", "get", "ttr.base_url"}, env).out, "https://www.toontownrewritten.com\n");
  auto with_env = env;
  with_env["OVERWORLD_PROFILE"] = "demo";
  with_env["OVERWORLD_TTR_BASE_URL"] = "http://from-env";
  auto const from_env = run({"config", "get", "ttr.base_url"}, with_env);
  EXPECT_EQ(from_env.out, "http://from-env\n");
  EXPECT_NE(from_env.err.find("environment"), std::string::npos);
  // Keys are checked, with a suggestion.
  auto const typo = run({"config", "set", "ttr.base_ur", "x"}, env);
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("did you mean ttr.base_url?"), std::string::npos) << typo.err;
  EXPECT_EQ(run({"--profile", "../x", "ttr", "status"}, env).code, 2);
}

TEST(cli_frame, ConfigSetKeepsTheFileAsWritten) {
  overworld::testing::temp_dir home;
  std::map<std::string, std::string> const env{{"XDG_CONFIG_HOME", home.path()}};
  auto const file = home.path() + "/overworld/cli.toml";
  std::filesystem::create_directories(home.path() + "/overworld");
  std::string const before =
      "# my settings\n"
      "timeout = \"10s\"  # slow link\n"
      "\n"
      "[ttr]\n"
      "# the test server, not the real one\n"
      "base_url = \"http://127.0.0.1:9\" # '#' in a comment\n"
      "\n"
      "[coc]\n"
      "base_url = \"http://a#b\"\n";
  { std::ofstream{file} << before; }
  ASSERT_EQ(run({"config", "set", "ttr.base_url", "http://127.0.0.1:10"}, env).code, 0);
  ASSERT_EQ(run({"config", "set", "coc.base_url", "http://c/v1"}, env).code, 0);
  ASSERT_EQ(run({"config", "set", "ttcc.base_url", "http://d"}, env).code, 0);
  ASSERT_EQ(run({"config", "set", "coc.key_file", "/keys/coc"}, env).code, 0);
  ASSERT_EQ(run({"config", "set", "output", "json"}, env).code, 0);
  std::ifstream in{file};
  std::string const after{std::istreambuf_iterator<char>{in}, {}};
  EXPECT_EQ(after,
            "# my settings\n"
            "timeout = \"10s\"  # slow link\n"
            "\n"
            "output = \"json\"\n"
            "[ttr]\n"
            "# the test server, not the real one\n"
            "base_url = \"http://127.0.0.1:10\" # '#' in a comment\n"
            "\n"
            "[coc]\n"
            "base_url = \"http://c/v1\"\n"
            "key_file = \"/keys/coc\"\n"
            "\n"
            "[ttcc]\n"
            "base_url = \"http://d\"\n");
  EXPECT_EQ(run({"config", "get", "ttr.base_url"}, env).out, "http://127.0.0.1:10\n");
  EXPECT_EQ(run({"config", "get", "output"}, env).out, "json\n");
  // A file that is not TOML is left alone, with the line named.
  { std::ofstream{file} << "timeout = \n"; }
  auto const broken = run({"config", "set", "timeout", "5s"}, env);
  EXPECT_EQ(broken.code, 2);
  EXPECT_NE(broken.err.find("line 1"), std::string::npos) << broken.err;
  std::ifstream again{file};
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>{again}, {}), "timeout = \n");
}

TEST(cli_frame, BadSettingsInTheEnvironmentExitTwo) {
  auto const r = run({"ttr", "status"}, {{"OVERWORLD_TIMEOUT", "later"}});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
  EXPECT_EQ(run({"ttr", "status"}, {{"OVERWORLD_JSON", "maybe"}}).code, 2);
}

}  // namespace
}  // namespace overworld::cli::testing
