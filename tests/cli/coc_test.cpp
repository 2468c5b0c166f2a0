// `overworld coc …` against the CoC sandbox over the recorded fixtures: every command's table and
// --json (the JSON must be what the sandbox sent), paging, and the exit codes of each failure.
#include "cli/coc_support.hpp"
#include "server/sandbox/support.hpp"
#include "support/process.hpp"
#include "text_width.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;
using sandbox::testing::sandbox_server;
using sandbox::testing::test_key;

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
  auto const result = to_text(first.at("result"));
  EXPECT_NE(row.find(result == "win" ? "Win" : result == "lose" ? "Loss" : "Tie"), std::string::npos) << row;
  EXPECT_NE(row.find(to_text(first.at("clan").at("stars")) + " - " + to_text(first.at("opponent").at("stars"))),
            std::string::npos)
      << row;
  // Percentages with one decimal, ours then theirs.
  EXPECT_TRUE(std::regex_search(row, std::regex{R"(\d+\.\d% - \d+\.\d%)"})) << row;

  auto const raids = served("/clans/" + path_tag + "/capitalraidseasons");
  EXPECT_EQ(json_of({"raids", tag}), raids);
  auto const raids_table = table_of({"raids", tag});
  auto const& season = raids.at("items").at(0);
  EXPECT_NE(lines(raids_table).at(1).find(to_text(season.at("capitalTotalLoot"))), std::string::npos) << raids_table;
}

