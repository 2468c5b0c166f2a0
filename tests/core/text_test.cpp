// Names and JSON text from outside: strict UTF-8 and the escaper that never writes invalid UTF-8.
#include <overworld/core/log.hpp>
#include <overworld/core/text.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace overworld {
namespace {

using namespace std::string_literals;

/// Every kind of malformed UTF-8 a client can put into a URL or a body.
std::vector<std::string> const malformed{
    "Bad\xFF\xFE"s,           // bytes that never occur in UTF-8
    "\xC0\xAF"s,              // overlong '/'
    "\xE0\x80\xAF"s,          // overlong '/' in three bytes
    "\xF0\x80\x80\xAF"s,      // overlong '/' in four bytes
    "\xED\xA0\x80"s,          // high surrogate U+D800
    "\xED\xBF\xBF"s,          // low surrogate U+DFFF
    "\xF4\x90\x80\x80"s,      // above U+10FFFF
    "\xE2\x82"s,              // truncated euro sign
    "a\x80"s,                 // lone continuation byte
    "\xF8\x88\x80\x80\x80"s,  // five-byte form
};

TEST(Text, StrictUtf8) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("Boingy Acres"));
  EXPECT_TRUE(valid_utf8("Zürich €5 \xF0\x9F\x90\xB8"));  // 2, 3 and 4 bytes
  EXPECT_TRUE(valid_utf8("\xEF\xBF\xBF"s));               // U+FFFF, a noncharacter, is still UTF-8
  EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"s));           // U+10FFFF
  for (auto const& bad : malformed) EXPECT_FALSE(valid_utf8(bad)) << testing::PrintToString(bad);
}

TEST(Text, NamesAreUtf8WithoutControlCharacters) {
  EXPECT_EQ(check_name("Boingy Acres", 64), name_problem::ok);
  EXPECT_EQ(check_name("Zürich", 64), name_problem::ok);
  EXPECT_EQ(check_name("", 64), name_problem::empty);
  EXPECT_EQ(check_name(std::string(65, 'a'), 64), name_problem::too_long);
  for (auto const& bad : malformed) EXPECT_EQ(check_name(bad, 64), name_problem::invalid_utf8);
  for (std::string bad : {"a\0b"s, "a\nb"s, "a\tb"s, "a\x7F"s, "a\xC2\x85"s /* NEL */, "\xC2\x9F"s}) {
    EXPECT_EQ(check_name(bad, 64), name_problem::control_character) << testing::PrintToString(bad);
  }
  EXPECT_EQ(check_name("\xC2\xA0"s, 64), name_problem::ok);  // U+00A0 is not a control character
  EXPECT_EQ(check_text("line one\r\nline\ttwo", 64), name_problem::ok);
  EXPECT_EQ(check_text("a\x01", 64), name_problem::control_character);
  EXPECT_EQ(describe(name_problem::too_long, 64), "is longer than 64 bytes");
}

TEST(Text, JsonEscapingNeverWritesInvalidUtf8) {
  std::string out;
  append_json_escaped(out, "Bad\xFF\xFE"s);
  EXPECT_EQ(out, "Bad\\ufffd\\ufffd");
  out.clear();
  append_json_escaped(out, "\xED\xA0\x80|\xC0\xAF|\xE2\x82"s);  // each byte of a bad sequence is replaced
  EXPECT_EQ(out, "\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd");
  out.clear();
  append_json_escaped(out, "Zürich \xE2\x80\xA8\xE2\x80\xA9"s);  // line separators are escaped for JavaScript
  EXPECT_EQ(out, "Zürich \\u2028\\u2029");
  out.clear();
  append_json_escaped(out, "\0\x1F\""s);
  EXPECT_EQ(out, "\\u0000\\u001f\\\"");
  for (auto const& bad : malformed) {
    out.clear();
    append_json_escaped(out, bad);
    EXPECT_TRUE(valid_utf8(out)) << testing::PrintToString(bad);
  }
}

}  // namespace
}  // namespace overworld
