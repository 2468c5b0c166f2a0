// Text as a terminal draws it: UTF-8 decoded strictly, control characters removed, widths in
// terminal columns (unicode_widths.hpp: East Asian wide and emoji two, combining marks zero), and
// the width of the terminal the output goes to. The one place that measures text (table.cpp,
// watch lines and the progress bar use it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

/// Control characters (C0, DEL, C1, so escape sequences too) removed; tabs and line breaks become
/// one space; bad UTF-8 bytes become '?'.
std::string sanitize(std::string_view text);

/// Terminal columns of one code point: 0, 1 or 2.
std::size_t code_point_width(char32_t c) noexcept;

/// Terminal columns of UTF-8 text: combining marks and zero-width characters 0, East Asian wide
/// and emoji 2, others 1.
std::size_t display_width(std::string_view utf8);

/// `text` cut to at most `columns` columns, ending in "…" when something was cut (never halfway
/// through a character, a wide one included).
std::string truncate_to(std::string_view text, std::size_t columns);

/// `text` broken into lines of at most `columns` columns, at spaces where it can (a word longer
/// than a line is cut). Empty text gives no line.
std::vector<std::string> wrap(std::string_view text, std::size_t columns);

/// Columns of the terminal on `fd` (TIOCGWINSZ), else COLUMNS when it is a number, else 0: no limit.
std::size_t terminal_columns(int fd);
/// Rows of the terminal on `fd`; 0 when `fd` is not a terminal.
std::size_t terminal_rows(int fd);

/// The width output on stdout must fit (0: no limit). Set once by the command line frame.
std::size_t output_width() noexcept;
void set_output_width(std::size_t columns) noexcept;

}  // namespace overworld::cli
