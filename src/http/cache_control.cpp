#include <overworld/http/cache_control.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

namespace overworld::http {
namespace {

constexpr bool is_separator(char c) noexcept { return c == ',' || c == ' ' || c == '\t'; }

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

std::optional<std::chrono::seconds> parse_max_age(std::string_view value) noexcept {
  std::optional<std::chrono::seconds> max_age;
  bool no_store = false;
  // Directives are split on commas and on white space alike, which is what makes
  // "public max-age=600" read the same as "public, max-age=600".
  while (!value.empty()) {
    while (!value.empty() && is_separator(value.front())) value.remove_prefix(1);
    std::size_t end = 0;
    while (end < value.size() && !is_separator(value[end])) ++end;
    auto directive = value.substr(0, end);
    value.remove_prefix(end);
    if (directive.empty()) continue;

    auto eq = directive.find('=');
    auto name = directive.substr(0, eq);
    if (iequal(name, "no-store") || iequal(name, "no-cache")) {
      no_store = true;
    } else if (iequal(name, "max-age") && eq != std::string_view::npos) {
      auto number = directive.substr(eq + 1);
      if (number.size() >= 2 && number.front() == '"' && number.back() == '"')
        number = number.substr(1, number.size() - 2);
      std::uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
      if (number.empty() || ptr != number.data() + number.size()) continue;  // not a number: ignored
      if (ec == std::errc::result_out_of_range) {
        n = std::numeric_limits<std::uint32_t>::max();
      } else if (ec != std::errc{}) {
        continue;
      }
      n = std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max());
      if (!max_age) max_age = std::chrono::seconds{static_cast<std::int64_t>(n)};
    }
  }
  if (no_store) return std::chrono::seconds{0};
  return max_age;
}

}  // namespace overworld::http
