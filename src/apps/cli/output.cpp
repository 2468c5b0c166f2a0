#include "output.hpp"

#include "table.hpp"

#include <overworld/core/log.hpp>

#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace overworld::cli {
namespace {

using simdjson::dom::element_type;

void append_number(std::string& out, double v) {
  char buf[32];
  auto const end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  out.append(buf, end);
}

void append_scalar(std::string& out, json e) {
  switch (e.type()) {
    case element_type::STRING:
      out += '"';
      append_json_escaped(out, std::string_view(e));
      out += '"';
      return;
    case element_type::INT64:
      out += std::to_string(std::int64_t(e));
      return;
    case element_type::UINT64:
      out += std::to_string(std::uint64_t(e));
      return;
    case element_type::DOUBLE:
      append_number(out, double(e));
      return;
    case element_type::BOOL:
      out += bool(e) ? "true" : "false";
      return;
    default:
      out += "null";
  }
}

void append_json(std::string& out, json e, int indent) {
  bool const pretty = indent >= 0;
  auto const newline = [&](int level) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  if (e.type() == element_type::ARRAY) {
    auto const items = simdjson::dom::array(e);
    if (items.size() == 0) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (json item : items) {
      if (!first) out += ',';
      first = false;
      newline(indent + 1);
      append_json(out, item, pretty ? indent + 1 : -1);
    }
    newline(indent);
    out += ']';
  } else if (e.type() == element_type::OBJECT) {
    auto const fields = simdjson::dom::object(e);
    if (fields.size() == 0) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (auto field : fields) {
      if (!first) out += ',';
      first = false;
      newline(indent + 1);
      out += '"';
      append_json_escaped(out, field.key);
      out += pretty ? "\": " : "\":";
      append_json(out, field.value, pretty ? indent + 1 : -1);
    }
    newline(indent);
    out += '}';
  } else {
    append_scalar(out, e);
  }
}

bool yaml_plain(std::string_view s) {
  if (s.empty() || s == "true" || s == "false" || s == "null" || s == "yes" || s == "no" || s == "~") return false;
  if (std::string_view{"-?:,[]{}#&*!|>'\"%@` "}.find(s.front()) != std::string_view::npos || s.back() == ' ') {
    return false;
  }
  double number = 0;
  if (std::from_chars(s.data(), s.data() + s.size(), number).ptr == s.data() + s.size()) return false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '#' || c == ':') return false;
  }
  return true;
}

void append_yaml_scalar(std::string& out, json e) {
  if (e.type() == element_type::STRING && yaml_plain(std::string_view(e))) {
    out += std::string_view(e);
  } else {
    append_scalar(out, e);  // JSON strings are YAML double-quoted strings
  }
}

bool empty_container(json e) {
  if (e.type() == element_type::ARRAY) return simdjson::dom::array(e).size() == 0;
  if (e.type() == element_type::OBJECT) return simdjson::dom::object(e).size() == 0;
  return false;
}

void append_yaml(std::string& out, json e, std::size_t level) {
  std::string const pad(level * 2, ' ');
  auto const value = [&](json v) {
    if ((v.type() == element_type::ARRAY || v.type() == element_type::OBJECT) && !empty_container(v)) {
      out += '\n';
      append_yaml(out, v, level + 1);
    } else {
      out += ' ';
      if (empty_container(v)) {
        out += v.type() == element_type::ARRAY ? "[]" : "{}";
      } else {
        append_yaml_scalar(out, v);
      }
      out += '\n';
    }
  };
  if (e.type() == element_type::ARRAY) {
    for (json item : simdjson::dom::array(e)) {
      out += pad + "-";
      value(item);
    }
  } else if (e.type() == element_type::OBJECT) {
    for (auto field : simdjson::dom::object(e)) {
      out += pad;
      if (yaml_plain(field.key)) {
        out += field.key;
      } else {
        out += '"';
        append_json_escaped(out, field.key);
        out += '"';
      }
      out += ':';
      value(field.value);
    }
  } else {
    out += pad;
    append_yaml_scalar(out, e);
    out += '\n';
  }
}

// "clan/name" or "clan.name" as the JSON pointer "/clan/name".
std::string pointer_of(std::string_view field) {
  std::string p = "/";
  for (char c : field) p += c == '.' ? '/' : c;
  return p;
}

// A field's value as text: scalars as text() shows them (booleans true/false), the rest as JSON.
std::string field_text(json row, std::string const& field) {
  auto const v = at(row, pointer_of(field));
  if (!v || v->type() == element_type::NULL_VALUE) return {};
  if (v->type() == element_type::BOOL) return bool(*v) ? "true" : "false";
  if (v->type() == element_type::ARRAY || v->type() == element_type::OBJECT) return to_json(*v, false);
  return text(*v);
}

// The fields of the CSV: --fields, else the first row's scalar fields.
std::vector<std::string> csv_fields(std::vector<json> const& rows, std::vector<std::string> const& fields) {
  if (!fields.empty() || rows.empty() || rows.front().type() != element_type::OBJECT) return fields;
  std::vector<std::string> out;
  for (auto field : simdjson::dom::object(rows.front())) {
    if (field.value.type() != element_type::ARRAY && field.value.type() != element_type::OBJECT) {
      out.emplace_back(field.key);
    }
  }
  return out;
}

