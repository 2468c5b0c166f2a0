#include <overworld/coc/tags.hpp>

#include <gtest/gtest.h>

#include <random>

namespace overworld::coc {
namespace {

TEST(Tags, NormalizeWhatPeopleType) {
  EXPECT_EQ(normalize_tag("#2PP"), "#2PP");
  EXPECT_EQ(normalize_tag("2pp"), "#2PP");
  EXPECT_EQ(normalize_tag("  #9yrjrj0g \n"), "#9YRJRJ0G");
  EXPECT_EQ(normalize_tag("#9YRJRJOG"), "#9YRJRJ0G");  // letter O is the digit 0
  EXPECT_EQ(normalize_tag("#29Y 8PR CJR"), "#29Y8PRCJR");
  EXPECT_EQ(normalize_tag("%232PP"), "#2PP");  // copied from a URL
  EXPECT_EQ(normalize_tag(""), "#");
  EXPECT_EQ(normalize_tag("##2PP"), "##2PP");  // only one '#' is dropped: the second is invalid
}

TEST(Tags, RealTagsAreValid) {
  for (auto t : {"#2PP", "#9YRJRJ0G", "#29Y8PRCJR", "#8QU8J9LP", "#2PPP", "#YL0VCQC"}) {
    EXPECT_TRUE(is_valid_tag(t)) << t;
    auto parsed = parse_tag(t);
    ASSERT_TRUE(parsed) << t;
    EXPECT_EQ(*parsed, t);
  }
}

TEST(Tags, ParseGivesAClearError) {
  EXPECT_EQ(parse_tag("  ").error(), tag_errc::empty);
  EXPECT_EQ(parse_tag("#").error(), tag_errc::empty);
  EXPECT_EQ(parse_tag("#2P").error(), tag_errc::too_short);
  EXPECT_EQ(parse_tag("#2PPA").error(), tag_errc::invalid_character);  // A is not in the alphabet
  EXPECT_EQ(parse_tag("#2PP1").error(), tag_errc::invalid_character);  // nor is 1
  EXPECT_EQ(parse_tag("##2PP").error(), tag_errc::invalid_character);
  EXPECT_EQ(parse_tag("#2PP/../x").error(), tag_errc::invalid_character);
  EXPECT_EQ(parse_tag("#" + std::string(17, '2')).error(), tag_errc::too_long);
  EXPECT_TRUE(parse_tag("#" + std::string(16, 'V')));
  // No id is written with leading zeros: "#02PP" would name #2PP's id under a second tag.
  EXPECT_EQ(parse_tag("#02PP").error(), tag_errc::leading_zero);
  EXPECT_EQ(parse_tag("ooooooo").error(), tag_errc::leading_zero);  // O reads as 0

  auto e = parse_tag("#2PPA").error();
  EXPECT_EQ(e.category(), tag_category());
  EXPECT_NE(e.message().find("0289PYLQGRJCUV"), std::string::npos);

  EXPECT_FALSE(is_valid_tag("2PP"));  // is_valid_tag wants the canonical form
  EXPECT_FALSE(is_valid_tag("#2pp"));
}

TEST(Tags, UrlEncoding) {
  EXPECT_EQ(encode_tag("#2PP"), "%232PP");
  EXPECT_EQ(encode_tag("9yrjrj0g"), "%239YRJRJ0G");
  // Garbage stays inside its path segment.
  EXPECT_EQ(encode_tag("#2PP/../x?y"), "%232PP%2F..%2FX%3FY");
}

TEST(Tags, Base14Values) {
  // The alphabet is the digit order: '0' = 0, '2' = 1, '8' = 2, '9' = 3, 'P' = 4 …
  EXPECT_EQ(tag_to_number("#2PP").value(), 256U);
  EXPECT_EQ(tag_to_number("#2PPP").value(), 3588U);
  EXPECT_EQ(tag_to_number("#9YRJRJ0G").value(), 359139432U);
  EXPECT_EQ(tag_to_number("#29Y8PRCJR").value(), 1830933561U);
  EXPECT_EQ(tag_to_number("#0").value(), 0U);  // unscheduled league war
  EXPECT_EQ(tag_from_number(0), "#0");
  EXPECT_EQ(tag_from_number(256), "#2PP");
  EXPECT_EQ(tag_to_number("#2PPX").error(), tag_errc::invalid_character);
  // The largest 16-character tag fits 64 bits.
  auto biggest = tag_to_number("#" + std::string(16, 'V'));
  ASSERT_TRUE(biggest);
  EXPECT_EQ(tag_from_number(*biggest), "#" + std::string(16, 'V'));
  // Every 64-bit value has a tag (17 characters for the largest), even if parse_tag refuses it.
  auto max = tag_from_number(~std::uint64_t{0});
  EXPECT_EQ(max.size(), 18U);
}

TEST(Tags, GameIdSplit) {
  // #2PP is the game's very first id: high 0, low 1.
  auto first = tag_to_id("#2PP");
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, (tag_id{0, 1}));
  EXPECT_EQ(first->packed(), 1U);

  auto id = tag_to_id("#9YRJRJ0G").value();
  EXPECT_EQ(id.high, 104U);
  EXPECT_EQ(id.low, 1402888U);
  EXPECT_EQ(id.packed(), 446678001672ULL);
  EXPECT_EQ(tag_id::unpack(id.packed()), id);
  EXPECT_EQ(tag_from_id(id), "#9YRJRJ0G");

  auto other = tag_to_id("#29Y8PRCJR").value();
  EXPECT_EQ(other, (tag_id{57, 7152084}));
  EXPECT_EQ(tag_from_id(other), "#29Y8PRCJR");

  EXPECT_EQ(tag_to_id("#" + std::string(12, 'V')).error(), tag_errc::id_out_of_range);
}

TEST(Tags, RoundTripOverManyIds) {
  std::mt19937_64 rng{42};
  std::uniform_int_distribution<std::uint32_t> high{0, 255};
  std::uniform_int_distribution<std::uint32_t> low{1, 0xffffffffU};
  for (int i = 0; i < 10'000; ++i) {
    tag_id id{high(rng), low(rng)};
    auto tag = tag_from_id(id);
    ASSERT_TRUE(is_valid_tag(tag)) << tag;
    ASSERT_EQ(tag_to_id(tag).value(), id) << tag;
    ASSERT_EQ(tag_from_number(tag_to_number(tag).value()), tag);
  }
}

}  // namespace
}  // namespace overworld::coc
