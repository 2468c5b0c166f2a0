#include "text_width.hpp"

#include "unicode_widths.hpp"

#include <sys/ioctl.h>
#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <iterator>

namespace overworld::cli {
namespace {

std::size_t output_width_ = 0;

struct decoded {
  char32_t code = 0;
  std::size_t length = 1;
  bool valid = false;
};

// One UTF-8 sequence at the start of `s`; overlong forms, surrogates and truncated sequences are invalid.
decoded decode(std::string_view s) {
  auto const b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1, true};
  std::size_t length = 0;
  char32_t code = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, code = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, code = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, code = b0 & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (s.size() < length) return {};
  for (std::size_t i = 1; i < length; ++i) {
    auto const b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return {};
    code = (code << 6) | (b & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, length, true};
}

template <std::size_t N>
bool in_table(unicode::code_range const (&table)[N], char32_t c) {
  auto const* it =
      std::upper_bound(std::begin(table), std::end(table), c, [](char32_t v, auto const& r) { return v < r.first; });
  return it != std::begin(table) && c <= std::prev(it)->last;
}

bool control(char32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

}  // namespace

std::string sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    auto const d = decode(text);
    if (!d.valid) {
      out += '?';
      text.remove_prefix(1);
      continue;
    }
    // Tabs and line breaks would break the columns: they become one space.
    if (d.code == '\t' || d.code == '\n' || d.code == '\r') {
      out += ' ';
    } else if (!control(d.code)) {
      out.append(text.substr(0, d.length));
    }
    text.remove_prefix(d.length);
  }
  return out;
}

std::size_t code_point_width(char32_t c) noexcept {
  if (control(c) || in_table(unicode::zero_width_ranges, c)) return 0;
  return in_table(unicode::wide_ranges, c) ? 2 : 1;
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  while (!utf8.empty()) {
    auto const d = decode(utf8);
    width += d.valid ? code_point_width(d.code) : 1;
    utf8.remove_prefix(d.valid ? d.length : 1);
  }
  return width;
}

std::string truncate_to(std::string_view text, std::size_t columns) {
  if (display_width(text) <= columns) return std::string{text};
  if (columns == 0) return {};
  std::string out;
  std::size_t used = 0;
  while (!text.empty()) {
    auto const d = decode(text);
    std::size_t const w = d.valid ? code_point_width(d.code) : 1;
    std::size_t const length = d.valid ? d.length : 1;
    if (used + w > columns - 1) break;
    out.append(text.substr(0, length));
    used += w;
    text.remove_prefix(length);
  }
  return out + "…";
}

std::vector<std::string> wrap(std::string_view text, std::size_t columns) {
  std::vector<std::string> lines;
  if (columns == 0) columns = 1;
  std::string line;
  std::size_t used = 0;
  auto const flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
    line.clear();
    used = 0;
  };
  while (!text.empty()) {
    while (!text.empty() && text.front() == ' ' && used == 0) text.remove_prefix(1);
    auto const end = text.find(' ');
    std::string_view const word = text.substr(0, end);
    std::size_t const w = display_width(word);
    if (used > 0 && used + 1 + w > columns) flush();
    if (w > columns) {  // a word longer than a line: cut it
      std::string const cut = truncate_to(word, columns + 1);
      std::string head = cut.substr(0, cut.size() - std::string_view{"…"}.size());
      if (head.empty()) head = std::string{word.substr(0, std::max<std::size_t>(decode(word).length, 1))};
      line += head;
      text.remove_prefix(head.size());
      flush();
      continue;
    }
    if (used > 0) {
      line += ' ';
      ++used;
    }
    line += word;
    used += w;
    text.remove_prefix(word.size());
    if (!text.empty()) text.remove_prefix(1);
  }
  if (!line.empty()) flush();
  return lines;
}

std::size_t terminal_columns(int fd) {
  winsize ws{};
  if (::isatty(fd) == 1 && ::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (char const* columns = std::getenv("COLUMNS"); columns && *columns) {
    char* end = nullptr;
    long const n = std::strtol(columns, &end, 10);
    if (*end == '\0' && n > 0 && n < 100'000) return static_cast<std::size_t>(n);
  }
  return 0;
}

std::size_t terminal_rows(int fd) {
  winsize ws{};
  if (::isatty(fd) == 1 && ::ioctl(fd, TIOCGWINSZ, &ws) == 0) return ws.ws_row;
  return 0;
}

std::size_t output_width() noexcept { return output_width_; }
void set_output_width(std::size_t columns) noexcept { output_width_ = columns; }

}  // namespace overworld::cli
