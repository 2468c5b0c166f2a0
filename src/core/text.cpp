#include <overworld/core/text.hpp>

namespace overworld {

std::size_t utf8_sequence_length(std::string_view text) noexcept {
  if (text.empty()) return 0;
  auto const at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char const b0 = at(0);
  if (b0 < 0x80) return 1;
  // The ranges of RFC 3629's table: the second byte's range excludes overlong forms (E0, F0),
  // surrogates (ED) and code points above U+10FFFF (F4).
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;  // continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (text.size() < length) return 0;
  if (at(1) < low || at(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (at(i) < 0x80 || at(i) > 0xBF) return 0;
  }
  return length;
}

std::string ascii_lower(std::string_view text) {
  std::string out{text};
  for (auto& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

bool valid_utf8(std::string_view text) noexcept {
  while (!text.empty()) {
    std::size_t const n = utf8_sequence_length(text);
    if (n == 0) return false;
    text.remove_prefix(n);
  }
  return true;
}

namespace {

name_problem check(std::string_view text, std::size_t max_bytes, bool line_breaks) noexcept {
  if (text.empty()) return name_problem::empty;
  if (text.size() > max_bytes) return name_problem::too_long;
  while (!text.empty()) {
    std::size_t const n = utf8_sequence_length(text);
    if (n == 0) return name_problem::invalid_utf8;
    auto const b0 = static_cast<unsigned char>(text[0]);
    auto const b1 = n > 1 ? static_cast<unsigned char>(text[1]) : 0;
    bool const allowed_break = line_breaks && (b0 == '\t' || b0 == '\n' || b0 == '\r');
    if ((b0 < 0x20 && !allowed_break) || b0 == 0x7F || (b0 == 0xC2 && b1 <= 0x9F)) {
      return name_problem::control_character;
    }
    text.remove_prefix(n);
  }
  return name_problem::ok;
}

}  // namespace

name_problem check_name(std::string_view name, std::size_t max_bytes) noexcept { return check(name, max_bytes, false); }

name_problem check_text(std::string_view text, std::size_t max_bytes) noexcept { return check(text, max_bytes, true); }

std::string describe(name_problem problem, std::size_t max_bytes) {
  switch (problem) {
    case name_problem::ok:
      return "is valid";
    case name_problem::empty:
      return "is empty";
    case name_problem::too_long:
      return "is longer than " + std::to_string(max_bytes) + " bytes";
    case name_problem::invalid_utf8:
      return "is not valid UTF-8";
    case name_problem::control_character:
      return "has control characters";
  }
  return "is invalid";
}

}  // namespace overworld
