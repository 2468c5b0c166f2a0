// `overworld coc …` against the CoC sandbox over the recorded fixtures: every command's table and
// --json (the JSON must be what the sandbox sent), paging, and the exit codes of each failure.
#include "cli/support.hpp"
#include "server/sandbox/support.hpp"
#include "support/process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;
using sandbox::testing::fixtures_dir;
using sandbox::testing::read_file;
using sandbox::testing::sandbox_server;
using sandbox::testing::test_key;

class cli_coc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new sandbox_server{}; }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static std::string base_url() { return "http://127.0.0.1:" + std::to_string(server_->server.port()) + "/v1"; }
  /// overworld --base-url … coc --key test-key <args>
  static std::vector<std::string> coc(std::vector<std::string> args, bool as_json = false) {
    std::vector<std::string> all{"--base-url", base_url()};
    if (as_json) all.push_back("--json");
    all.insert(all.end(), {"coc", "--key", test_key});
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
  /// What the sandbox answers to GET /v1<path>.
  static json::value served(std::string const& path) {
    auto r = server_->get("/v1" + path);
    EXPECT_EQ(r.result_int(), 200) << path;
    return json::parse(r.body());
  }
  static json::value fixture(std::string const& name) { return json::parse(read_file(fixtures_dir() / name)); }

  /// Runs the command with --json, expects success and returns the parsed stdout.
  static json::value json_of(std::vector<std::string> args) {
    auto r = run(coc(std::move(args), true));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    json::error_code ec;
    auto v = json::parse(r.out, ec);
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

  static sandbox_server* server_;
};

sandbox_server* cli_coc::server_ = nullptr;

TEST_F(cli_coc, PlayerAsJsonIsWhatTheApiSent) {
  EXPECT_EQ(json_of({"player", "#2PP"}), served("/players/%232PP"));
  // Without '#', lower case: the same player.
  EXPECT_EQ(json_of({"player", "2pp"}), served("/players/%232PP"));
}

TEST_F(cli_coc, PlayerAsTable) {
  auto const p = served("/players/%232PP");
  auto const out = table_of({"player", "2PP"});
  EXPECT_NE(line_starting(out, "Name").find(to_text(p.at("name"))), std::string::npos) << out;
  EXPECT_NE(line_starting(out, "Tag").find("#2PP"), std::string::npos) << out;
  EXPECT_NE(line_starting(out, "Town hall").find(to_text(p.at("townHallLevel"))), std::string::npos) << out;
  EXPECT_NE(line_starting(out, "Clan").find(to_text(p.at("clan").at("name"))), std::string::npos) << out;
  EXPECT_NE(line_starting(out, "League").find(to_text(p.at("leagueTier").at("name"))), std::string::npos) << out;
  // Values of a details block start in one column.
  auto const name_line = line_starting(out, "Name");
  auto const tag_line = line_starting(out, "Tag");
  EXPECT_EQ(name_line.find(to_text(p.at("name"))), tag_line.find("#2PP"));
}

TEST_F(cli_coc, ClanTableListsEveryMember) {
  auto const c = served("/clans/%232PP");
  EXPECT_EQ(json_of({"clan", "#2PP"}), c);
  auto const out = table_of({"clan", "#2PP"});
  auto const& list = c.at("memberList").as_array();
  ASSERT_FALSE(list.empty());
  EXPECT_NE(out.find("Members (" + std::to_string(list.size()) + ")"), std::string::npos) << out;
  for (auto const& m : list) {
    auto const row = line_starting(out, to_text(m.at("clanRank")) + "  " + to_text(m.at("tag")));
    EXPECT_NE(row.find(to_text(m.at("name"))), std::string::npos) << "member " << m.at("tag") << "\n" << out;
  }
}

TEST_F(cli_coc, MembersWarLogAndRaidsOfAClan) {
  auto const tag = to_text(fixture("_responses.json").at("clan_members.json").at("request_args").at("clantag"));
  auto const path_tag = "%23" + tag.substr(1);
  auto const members = served("/clans/" + path_tag + "/members");
  EXPECT_EQ(json_of({"members", tag}), members);
  auto const members_table = table_of({"members", tag});
  // Header plus one line per member.
  EXPECT_EQ(lines(members_table).size(), members.at("items").as_array().size() + 1) << members_table;
  EXPECT_NE(lines(members_table).front().find("Trophies"), std::string::npos);

  auto const log = served("/clans/" + path_tag + "/warlog");
  EXPECT_EQ(json_of({"warlog", tag}), log);
  auto const log_table = table_of({"warlog", tag});
  EXPECT_EQ(lines(log_table).size(), log.at("items").as_array().size() + 1) << log_table;
  auto const& first = log.at("items").at(0);
  auto const row = lines(log_table).at(1);
  EXPECT_NE(row.find(to_text(first.at("result"))), std::string::npos) << row;
  EXPECT_NE(row.find(to_text(first.at("clan").at("stars")) + "-" + to_text(first.at("opponent").at("stars"))),
            std::string::npos)
      << row;

  auto const raids = served("/clans/" + path_tag + "/capitalraidseasons");
  EXPECT_EQ(json_of({"raids", tag}), raids);
  auto const raids_table = table_of({"raids", tag});
  auto const& season = raids.at("items").at(0);
  EXPECT_NE(lines(raids_table).at(1).find(to_text(season.at("capitalTotalLoot"))), std::string::npos) << raids_table;
}

TEST_F(cli_coc, PagingLimitsAndHintsTheNextPage) {
  auto const page = served("/locations?limit=3");
  EXPECT_EQ(json_of({"locations", "--limit", "3"}), page);
  auto const out = table_of({"locations", "--limit", "3"});
  auto const after = to_text(page.at("paging").at("cursors").at("after"));
  EXPECT_NE(out.find("more: --after " + after), std::string::npos) << out;
  EXPECT_EQ(json_of({"locations", "--limit", "3", "--after", after}), served("/locations?limit=3&after=" + after));
  // --after and --before together are a usage error.
  EXPECT_EQ(run(coc({"locations", "--after", after, "--before", after})).code, 2);
}

TEST_F(cli_coc, TablesAreAligned) {
  auto const all = served("/locations");
  auto const out = table_of({"locations"});
  auto const rows = lines(out);
  ASSERT_EQ(rows.size(), all.at("items").as_array().size() + 1);
  // ID is right-aligned (ends under the end of its header), Name starts in one column.
  auto const id_end = rows[0].find("ID") + 2;
  auto const name_start = rows[0].find("Name");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    auto const& item = all.at("items").at(i - 1);
    auto const id = to_text(item.at("id"));
    EXPECT_EQ(rows[i].find(id) + id.size(), id_end) << rows[i];
    // (The recorded locations include some with an empty name.)
    if (auto const name = to_text(item.at("name")); !name.empty()) {
      EXPECT_EQ(rows[i].find(name, id_end), name_start) << rows[i];
    }
    EXPECT_NE(rows[i].back(), ' ') << "trailing blanks";
  }
}