TEST_F(cli_coc, PagingLimitsAndHintsTheNextPage) {
  auto const page = served("/locations?limit=3");
  EXPECT_EQ(json_of({"locations", "--limit", "3"}), page);
  auto const table = run(coc({"locations", "--limit", "3"}));
  auto const after = to_text(page.at("paging").at("cursors").at("after"));
  // The hint is on stderr: stdout is the table alone (a header and three rows).
  EXPECT_EQ(table.err, "overworld: more: --after " + after + " (or --all)\n");
  EXPECT_EQ(lines(table.out).size(), 4u) << table.out;
  EXPECT_EQ(table.out.find("more:"), std::string::npos);
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
  EXPECT_NE(line_starting(out, "State").find(to_text(war.at("state")) == "inWar" ? "In war" : "Preparation"),
            std::string::npos)
      << out;
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

TEST_F(cli_coc, WarErrorsInWords) {
  // #2PP keeps its war log private and is in no league.
  auto const priv = run(coc({"war", "2PP"}));
  EXPECT_EQ(priv.code, 1);
  EXPECT_EQ(priv.out, "");
  EXPECT_EQ(priv.err,
            "overworld: the clan's war log is private: only its members can see its wars (403 accessDenied, " +
                base_url() + "/clans/%232PP/currentwar)\n");
  auto const as_json = run(coc({"war", "2PP"}, true));
  EXPECT_EQ(as_json.code, 1);
  EXPECT_EQ(as_json.out, "");
  auto const e = json::parse(as_json.err).at("error");
  EXPECT_EQ(e.at("exit"), 1);
  EXPECT_EQ(e.at("kind"), "private_war_log");
  EXPECT_EQ(e.at("status"), 403);
  EXPECT_EQ(e.at("reason"), "accessDenied");
  EXPECT_EQ(to_text(e.at("url")), base_url() + "/clans/%232PP/currentwar");

  auto const no_league = run(coc({"cwl", "2PP"}));
  EXPECT_EQ(no_league.code, 1);
  EXPECT_NE(no_league.err.find("clan #2PP is not in a Clan War League group now"), std::string::npos) << no_league.err;
  EXPECT_NE(no_league.err.find("(404 notFound, " + base_url() + "/clans/%232PP/currentwar/leaguegroup)"),
            std::string::npos)
      << no_league.err;
  auto const missing = run(coc({"player", "2PPP"}));
  EXPECT_EQ(missing.err.find("overworld: no player with tag #2PPP"), 0u) << missing.err;

  // A key refused: exit 4 in the same shape; a base URL without /v1: a hint.
  auto const bad_key = run({"--base-url", base_url(), "coc", "--key-file", "/dev/null", "player", "2PP"});
  EXPECT_EQ(bad_key.code, 2) << "an empty key file is a configuration error\n" << bad_key.err;
  auto const no_v1 = base_url().substr(0, base_url().size() - 3);
  auto const hint = run({"--base-url", no_v1, "coc", "--key-file", key_file(), "player", "2PP"});
  EXPECT_EQ(hint.code, 1) << hint.err;
  EXPECT_NE(hint.err.find("ends in /v1 (--base-url " + no_v1 + "/v1?)"), std::string::npos) << hint.err;
}

TEST_F(cli_coc, WarOfAClanInTheLeagueIsItsLeagueWar) {
  // #29Y8PRCJR is in no regular war (its /currentwar says notInWar) but in the league's round 4.
  std::string const clan = "#29Y8PRCJR";
  EXPECT_EQ(served("/clans/%2329Y8PRCJR/currentwar").at("state"), "notInWar");
  auto const war = json_of({"war", clan});
  EXPECT_EQ(war.at("state"), "inWar") << war;
  EXPECT_TRUE(to_text(war.at("clan").at("tag")) == clan || to_text(war.at("opponent").at("tag")) == clan);
  auto const table = table_of({"war", clan});
  EXPECT_NE(line_starting(table, "Clan War League").find("round 4"), std::string::npos) << table;
  EXPECT_NE(line_starting(table, "State").find("In war"), std::string::npos) << table;
}

TEST_F(cli_coc, TablesSayValuesInWords) {
  auto const clan = table_of({"clan", "2PP"});
  EXPECT_NE(line_starting(clan, "War frequency").find("Unknown"), std::string::npos) << clan;
  EXPECT_EQ(clan.find("unknown"), std::string::npos) << clan;
  // Roles as the game says them.
  EXPECT_EQ(clan.find("coLeader"), std::string::npos);
  // A previous rank of -1: new on the list.
  auto const capitals =
      table_of({"rankings", "capitals", "--location", to_text(fixture("location_country.json").at("id"))});
  EXPECT_EQ(capitals.find("-1"), std::string::npos) << capitals;
  // Rounds not drawn yet are said so, not "#0 #0 #0 #0".
  auto const group = fixture("cwl_leaguegroup.json");
  auto const cwl = table_of({"cwl", to_text(group.at("clans").at(0).at("tag"))});
  EXPECT_EQ(cwl.find("#0"), std::string::npos) << cwl;
  EXPECT_NE(cwl.find("not drawn yet"), std::string::npos) << cwl;
  // An empty list says so.
  auto const none = run(coc({"search", "zzzzqqqq"}));
  EXPECT_EQ(none.code, 0) << none.err;
  EXPECT_EQ(none.out, "Nothing found.\n");
  EXPECT_EQ(json::parse(run(coc({"search", "zzzzqqqq"}, true)).out).at("items").as_array().size(), 0u);
}

TEST_F(cli_coc, OutputFormatsAndFields) {
  auto const members = served("/clans/%232PP/members");
  auto const& items = members.at("items").as_array();
  // JSON lines: one member per line.
  auto const jsonl = run(coc({"-o", "jsonl", "members", "2PP"}));
  ASSERT_EQ(jsonl.code, 0) << jsonl.err;
  auto const rows = lines(jsonl.out);
  ASSERT_EQ(rows.size(), items.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(json::parse(rows[i]), items[i]);
  // CSV of chosen fields, a nested one among them.
  auto const csv = run(coc({"-o", "csv", "--fields", "tag,name,league/name", "members", "2PP"}));
  ASSERT_EQ(csv.code, 0) << csv.err;
  auto const csv_rows = lines(csv.out);
  ASSERT_EQ(csv_rows.size(), items.size() + 1);
  EXPECT_EQ(csv_rows[0], "tag,name,league/name\r");
  EXPECT_EQ(csv_rows[1].find(to_text(items[0].at("tag")) + ","), 0u) << csv_rows[1];
  // JSON with --fields: each item reduced to those fields, in order.
  auto const picked = json::parse(run(coc({"--fields", "tag,trophies", "members", "2PP"}, true)).out);
  ASSERT_EQ(picked.as_array().size(), items.size());
  EXPECT_EQ(picked.at(0), (json::value{{"tag", items[0].at("tag")}, {"trophies", items[0].at("trophies")}}));
  // A table of the fields.
  auto const table = table_of({"--fields", "name,role", "members", "2PP"});
  EXPECT_EQ(lines(table).at(0), "name" + std::string(lines(table).at(0).size() - 8, ' ') + "role");
  // YAML.
  auto const yaml = run(coc({"-o", "yaml", "player", "2PP"}));
  EXPECT_EQ(yaml.out.rfind("---\ntag: \"#2PP\"\n", 0), 0u) << yaml.out.substr(0, 200);
  // Pretty JSON on a terminal, the API's bytes when piped (parsed the same).
  if (terminals_available()) {
    auto const pretty = run_on_terminal(coc({"player", "2PP"}, true));
    EXPECT_NE(pretty.out.find("{\n  \""), std::string::npos) << pretty.out.substr(0, 100);
    std::string unix_lines = pretty.out;
    EXPECT_EQ(json::parse(unix_lines), served("/players/%232PP"));
  }
}

TEST_F(cli_coc, AllFollowsTheCursors) {
  auto const everything = served("/locations");
  auto const all = run(coc({"locations", "--limit", "3", "--all"}, true));
  ASSERT_EQ(all.code, 0) << all.err;
  EXPECT_EQ(all.err, "");
  EXPECT_EQ(json::parse(all.out).at("items"), everything.at("items"));
  auto const table = run(coc({"locations", "--limit", "7", "--all"}));
  EXPECT_EQ(lines(table.out).size(), everything.at("items").as_array().size() + 1);
  EXPECT_EQ(table.err, "") << "no more: hint after the last page";
}

TEST_F(cli_coc, KeyOnTheCommandLineWarnsAndVerboseLogsRequests) {
  auto const flag = run({"--base-url", base_url(), "coc", "--key", test_key, "player", "2PP"});
  EXPECT_EQ(flag.code, 0);
  EXPECT_NE(flag.err.find("warning: an API key on the command line shows in ps"), std::string::npos) << flag.err;
  auto const verbose = run(coc({"-v", "player", "2PP"}));
  EXPECT_EQ(verbose.code, 0) << verbose.err;
  EXPECT_TRUE(std::regex_search(verbose.err, std::regex{"> GET " + base_url() + R"(/players/%232PP  200  \d+ ms\n)"}))
      << verbose.err;
  EXPECT_EQ(verbose.err.find(test_key), std::string::npos) << "the key is never logged";
  // The examples' variable for the base URL is an alias.
  auto const alias =
      run({"--json", "coc", "player", "2PP"}, {{"OVERWORLD_COC_KEY", test_key}, {"OVERWORLD_COC_URL", base_url()}});
  EXPECT_EQ(alias.code, 0) << alias.err;
}

TEST_F(cli_coc, TablesFitSixtyColumns) {
  if (!terminals_available()) GTEST_SKIP() << "no pseudo-terminals";
  for (unsigned short const columns : {60, 120}) {
    for (std::vector<std::string> const& args :
         std::vector<std::vector<std::string>>{{"clan", "2PP"}, {"members", "2PP"}, {"player", "2PP"}}) {
      auto const r = run_on_terminal(coc(args), {{"NO_COLOR", "1"}, {"PAGER", "cat"}}, columns);
      ASSERT_EQ(r.code, 0) << r.err;
      for (auto const& l : lines(r.out)) EXPECT_LE(display_width(l), columns) << args[0] << "\n" << r.out;
    }
  }
}

TEST_F(cli_coc, LongTablesGoThroughThePagerOnATerminal) {
  if (!terminals_available()) GTEST_SKIP() << "no pseudo-terminals";
  std::map<std::string, std::string> const env{{"PAGER", "sed s/^/paged:/"}, {"NO_COLOR", "1"}};
  // More locations than the terminal's 24 rows.
  auto const paged = run_on_terminal(coc({"locations"}), env, 120);
  ASSERT_EQ(paged.code, 0) << paged.err;
  EXPECT_EQ(lines(paged.out).at(0).rfind("paged:", 0), 0u) << paged.out.substr(0, 200);
  auto const off = run_on_terminal(coc({"--no-pager", "locations"}), env, 120);
  EXPECT_EQ(off.out.find("paged:"), std::string::npos);
  auto const short_table = run_on_terminal(coc({"locations", "--limit", "3"}), env, 120);
  EXPECT_EQ(short_table.out.find("paged:"), std::string::npos) << "it fits: no pager";
  auto const piped = run(coc({"locations"}), env);
  EXPECT_EQ(piped.out.find("paged:"), std::string::npos) << "never when piped";
}

TEST_F(cli_coc, FoundTagsCompleteFromTheHistory) {
  overworld::testing::temp_dir state;
  std::map<std::string, std::string> env{{"XDG_STATE_HOME", state.path()}};
  ASSERT_EQ(run(coc({"player", "#2pp"}), env).code, 0);
  ASSERT_EQ(run(coc({"clan", "29Y8PRCJR"}), env).code, 0);
  EXPECT_EQ(run(coc({"player", "2PPPPPP"}), env).code, 1);  // not found: not remembered
  ASSERT_EQ(run(coc({"player", "2PP"}), env).code, 0);      // found again: first again
  EXPECT_EQ(run({"__tags"}, env).out, "2PP\n29Y8PRCJR\n");
  auto off = env;
  off["OVERWORLD_NO_HISTORY"] = "1";
  ASSERT_EQ(run(coc({"war", "29Y8PRCJR"}), off).code, 0);
  EXPECT_EQ(run({"__tags"}, off).out, "");
  EXPECT_EQ(run({"__tags"}, env).out, "2PP\n29Y8PRCJR\n");

  // bash offers them after a command that takes a tag, through the generated script.
  auto const bin = std::filesystem::path{OVERWORLD_CLI_PATH}.parent_path().string();
  std::string const script =
      "source <(overworld completion bash)\n"
      "COMP_WORDS=(overworld coc members 2); COMP_CWORD=3; _overworld; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
      "echo --\n"
      "COMP_WORDS=(overworld coc ''); COMP_CWORD=2; _overworld; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
  overworld::testing::child_process bash{
      "/bin/bash", {"-c", script}, {{"PATH", bin + ":/usr/bin:/bin"}, {"XDG_STATE_HOME", state.path()}}};
  ASSERT_EQ(bash.wait(std::chrono::seconds{20}), 0) << bash.output();
  auto const out = bash.output();
  auto const commands = out.substr(out.find("--\n"));
  EXPECT_EQ(out.substr(0, out.find("--\n")), "2PP\n29Y8PRCJR\n") << out;
  EXPECT_NE(commands.find("\nplayer\n"), std::string::npos) << out;
  EXPECT_EQ(commands.find("29Y8PRCJR"), std::string::npos) << "tags only where a tag goes: " << out;
  EXPECT_EQ(commands.find("__tags"), std::string::npos) << out;
}

}  // namespace
}  // namespace overworld::cli::testing
