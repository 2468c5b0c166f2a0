// Cursors as the real API mints them, and pages cut from stored lists.
#include <overworld/server/sandbox/paging.hpp>

#include <gtest/gtest.h>

namespace overworld::sandbox {
namespace {

TEST(SandboxPaging, CursorsMatchTheRealOnes) {
  // Values seen in recorded responses.
  EXPECT_EQ(encode_cursor(20), "eyJwb3MiOjIwfQ");
  EXPECT_EQ(encode_cursor(2), "eyJwb3MiOjJ9");
  EXPECT_EQ(encode_cursor(100), "eyJwb3MiOjEwMH0");
  EXPECT_EQ(decode_cursor("eyJwb3MiOjIwfQ"), 20u);
  EXPECT_EQ(decode_cursor("eyJwb3MiOjIwfQ=="), 20u);
  EXPECT_FALSE(decode_cursor("not a cursor"));
  EXPECT_FALSE(decode_cursor(base64url_encode(R"({"page":3})")));
}

TEST(SandboxPaging, Base64RoundTrip) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\xfe\x00x"}) {
    EXPECT_EQ(base64url_decode(base64url_encode(s)), s);
  }
}

TEST(SandboxPaging, RequestValidation) {
  std::string why;
  EXPECT_FALSE(parse_page_request({}, std::string{"eyJwb3MiOjIwfQ"}, std::string{"eyJwb3MiOjIwfQ"}, why));
  EXPECT_FALSE(parse_page_request(std::string{"0"}, {}, {}, why));
  EXPECT_FALSE(parse_page_request(std::string{"ten"}, {}, {}, why));
  EXPECT_FALSE(parse_page_request({}, std::string{"%%%"}, {}, why));
  auto ok = parse_page_request(std::string{"5"}, std::string{"eyJwb3MiOjJ9"}, {}, why);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->limit, 5u);
  EXPECT_EQ(ok->after, 2u);
  EXPECT_FALSE(parse_page_request({}, {}, {}, why)->paged());
}

TEST(SandboxPaging, PagesAndCursors) {
  paged_list list;
  for (int i = 0; i < 5; ++i) list.items.push_back(std::to_string(i));
  list.whole = std::make_shared<std::string const>("recorded");
  EXPECT_EQ(*render_page(list, {}), "recorded");
  page_request first;
  first.limit = 2;
  EXPECT_EQ(*render_page(list, first), R"({"items":[0,1],"paging":{"cursors":{"after":"eyJwb3MiOjJ9"}}})");
  page_request middle;
  middle.limit = 2;
  middle.after = 2;
  EXPECT_EQ(*render_page(list, middle),
            R"({"items":[2,3],"paging":{"cursors":{"before":"eyJwb3MiOjJ9","after":"eyJwb3MiOjR9"}}})");
  page_request back;
  back.limit = 2;
  back.before = 2;
  EXPECT_EQ(*render_page(list, back), R"({"items":[0,1],"paging":{"cursors":{"after":"eyJwb3MiOjJ9"}}})");
  page_request past;
  past.after = 9;
  EXPECT_EQ(*render_page(list, past), R"({"items":[],"paging":{"cursors":{"before":"eyJwb3MiOjV9"}}})");
}

}  // namespace
}  // namespace overworld::sandbox
