// Request targets as RFC 9112 §3.2 reads them: origin-form and absolute-form.
#include "http/server/request_target.hpp"  // src/

#include <gtest/gtest.h>

namespace overworld::http::detail {
namespace {

struct target_case {
  std::string_view text;
  std::string_view path, query, authority, origin;
};

TEST(RequestTarget, OriginAndAbsoluteForms) {
  target_case const cases[] = {
      {"/a/b?c=1", "/a/b", "c=1", "", "/a/b?c=1"},
      {"/", "/", "", "", "/"},
      {"http://h/a?x", "/a", "x", "h", "/a?x"},
      {"http://h:8080/a/b", "/a/b", "", "h:8080", "/a/b"},
      {"HTTP://H/", "/", "", "H", "/"},
      {"https://[::1]:443/p", "/p", "", "[::1]:443", "/p"},
      {"http://h", "/", "", "h", "/"},
      {"http://h?q=1", "/", "q=1", "h", "/?q=1"},
      {"*", "*", "", "", "*"},
      {"h:443", "h:443", "", "", "h:443"},
  };
  for (auto const& c : cases) {
    std::string scratch;
    auto t = parse_target(c.text, scratch);
    ASSERT_TRUE(t) << c.text;
    EXPECT_EQ(t->path, c.path) << c.text;
    EXPECT_EQ(t->query, c.query) << c.text;
    EXPECT_EQ(t->authority, c.authority) << c.text;
    EXPECT_EQ(t->origin, c.origin) << c.text;
  }
}

TEST(RequestTarget, BadAbsoluteFormsAreRefused) {
  for (std::string_view bad : {"http://", "http:///a", "http://user@h/a", "http://u:p@h/", "ftp://h/a", "ws://h/"}) {
    std::string scratch;
    EXPECT_FALSE(parse_target(bad, scratch)) << bad;
  }
}

}  // namespace
}  // namespace overworld::http::detail
