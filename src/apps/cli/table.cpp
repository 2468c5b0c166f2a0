#include "table.hpp"

#include "text_width.hpp"

#include <unistd.h>
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>

namespace overworld::cli {
namespace {

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

void table::add_row(std::vector<cell> row) {
  row.resize(columns_.size());
  rows_.push_back(std::move(row));
}

namespace {

// Narrows the widest text (left-aligned) columns, one column at a time, until the table fits
// `limit`; a column keeps at least its title's width (and 5 columns). Numbers are never cut.
// When that is not enough, the last columns are left out; returns how many columns are shown.
std::size_t fit(std::vector<std::size_t>& widths, std::vector<std::size_t> const& floors, std::size_t limit) {
  std::size_t shown = widths.size();
  if (limit == 0 || widths.empty()) return shown;
  std::size_t total = 2 * (widths.size() - 1);
  for (auto w : widths) total += w;
  while (total > limit) {
    std::size_t widest = shown;
    for (std::size_t c = 0; c < shown; ++c) {
      if (widths[c] > floors[c] && (widest == shown || widths[c] > widths[widest])) widest = c;
    }
    if (widest < shown) {
      --widths[widest];
      --total;
    } else if (shown > 1) {
      --shown;
      total -= widths[shown] + 2;
    } else {
      break;
    }
  }
  return shown;
}

}  // namespace

std::string table::render(bool color) const {
  std::vector<std::size_t> widths(columns_.size());
  std::vector<std::size_t> floors(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    widths[c] = display_width(columns_[c].title);
    for (auto const& row : rows_) widths[c] = std::max(widths[c], display_width(row[c].text));
    floors[c] = columns_[c].alignment == align::right || columns_[c].whole
                    ? widths[c]
                    : std::min(widths[c], std::max<std::size_t>(display_width(columns_[c].title), 5));
  }
  std::size_t const shown = fit(widths, floors, output_width());
  std::string out;
  auto const line = [&](auto const& text_of, auto const& look_of) {
    std::string l;
    for (std::size_t c = 0; c < shown; ++c) {
      if (c > 0) l += "  ";
      std::string const text = truncate_to(text_of(c), widths[c]);
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
  // Long values (a clan's description) wrap under themselves to the terminal's width.
  std::size_t const limit = output_width();
  std::size_t const room = limit > width + 2 + 10 ? limit - width - 2 : 0;
  std::string out;
  for (auto const& [label, value] : rows_) {
    std::string l = paint(label, style::bold, color);
    pad(l, width - display_width(label) + 2);
    auto const parts = room > 0 ? wrap(value.text, room) : std::vector<std::string>{value.text};
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) pad(l, width + 2);
      l += paint(parts[i], value.look, color);
      trim_right(l);
      out += l;
      out += '\n';
      l.clear();
    }
  }
  return out;
}

std::string heading(std::string_view text, bool color) { return "\n" + paint(text, style::cyan, color) + "\n"; }

}  // namespace overworld::cli
