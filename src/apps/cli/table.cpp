#include "table.hpp"

#include <unistd.h>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace overworld::cli {
namespace {

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

bool in(char32_t c, char32_t lo, char32_t hi) { return c >= lo && c <= hi; }

bool zero_width(char32_t c) {
  return in(c, 0x0300, 0x036F) || in(c, 0x0483, 0x0489) || in(c, 0x0591, 0x05BD) || in(c, 0x0610, 0x061A) ||
         in(c, 0x064B, 0x065F) || in(c, 0x0E31, 0x0E31) || in(c, 0x0E34, 0x0E3A) || in(c, 0x0E47, 0x0E4E) ||
         in(c, 0x1AB0, 0x1AFF) || in(c, 0x1DC0, 0x1DFF) || in(c, 0x200B, 0x200F) || in(c, 0x2028, 0x202E) ||
         in(c, 0x2060, 0x206F) || in(c, 0x20D0, 0x20FF) || in(c, 0xFE00, 0xFE0F) || in(c, 0xFE20, 0xFE2F) ||
         c == 0xFEFF || in(c, 0xE0000, 0xE0FFF);
}

bool wide(char32_t c) {
  return in(c, 0x1100, 0x115F) || in(c, 0x2E80, 0x303E) || in(c, 0x3041, 0x33FF) || in(c, 0x3400, 0x4DBF) ||
         in(c, 0x4E00, 0x9FFF) || in(c, 0xA000, 0xA4CF) || in(c, 0xAC00, 0xD7A3) || in(c, 0xF900, 0xFAFF) ||
         in(c, 0xFE30, 0xFE4F) || in(c, 0xFF00, 0xFF60) || in(c, 0xFFE0, 0xFFE6) || in(c, 0x1F300, 0x1F64F) ||
         in(c, 0x1F900, 0x1F9FF) || in(c, 0x1FA70, 0x1FAFF) || in(c, 0x20000, 0x3FFFD);
}

char const* sequence(style look) {
  switch (look) {
    case style::bold:
      return "\x1b[1m";
    case style::dim:
      return "\x1b[2m";
    case style::red:
      return "\x1b[31m";
    case style::green:
      return "\x1b[32m";
    case style::yellow:
      return "\x1b[33m";
    case style::cyan:
      return "\x1b[36m";
    case style::plain:
      break;
  }
  return "";
}

void pad(std::string& out, std::size_t n) { out.append(n, ' '); }

void trim_right(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

}  // namespace

bool stdout_wants_color(bool allowed) {
  if (!allowed) return false;
  if (char const* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

std::string paint(std::string_view text, style look, bool color) {
  if (!color || look == style::plain || text.empty()) return std::string{text};
  std::string out = sequence(look);
  out += text;
  out += "\x1b[0m";
  return out;
}

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
    bool const control = d.code < 0x20 || d.code == 0x7F || in(d.code, 0x80, 0x9F);
    // Tabs and line breaks would break the columns: they become one space.
    if (d.code == '\t' || d.code == '\n' || d.code == '\r') {
      out += ' ';
    } else if (!control) {
      out.append(text.substr(0, d.length));
    }
    text.remove_prefix(d.length);
  }
  return out;
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  while (!utf8.empty()) {
    auto const d = decode(utf8);
    if (!d.valid) {
      ++width;
      utf8.remove_prefix(1);
      continue;
    }
    if (!zero_width(d.code) && d.code >= 0x20 && d.code != 0x7F) width += wide(d.code) ? 2 : 1;
    utf8.remove_prefix(d.length);
  }
  return width;
}

void table::add_row(std::vector<cell> row) {
  row.resize(columns_.size());
  rows_.push_back(std::move(row));
}

std::string table::render(bool color) const {
  std::vector<std::size_t> widths(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    widths[c] = display_width(columns_[c].title);
    for (auto const& row : rows_) widths[c] = std::max(widths[c], display_width(row[c].text));
  }
  std::string out;
  auto const line = [&](auto const& text_of, auto const& look_of) {
    std::string l;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) l += "  ";
      std::string_view const text = text_of(c);
      std::size_t const gap = widths[c] - display_width(text);
      if (columns_[c].alignment == align::right) pad(l, gap);
      l += paint(text, look_of(c), color);
      if (columns_[c].alignment == align::left) pad(l, gap);
    }
    trim_right(l);
    out += l;
    out += '\n';
  };
  line([&](std::size_t c) -> std::string_view { return columns_[c].title; }, [](std::size_t) { return style::bold; });
  for (auto const& row : rows_) {
    line([&](std::size_t c) -> std::string_view { return row[c].text; }, [&](std::size_t c) { return row[c].look; });
  }
  return out;
}

void details::add(std::string label, cell value) {
  if (value.text.empty()) return;
  rows_.emplace_back(std::move(label), std::move(value));
}

std::string details::render(bool color) const {
  std::size_t width = 0;
  for (auto const& [label, value] : rows_) width = std::max(width, display_width(label));
  std::string out;
  for (auto const& [label, value] : rows_) {
    std::string l = paint(label, style::bold, color);
    pad(l, width - display_width(label) + 2);
    l += paint(value.text, value.look, color);
    trim_right(l);
    out += l;
    out += '\n';
  }
  return out;
}

std::string heading(std::string_view text, bool color) { return "\n" + paint(text, style::cyan, color) + "\n"; }

}  // namespace overworld::cli
