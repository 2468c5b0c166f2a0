// What the command line knows about its own tree before CLI11 parses it: `overworld help coc
// player` as `overworld coc player --help`, and an unknown or missing command answered with the
// commands that exist ("did you mean player?") instead of CLI11's "A subcommand is required".
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

/// The arguments without the program name; `help X Y` at the front becomes `X Y --help`.
std::vector<std::string> rewrite_help(std::vector<std::string> args);

/// Walks `args` down `root`'s commands; when a word is not a command where one is expected, or the
/// last group reached needs a command, returns the message to print (exit 2).
std::optional<std::string> check_commands(CLI::App& root, std::vector<std::string> const& args);

/// The names among `candidates` closest to `word` (edit distance at most 2, or a prefix).
std::vector<std::string> suggestions(std::string_view word, std::vector<std::string> const& candidates);

}  // namespace overworld::cli