TEST_F(cli_coc, WarAndClanWarLeague) {
  auto const war_clan = to_text(fixture("currentwar_inwar.json").at("clan").at("tag"));
  auto const path_tag = "%23" + war_clan.substr(1);
  auto const war = served("/clans/" + path_tag + "/currentwar");
  EXPECT_EQ(json_of({"war", war_clan}), war);
  auto const out = table_of({"war", war_clan});
  EXPECT_NE(line_starting(out, "State").find(to_text(war.at("state"))), std::string::npos) << out;
  EXPECT_NE(line_starting(out, "clan").find(to_text(war.at("clan").at("name"))), std::string::npos) << out;
  EXPECT_NE(line_starting(out, "opponent").find(to_text(war.at("opponent").at("name"))), std::string::npos) << out;

  auto const group_fixture = fixture("cwl_leaguegroup.json");
  auto const cwl_clan = to_text(group_fixture.at("clans").at(0).at("tag"));
  auto const group = served("/clans/%23" + cwl_clan.substr(1) + "/currentwar/leaguegroup");
  EXPECT_EQ(json_of({"cwl", cwl_clan}), group);
  auto const group_table = table_of({"cwl", cwl_clan});
  EXPECT_NE(line_starting(group_table, "Season").find(to_text(group.at("season"))), std::string::npos) << group_table;
  for (auto const& c : group.at("clans").as_array()) {
    EXPECT_NE(group_table.find(to_text(c.at("tag"))), std::string::npos) << c.at("tag");
  }
  auto const war_tag = to_text(group.at("rounds").at(0).at("warTags").at(0));
  EXPECT_EQ(json_of({"cwl", "--war", war_tag}), served("/clanwarleagues/wars/%23" + war_tag.substr(1)));
  EXPECT_EQ(run(coc({"cwl"})).code, 2) << "neither a clan nor --war";
}

