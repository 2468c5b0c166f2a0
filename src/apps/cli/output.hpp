// How a command's answer reaches stdout, by -o: a table for people (the command's renderer), the
// API's JSON (pretty on a terminal, as sent when piped), JSON lines (one item per line), CSV or
// YAML; --fields keeps only the named fields ("name,tag,clan/name": JSON pointers without the
// first '/', or dotted) of each item. The items of an answer are its `items` (CoC lists), the
// elements of a top-level array, or else the answer itself.
#pragma once

#include "command_line.hpp"
#include "json_view.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

using renderer = std::function<std::string(json, bool)>;

/// Prints `body` (parsed as `root`) in the chosen format; `render` makes the table. Exit status.
int print_result(run_context const& ctx, std::string_view body, json root, renderer const& render);

/// Parses `body` and prints it as print_result does; exit 1 when it is not JSON.
int print_body(run_context const& ctx, std::string_view body, renderer const& render);

/// The items print_result would write as rows.
std::vector<json> rows_of(json root);

/// `e` as JSON text: compact, or indented by two spaces.
std::string to_json(json e, bool pretty);
/// `e` as a YAML document.
std::string to_yaml(json e);
/// One CSV line (RFC 4180 quoting) of `values`.
std::string csv_line(std::vector<std::string> const& values);

}  // namespace overworld::cli
