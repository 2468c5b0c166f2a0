// The frame every `overworld` command hangs on: the global options, settings from config file,
// environment and flags, the chosen command's body, and how results and errors are printed.
#pragma once

#include "exit_codes.hpp"
#include "settings.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::cli {

/// What a command gets when it runs.
struct run_context {
  settings const& config;
  bool color;  ///< colour on stdout (a terminal, NO_COLOR unset, colour allowed)
};

using command_body = std::function<int(run_context const&)>;

class command_line {
 public:
  command_line();

  CLI::App& app() noexcept { return app_; }
  /// Where options that feed the settings (e.g. coc --key) store what they get.
  global_flags& flags() noexcept { return flags_; }
  /// A command group (`coc`, `ttr`…) that needs one of its commands.
  CLI::App* add_group(std::string name, std::string description);
  /// Makes `command` run `body` when it is the one chosen.
  void on_run(CLI::App* command, command_body body);
  /// Parses, loads the settings and runs the chosen command; returns the exit status.
  int run(int argc, char** argv);

 private:
  CLI::App app_;
  global_flags flags_;
  command_body chosen_;
};

/// Writes `text` to stdout as is.
void print(std::string_view text);
/// Writes a body of JSON as the API sent it, with a final newline.
void print_json(std::string_view body);
/// `configured` when not empty, else one line of standard input (asked for with `prompt` on
/// stderr, without echo, when standard input is a terminal); nullopt when there is none.
std::optional<std::string> read_secret(std::string const& configured, char const* prompt);
/// "overworld: message" on stderr; returns `code`.
int fail(int code, std::string_view message);

}  // namespace overworld::cli