TEST_F(cli_coc, SearchRankingsLocationsLeaguesGoldPass) {
  EXPECT_EQ(json_of({"search", "Order", "--limit", "5"}), served("/clans?name=Order&limit=5"));
  auto const found = served("/clans?name=Order&limit=5");
  auto const search_table = table_of({"search", "Order", "--limit", "5"});
  for (auto const& c : found.at("items").as_array()) {
    EXPECT_NE(line_starting(search_table, to_text(c.at("tag"))).find(to_text(c.at("name"))), std::string::npos);
  }
  EXPECT_EQ(run(coc({"search"})).code, 2) << "no filter at all";

  auto const country = to_text(fixture("location_country.json").at("id"));
  for (auto const& [kind, path] :
       std::vector<std::pair<std::string, std::string>>{{"clans", "clans"},
                                                        {"players", "players"},
                                                        {"builder-clans", "clans-builder-base"},
                                                        {"builder-players", "players-builder-base"},
                                                        {"capitals", "capitals"}}) {
    auto const ranks = served("/locations/" + country + "/rankings/" + path);
    EXPECT_EQ(json_of({"rankings", kind, "--location", country}), ranks) << kind;
    auto const out = table_of({"rankings", kind, "--location", country});
    if (!ranks.at("items").as_array().empty()) {
      auto const& top = ranks.at("items").at(0);
      EXPECT_NE(lines(out).at(1).find(to_text(top.at("tag"))), std::string::npos) << kind << "\n" << out;
    }
  }
  EXPECT_EQ(run(coc({"rankings", "clans", "--location", "europe"})).code, 2);
  EXPECT_EQ(run(coc({"rankings", "heroes"})).code, 2);

  EXPECT_EQ(json_of({"locations", country}), served("/locations/" + country));
  auto const one = table_of({"locations", country});
  EXPECT_NE(line_starting(one, "Name").find(to_text(served("/locations/" + country).at("name"))), std::string::npos);

  auto const wars = served("/warleagues");
  EXPECT_EQ(json_of({"leagues", "--kind", "war"}), wars);
  auto const league_id = to_text(wars.at("items").at(0).at("id"));
  EXPECT_EQ(json_of({"leagues", "--kind", "war", league_id}), served("/warleagues/" + league_id));
  EXPECT_NE(table_of({"leagues", "--kind", "war"}).find(to_text(wars.at("items").at(0).at("name"))), std::string::npos);
  EXPECT_EQ(json_of({"leagues", "--kind", "capital"}), served("/capitalleagues"));

  auto const pass = served("/goldpass/seasons/current");
  EXPECT_EQ(json_of({"goldpass"}), pass);
  auto const start = to_text(pass.at("startTime"));  // 20230601T080100.000Z
  auto const shown = start.substr(0, 4) + "-" + start.substr(4, 2) + "-" + start.substr(6, 2);
  EXPECT_NE(line_starting(table_of({"goldpass"}), "Start").find(shown), std::string::npos);
}

TEST_F(cli_coc, ExitCodesOfFailures) {
  auto not_found = run(coc({"player", "#2PPP"}));
  EXPECT_EQ(not_found.code, 1) << not_found.err;
  EXPECT_NE(not_found.err.find("notFound"), std::string::npos) << not_found.err;
  EXPECT_EQ(not_found.out, "");

  auto const json_not_found = run(coc({"player", "#2PPP"}, true));
  EXPECT_EQ(json_not_found.code, 1);
  EXPECT_EQ(json_not_found.out, "") << "nothing on stdout for a script to mistake for data";

  auto private_log = run(coc({"warlog", "#2PP"}));
  EXPECT_EQ(private_log.code, 1) << private_log.err;

  auto bad_key = run({"--base-url", base_url(), "coc", "--key", "not-a-key", "player", "2PP"});
  EXPECT_EQ(bad_key.code, 4) << bad_key.err;
  EXPECT_NE(bad_key.err.find("accessDenied"), std::string::npos) << bad_key.err;

  auto no_key = run({"--base-url", base_url(), "coc", "player", "2PP"});
  EXPECT_EQ(no_key.code, 4) << no_key.err;
  EXPECT_NE(no_key.err.find("OVERWORLD_COC_KEY"), std::string::npos) << no_key.err;

  refusing_port closed;
  auto unreachable = run({"--base-url", closed.url("/v1"), "coc", "--key", test_key, "player", "2PP"});
  EXPECT_EQ(unreachable.code, 3) << unreachable.err;

  auto bad_tag = run(coc({"player", "#2PPA"}));
  EXPECT_EQ(bad_tag.code, 2) << bad_tag.err;
  EXPECT_NE(bad_tag.err.find("invalid tag"), std::string::npos) << bad_tag.err;

  EXPECT_EQ(run(coc({"player"})).code, 2) << "missing tag";
  EXPECT_EQ(run(coc({"members", "2PP", "--limit", "0"})).code, 2);
  EXPECT_EQ(run(coc({"frobnicate"})).code, 2);
  EXPECT_EQ(run({"--base-url", "ftp://example", "coc", "--key", "k", "player", "2PP"}).code, 2);
}