// {"f1":…,"f2":…} of `row`, in the order asked (a missing field is null).
std::string selected_json(json row, std::vector<std::string> const& fields) {
  std::string out = "{";
  for (auto const& f : fields) {
    if (out.size() > 1) out += ',';
    out += '"';
    append_json_escaped(out, f);
    out += "\":";
    auto const v = at(row, pointer_of(f));
    if (v) {
      append_json(out, *v, -1);
    } else {
      out += "null";
    }
  }
  return out + "}";
}

bool is_list(json root) {
  return root.type() == element_type::ARRAY || (root.type() == element_type::OBJECT && at(root, "/items"));
}

// With --fields: the document reduced to the selected fields (a list stays a list).
std::string selected_document(json root, std::vector<std::string> const& fields) {
  if (!is_list(root)) return selected_json(root, fields);
  std::string out = "[";
  for (json row : rows_of(root)) out += (out.size() > 1 ? "," : "") + selected_json(row, fields);
  return out + "]";
}

std::string fields_table(json root, std::vector<std::string> const& fields, bool color) {
  std::vector<column> columns;
  columns.reserve(fields.size());
  for (auto const& f : fields) columns.push_back({f});
  table t{std::move(columns)};
  for (json row : rows_of(root)) {
    std::vector<cell> cells;
    cells.reserve(fields.size());
    for (auto const& f : fields) cells.emplace_back(field_text(row, f));
    t.add_row(std::move(cells));
  }
  return t.render(color);
}

int print_document(run_context const& ctx, std::string_view body, json root) {
  bool const terminal = ::isatty(STDOUT_FILENO) == 1;
  auto const& fields = ctx.config.fields;
  switch (ctx.config.output) {
    case output_format::json:
      if (!fields.empty()) {
        json_document selected;
        std::string why;
        auto const doc = selected_document(root, fields);
        auto parsed = selected.parse(doc, why);
        print_json(terminal && parsed ? to_json(*parsed, true) : doc);
      } else {
        print_json(terminal ? to_json(root, true) : std::string{body});
      }
      return exit_ok;
    case output_format::jsonl: {
      std::string out;
      for (json row : is_list(root) ? rows_of(root) : std::vector<json>{root}) {
        out += (fields.empty() ? to_json(row, false) : selected_json(row, fields)) + "\n";
      }
      print(out);
      return exit_ok;
    }
    case output_format::csv: {
      auto const rows = rows_of(root);
      auto const names = csv_fields(rows, fields);
      std::string out = csv_line(names);
      for (json row : rows) {
        std::vector<std::string> values;
        values.reserve(names.size());
        for (auto const& f : names) values.push_back(field_text(row, f));
        out += csv_line(values);
      }
      print(out);
      return exit_ok;
    }
    case output_format::yaml: {
      if (fields.empty()) {
        print(to_yaml(root));
        return exit_ok;
      }
      json_document selected;
      std::string why;
      auto parsed = selected.parse(selected_document(root, fields), why);
      if (parsed) print(to_yaml(*parsed));
      return exit_ok;
    }
    case output_format::table:
      break;
  }
  return exit_ok;
}

}  // namespace

std::vector<json> rows_of(json root) {
  if (root.type() == element_type::ARRAY) return array(root, "");
  if (root.type() == element_type::OBJECT && at(root, "/items")) return array(root, "/items");
  return {root};
}

std::string to_json(json e, bool pretty) {
  std::string out;
  append_json(out, e, pretty ? 0 : -1);
  return out;
}

std::string to_yaml(json e) {
  std::string out = "---\n";
  append_yaml(out, e, 0);
  return out;
}

std::string csv_line(std::vector<std::string> const& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    auto const& v = values[i];
    if (v.find_first_of(",\"\r\n") == std::string::npos && (v.empty() || (v.front() != ' ' && v.back() != ' '))) {
      out += v;
      continue;
    }
    out += '"';
    for (char c : v) out += c == '"' ? std::string{"\"\""} : std::string(1, c);
    out += '"';
  }
  return out + "\r\n";
}

// A table taller than the terminal goes through $PAGER (default "less -FRX": it quits at once
// when the text fits, and keeps the colours) — only when stdout is a terminal and the pager is
// not turned off (--no-pager, pager = false, or PAGER set to "" or "cat").
void page(run_context const& ctx, std::string const& text) {
  std::size_t const rows = ctx.config.pager ? terminal_rows(STDOUT_FILENO) : 0;
  auto const lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  char const* pager = std::getenv("PAGER");
  std::string const command = pager ? pager : "less -FRX";
  if (rows == 0 || lines < rows || command.empty() || command == "cat") {
    print(text);
    return;
  }
  std::fflush(stdout);
  std::FILE* pipe = ::popen(command.c_str(), "w");
  if (!pipe) {
    print(text);
    return;
  }
  std::fwrite(text.data(), 1, text.size(), pipe);
  ::pclose(pipe);
}

int print_result(run_context const& ctx, std::string_view body, json root, renderer const& render) {
  if (ctx.config.output != output_format::table) return print_document(ctx, body, root);
  if (is_list(root) && rows_of(root).empty()) {
    print("Nothing found.\n");
    return exit_ok;
  }
  page(ctx, ctx.config.fields.empty() ? render(root, ctx.color) : fields_table(root, ctx.config.fields, ctx.color));
  return exit_ok;
}

int print_body(run_context const& ctx, std::string_view body, renderer const& render) {
  json_document doc;
  std::string why;
  auto root = doc.parse(body, why);
  if (!root) return fail(exit_api_error, "the answer is not JSON: " + why);
  return print_result(ctx, body, *root, render);
}

}  // namespace overworld::cli
