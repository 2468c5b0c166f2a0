// Output that fits the terminal: widths counted in terminal columns (emoji and East Asian wide
// characters two), tables narrowed, long values wrapped, at 60 and 120 columns through a
// pseudo-terminal; COLUMNS when piped; nothing cut when no width is known.
#include "cli/support.hpp"
#include "text_width.hpp"

#include "http/server/support.hpp"

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

TEST(cli_text_width, EmojiAndWideCharactersCountTwoColumns) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("\u26A1"), 2u);      // ⚡ high voltage
  EXPECT_EQ(display_width("\u2728"), 2u);      // ✨ sparkles
  EXPECT_EQ(display_width("\U0001F680"), 2u);  // 🚀 rocket, U+1F680–1F6FF
  EXPECT_EQ(display_width("\U0001F6F8"), 2u);  // 🛸
  EXPECT_EQ(display_width("\U0001F600"), 2u);  // 😀
  EXPECT_EQ(display_width("\U0001FA90"), 2u);  // 🪐
  EXPECT_EQ(display_width("東京"), 4u);
  EXPECT_EQ(display_width("ｱ"), 1u);         // halfwidth katakana
  EXPECT_EQ(display_width("e\u0301"), 1u);   // a combining accent takes no column
  EXPECT_EQ(display_width("a\u200Bb"), 2u);  // zero width space
  EXPECT_EQ(display_width("\u2603"), 1u);    // ☃ has text presentation: one column
}

TEST(cli_text_width, TruncateAndWrapNeverSplitACharacter) {
  EXPECT_EQ(truncate_to("abcdef", 4), "abc…");
  EXPECT_EQ(truncate_to("abc", 3), "abc");
  EXPECT_EQ(truncate_to("東京都", 4), "東…");  // 東 (2) + … (1); 京 would not fit
  EXPECT_EQ(display_width(truncate_to("\U0001F680\U0001F680\U0001F680", 5)), 5u);
  auto const lines = wrap("the quick brown fox jumps over the lazy dog", 10);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "the quick");
  for (auto const& l : lines) EXPECT_LE(display_width(l), 10u) << l;
  EXPECT_EQ(wrap("abcdefghijkl", 5), (std::vector<std::string>{"abcde", "fghij", "kl"}));
}

// A server answering TTR's population with names wider on a terminal than in bytes, and a
// status banner longer than any terminal.
struct cli_terminal : ::testing::Test {
  http::testing::running_server server;
  std::string const population =
      R"({"lastUpdated":1700000000,"totalPopulation":60,"populationByDistrict":{"\u26a1 Zap Zone":12,"\u2728 Sparkle Shore":34,)"
      R"("\ud83d\ude80 Rocket Ridge":6,"Plain Plaza":8},"statusByDistrict":{"\u26a1 Zap Zone":"online",)"
      R"("\u2728 Sparkle Shore":"online","\ud83d\ude80 Rocket Ridge":"online","Plain Plaza":"online"},"error":null})";
  std::string const status =
      R"({"open":false,"banner":"The game is closed for an update that brings a whole new playground, three new )"
      R"(gags, a reworked trolley and more fixes than we can list here; check back in a few hours."})";

  void SetUp() override {
    auto const fixed = [](std::string body) {
      return http::sync_handler{[body](http::request const&) { return http::response::json(200, body); }};
    };
    server.routes->get("/api/population", fixed(population));
    server.routes->get("/api/status", fixed(status));
    server.start();
  }
  std::vector<std::string> ttr(std::vector<std::string> args) {
    std::vector<std::string> all{"--base-url", "http://127.0.0.1:" + std::to_string(server.port()), "ttr"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }
};

// Every line of `out` fits `columns`.
void expect_fits(std::string const& out, std::size_t columns) {
  for (auto const& l : lines(out)) EXPECT_LE(display_width(l), columns) << "\n" << out;
}

TEST_F(cli_terminal, EmojiNamesLineUpAt60And120Columns) {
  ASSERT_TRUE(terminals_available()) << "this test needs pseudo-terminals (/dev/ptmx)";
  for (unsigned short const columns : {60, 120}) {
    auto const r = run_on_terminal(ttr({"population"}), {{"NO_COLOR", "1"}}, columns);
    ASSERT_EQ(r.code, 0) << r.err;
    expect_fits(r.out, columns);
    // The status column starts at the same terminal column on every row.
    auto const status_column = display_width(lines(r.out).at(0).substr(0, lines(r.out).at(0).find("Status")));
    for (std::string const name :
         {"\u26a1 Zap Zone", "\u2728 Sparkle Shore", "\U0001F680 Rocket Ridge", "Plain Plaza"}) {
      auto const row = line_starting(r.out, name);
      ASSERT_FALSE(row.empty()) << name << "\n" << r.out;
      EXPECT_EQ(display_width(row.substr(0, row.find("online"))), status_column) << row;
    }
  }
  // As JSON the names are what the server sent, whatever the width.
  auto const as_json = run_on_terminal(ttr({"population", "-o", "json"}), {}, 60);
  EXPECT_EQ(json::parse(as_json.out), json::parse(population));
}

TEST_F(cli_terminal, LongValuesWrapToTheTerminal) {
  ASSERT_TRUE(terminals_available());
  auto const narrow = run_on_terminal(ttr({"status"}), {{"NO_COLOR", "1"}}, 60);
  ASSERT_EQ(narrow.code, 0) << narrow.err;
  expect_fits(narrow.out, 60);
  EXPECT_GE(lines(narrow.out).size(), 4u) << "the banner wraps under itself\n" << narrow.out;
  // Continuation lines start under the value, not under the label.
  auto const second = lines(narrow.out).at(2);
  EXPECT_EQ(second.find_first_not_of(' '), lines(narrow.out).at(1).find("The game"));

  auto const wide = run_on_terminal(ttr({"status"}), {{"NO_COLOR", "1"}}, 120);
  expect_fits(wide.out, 120);
  EXPECT_LT(lines(wide.out).size(), lines(narrow.out).size());

  // Piped: COLUMNS says the width; without it nothing is cut or wrapped.
  auto const piped = run(ttr({"status"}), {{"COLUMNS", "60"}});
  expect_fits(piped.out, 60);
  auto const unlimited = run(ttr({"status"}));
  EXPECT_EQ(lines(unlimited.out).size(), 2u) << unlimited.out;
}

}  // namespace
}  // namespace overworld::cli::testing