TEST_F(cli_coc, MaintenanceAndThrottlingExitFive) {
  server_->sandbox->set_maintenance(true);
  auto const maintenance = run(coc({"player", "2PP"}));
  server_->sandbox->set_maintenance(false);
  EXPECT_EQ(maintenance.code, 5) << maintenance.err;
  EXPECT_NE(maintenance.err.find("inMaintenance"), std::string::npos) << maintenance.err;

  // A sandbox that lets a key send one request per minute.
  sandbox::sandbox_options throttled;
  throttled.throttle = policy::rate_limit{1, std::chrono::minutes{1}};
  sandbox_server strict{throttled};
  auto const url = "http://127.0.0.1:" + std::to_string(strict.server.port()) + "/v1";
  auto const first = run({"--base-url", url, "coc", "--key", test_key, "player", "2PP"});
  EXPECT_EQ(first.code, 0) << first.err;
  auto const second = run({"--base-url", url, "coc", "--key", test_key, "player", "2PP"});
  EXPECT_EQ(second.code, 5) << second.err;
}

TEST_F(cli_coc, KeyAndBaseUrlFromEnvironmentAndConfigFile) {
  auto const expected = served("/players/%232PP");
  auto from_env = run({"--json", "coc", "player", "2PP"},
                      {{"OVERWORLD_COC_KEY", test_key}, {"OVERWORLD_COC_BASE_URL", base_url()}});
  ASSERT_EQ(from_env.code, 0) << from_env.err;
  EXPECT_EQ(json::parse(from_env.out), expected);

  // Flags beat the environment: a wrong key in the environment, the right one as a flag, and back.
  auto flag_wins = run({"--json", "coc", "--key", test_key, "player", "2PP"},
                       {{"OVERWORLD_COC_KEY", "wrong"}, {"OVERWORLD_COC_BASE_URL", base_url()}});
  EXPECT_EQ(flag_wins.code, 0) << flag_wins.err;
  auto flag_loses = run({"--json", "coc", "--key", "wrong", "player", "2PP"},
                        {{"OVERWORLD_COC_KEY", test_key}, {"OVERWORLD_COC_BASE_URL", base_url()}});
  EXPECT_EQ(flag_loses.code, 4);

  overworld::testing::temp_dir dir;
  auto const file = dir.path() + "/cli.toml";
  {
    std::ofstream out{file};
    out << "json = true\n[coc]\nkey = \"" << test_key << "\"\nbase_url = \"" << base_url() << "\"\n";
  }
  auto from_file = run({"--config", file, "coc", "player", "2PP"});
  ASSERT_EQ(from_file.code, 0) << from_file.err;
  EXPECT_EQ(json::parse(from_file.out), expected);
  // The same file found through OVERWORLD_CLI_CONFIG, and through XDG_CONFIG_HOME.
  EXPECT_EQ(run({"coc", "player", "2PP"}, {{"OVERWORLD_CLI_CONFIG", file}}).code, 0);
  std::filesystem::create_directories(dir.path() + "/xdg/overworld");
  std::filesystem::copy_file(file, dir.path() + "/xdg/overworld/cli.toml");
  auto from_xdg = run({"coc", "player", "2PP"}, {{"XDG_CONFIG_HOME", dir.path() + "/xdg"}});
  EXPECT_EQ(from_xdg.code, 0) << from_xdg.err;
  // The environment beats the file.
  EXPECT_EQ(run({"coc", "player", "2PP"}, {{"OVERWORLD_CLI_CONFIG", file}, {"OVERWORLD_COC_KEY", "wrong"}}).code, 4);

  {
    std::ofstream out{file};
    out << "[coc]\nkee = \"typo\"\n";
  }
  auto typo = run({"--config", file, "coc", "player", "2PP"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("kee"), std::string::npos) << typo.err;
  EXPECT_EQ(run({"--config", dir.path() + "/missing.toml", "coc", "player", "2PP"}).code, 2);
}

TEST_F(cli_coc, ColourOnlyOnATerminalWithoutNoColor) {
  ASSERT_TRUE(terminals_available()) << "this test needs pseudo-terminals (/dev/ptmx)";
  auto const args = coc({"locations", "--limit", "2"});
  auto const terminal = run_on_terminal(args);
  ASSERT_EQ(terminal.code, 0) << terminal.err;
  EXPECT_NE(terminal.out.find("\x1b[1m"), std::string::npos) << "bold header on a terminal";

  auto const no_color = run_on_terminal(args, {{"NO_COLOR", "1"}});
  ASSERT_EQ(no_color.code, 0);
  EXPECT_EQ(no_color.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(run_on_terminal([&] {
              auto a = args;
              a.insert(a.begin(), "--no-color");
              return a;
            }())
                .out.find('\x1b'),
            std::string::npos);
  // --json is never coloured, even on a terminal.
  auto const as_json = run_on_terminal(coc({"locations", "--limit", "2"}, true));
  EXPECT_EQ(as_json.out.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace overworld::cli::testing
