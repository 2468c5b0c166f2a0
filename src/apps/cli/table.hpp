// Output for people: aligned tables and label/value blocks, coloured only on a terminal.
// Text from the APIs is sanitised on the way in, so a name cannot move the cursor or recolour
// the terminal, and widths are counted in terminal columns (wide CJK and emoji count twice).
#pragma once

#include "text_width.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

enum class style { plain, bold, dim, red, green, yellow, cyan };

/// True when stdout is a terminal, NO_COLOR is unset or empty, and colour is allowed.
bool stdout_wants_color(bool allowed);

/// `text` wrapped in the ANSI sequence of `look` when `color`, as is otherwise.
std::string paint(std::string_view text, style look, bool color);

enum class align { left, right };

struct column {
  std::string title;
  align alignment = align::left;
  bool whole = false;  ///< never cut (identifiers such as tags); numbers are never cut either
};

struct cell {
  cell() = default;
  cell(std::string const& t, style s = style::plain)
      : text(sanitize(t)), look(s) {}                                       // NOLINT(google-explicit-constructor)
  cell(char const* t, style s = style::plain) : cell(std::string{t}, s) {}  // NOLINT(google-explicit-constructor)
  std::string text;
  style look = style::plain;
};

/// Columns separated by two spaces, a bold header, no trailing blanks; text columns are cut
/// (with "…") so that the table fits output_width(), and the last columns are left out when
/// even that is not enough (-o json or --fields shows them).
class table {
 public:
  explicit table(std::vector<column> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<cell> row);
  bool empty() const noexcept { return rows_.empty(); }
  std::size_t size() const noexcept { return rows_.size(); }
  std::string render(bool color) const;

 private:
  std::vector<column> columns_;
  std::vector<std::vector<cell>> rows_;
};

/// "Label   value" lines with the values aligned; rows with an empty value are left out.
class details {
 public:
  void add(std::string label, cell value);
  std::string render(bool color) const;

 private:
  std::vector<std::pair<std::string, cell>> rows_;
};

/// A heading line between blocks ("Members (50)").
std::string heading(std::string_view text, bool color);

}  // namespace overworld::cli
