// The `overworld coc` commands made from the SDK's operation list, against the CoC sandbox: every
// operation has a command (`coc operations`), and the rows without a table of their own print
// what the API sent (-o json) or the plain fields of the answer.
#include "cli/coc_support.hpp"

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

TEST_F(cli_coc, EveryOperationHasItsCommand) {
  // `coc operations` lists the operation table; each row's command exists.
  auto const listed = json_of({"operations"});
  auto const& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 35U);
  EXPECT_EQ(items.at(0).at("operation"), "search_clans");
  EXPECT_EQ(items.at(0).at("command"), "coc search");
  for (auto const& item : items) {
    auto const command = to_text(item.at("command"));
    ASSERT_TRUE(command.starts_with("coc ")) << command;
    auto const help = run(coc({command.substr(4), "--help"}));
    EXPECT_EQ(help.code, 0) << command << ": " << help.err;
  }
  EXPECT_NE(table_of({"operations"}).find("/players/{playerTag}/battlelog"), std::string::npos);
}

TEST_F(cli_coc, RowsWithoutATableOfTheirOwnAreCommandsToo) {
  // Commands made from their rows: the row's path arguments, its paging flags, the generic table.
  EXPECT_EQ(json_of({"battle-log", "2PP"}), served("/players/%232PP/battlelog"));
  EXPECT_EQ(json_of({"league-history", "#2PP"}), served("/players/%232PP/leaguehistory"));
  EXPECT_EQ(json_of({"league-seasons", "29000022"}), served("/leagues/29000022/seasons"));
  EXPECT_EQ(json_of({"league-season-rankings", "29000022", "2026-02-23", "--limit", "2"}),
            served("/leagues/29000022/seasons/2026-02-23?limit=2"));
  auto const group = served("/leaguegroup/%232PP/1773032400");
  EXPECT_EQ(json_of({"ranked-league-group", "#2PP", "1773032400"}), group);
  auto const labels = served("/labels/clans");
  EXPECT_EQ(json_of({"clan-labels"}), labels);
  EXPECT_EQ(json_of({"player-labels"}), served("/labels/players"));
  auto const verified = json_of({"verify-token", "2PP", "--token", "TOKEN"});
  EXPECT_EQ(verified.at("status"), "ok");

  // The generic table: one row per item with its plain fields; a single answer as field lines.
  auto const labels_table = table_of({"clan-labels"});
  EXPECT_EQ(lines(labels_table).size(), labels.at("items").as_array().size() + 1) << labels_table;
  EXPECT_NE(lines(labels_table).front().find("name"), std::string::npos) << labels_table;
  EXPECT_NE(line_starting(table_of({"verify-token", "2PP", "--token", "nope"}), "status").find("invalid"),
            std::string::npos);
  // An answer that holds lists: a table of each, under its name.
  auto const group_table = table_of({"ranked-league-group", "#2PP", "1773032400"});
  auto const members = group.at("members").as_array();
  EXPECT_NE(group_table.find("members (" + std::to_string(members.size()) + ")"), std::string::npos) << group_table;
  EXPECT_NE(group_table.find(to_text(members.at(0).at("playerTag"))), std::string::npos) << group_table;

  // Paging flags where the row pages, a required argument where its path has one.
  EXPECT_EQ(run(coc({"battle-log", "2PP", "--limit", "2"})).code, 2) << "the battle log does not page";
  EXPECT_EQ(run(coc({"league-seasons"})).code, 2);
  EXPECT_EQ(run(coc({"verify-token", "2PP"})).code, 2) << "--token is required";
  auto const missing = run(coc({"battle-log", "2PPPPPPPPP"}));
  EXPECT_EQ(missing.code, 1);
}

}  // namespace
}  // namespace overworld::cli::testing
