#include "config_edit.hpp"

#include <toml++/toml.h>

#include <cstdio>
#include <vector>

namespace overworld::cli {
namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    auto const end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

std::string join_lines(std::vector<std::string> const& lines) {
  std::string out;
  for (auto const& l : lines) out += l + '\n';
  return out;
}

bool parses(std::string const& text) {
  try {
    (void)toml::parse(text);
    return true;
  } catch (toml::parse_error const&) {
    return false;
  }
}

/// `value` as a TOML basic string: in double quotes, with backslash, quote and control characters escaped.
std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char const c : value) {
    auto const u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + '"';
}

/// The part of a one-line `key = value # comment` after its value: the shortest prefix of what
/// follows '=' that is a whole value ends it (a '#' inside a string does not parse as an end).
std::string after_value(std::string_view line) {
  auto const equals = line.find('=');
  if (equals == std::string_view::npos) return {};
  auto const rest = line.substr(equals + 1);
  for (auto hash = rest.find('#'); hash != std::string_view::npos; hash = rest.find('#', hash + 1)) {
    if (parses("x =" + std::string{rest.substr(0, hash)})) return " " + std::string{rest.substr(hash)};
  }
  return {};
}

/// Replaces an existing value (on one line, or several for a multi-line value), keeping the key
/// as written ("base_url =" under [coc], or "coc.base_url =").
void replace_value(std::vector<std::string>& lines, toml::node const& node, std::string const& value) {
  auto const first = static_cast<std::size_t>(node.source().begin.line) - 1;
  auto const last = static_cast<std::size_t>(node.source().end.line) - 1;
  auto const key_part = lines[first].substr(0, lines[first].find('=') + 1);
  auto const tail = first == last ? after_value(lines[first]) : std::string{};
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(first),
              lines.begin() + static_cast<std::ptrdiff_t>(last) + 1);
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(first), key_part + " " + value + tail);
}

/// Whether a table is opened by a [header] line (not made by dotted keys, not inline).
bool has_header(toml::table const& table, std::vector<std::string> const& lines) {
  auto const line = static_cast<std::size_t>(table.source().begin.line);
  if (table.is_inline() || line == 0 || line > lines.size()) return false;
  auto const& text = lines[line - 1];
  auto const start = text.find_first_not_of(" \t");
  return start != std::string::npos && text[start] == '[';
}

/// The last line a table's header or any of its values (nested ones included) is written on.
std::size_t last_line_of(toml::table const& table) {
  auto last = static_cast<std::size_t>(table.source().end.line);
  for (auto const& [k, v] : table) {
    last = std::max(last, static_cast<std::size_t>(v.source().end.line));
    if (auto const* t = v.as_table()) last = std::max(last, last_line_of(*t));
  }
  return last;
}

/// Where a new top-level key goes: before the first [table] header, else at the end.
std::size_t top_level_insert_line(toml::table const& root, std::size_t line_count) {
  std::size_t first_header = line_count;
  for (auto const& [k, v] : root) {
    if (auto const* t = v.as_table(); t && !t->is_inline() && t->source().begin.line > 0) {
      first_header = std::min(first_header, static_cast<std::size_t>(t->source().begin.line) - 1);
    }
  }
  return first_header;
}

}  // namespace

result<std::string> set_toml_string(std::string_view text, std::string_view key, std::string_view value,
                                    std::string& why) {
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (toml::parse_error const& e) {
    why = std::string{e.description()} + " (line " + std::to_string(e.source().begin.line) + ")";
    return errc::parse_error;
  }
  auto lines = split_lines(text);
  auto const dot = key.find('.');
  auto const table_name = dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
  auto const name = dot == std::string_view::npos ? key : key.substr(dot + 1);
  auto const assignment = std::string{name} + " = " + quoted(value);

  toml::table const* table = &root;
  if (!table_name.empty()) {
    auto const* node = root.get(table_name);
    if (node && !node->is_table()) {
      why = std::string{table_name} + " is not a table";
      return errc::invalid_argument;
    }
    if (!node) {
      if (!lines.empty() && !lines.back().empty()) lines.emplace_back();
      lines.push_back("[" + std::string{table_name} + "]");
      lines.push_back(assignment);
      return join_lines(lines);
    }
    table = node->as_table();
    if (table->is_inline()) {
      why = std::string{table_name} + " is written as an inline table { … }: change it in the file itself";
      return errc::invalid_argument;
    }
  }
  if (auto const* existing = table->get(name)) {
    replace_value(lines, *existing, quoted(value));
  } else if (table_name.empty() || !has_header(*table, lines)) {
    // Top level, or a table made by dotted keys ("coc.key = …"): a dotted key before any [table].
    auto const at = top_level_insert_line(root, lines.size());
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), std::string{key} + " = " + quoted(value));
  } else {
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(last_line_of(*table)), assignment);
  }
  return join_lines(lines);
}

}  // namespace overworld::cli
