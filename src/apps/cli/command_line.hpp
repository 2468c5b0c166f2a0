// The frame every `overworld` command hangs on: the global options, settings from config file,
// environment and flags, the chosen command's body, and how results and errors are printed.
#pragma once

#include "errors.hpp"
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
  /// Makes `command` run `body` when it is the one chosen. With `deadline`, --timeout bounds the
  /// whole command (every request, retry and wait): past it the command ends with exit 3. Commands
  /// that run on purpose for long (watch, launcher sync) or wait for a typed password pass false:
  /// --timeout then bounds each request.
  void on_run(CLI::App* command, command_body body, bool deadline = true);
  /// Makes `command` run `body` before any settings are loaded (config path|get|set, which must
  /// work while the config file is missing or wrong).
  void on_run_unconfigured(CLI::App* command, std::function<int()> body);
  /// Parses, loads the settings and runs the chosen command; returns the exit status.
  int run(int argc, char** argv);

 private:
  CLI::App app_;
  global_flags flags_;
  command_body chosen_;
  std::function<int()> chosen_unconfigured_;
  bool deadline_ = true;
};

/// Ends `command`'s --help with `examples` (lines of commands) before its group's footer (the
/// global options and exit codes).
void add_examples(CLI::App* command, std::string const& examples);

/// A whole number from 1 up (not CLI11's PositiveNumber, whose message prints the largest double).
extern CLI::Validator const positive_count;

/// Writes `text` to stdout as is.
void print(std::string_view text);
/// Writes a body of JSON as the API sent it, with a final newline.
void print_json(std::string_view body);
/// `configured` when not empty, else one line of standard input (asked for with `prompt` on
/// stderr, without echo, when standard input is a terminal); nullopt when there is none.
std::optional<std::string> read_secret(std::string const& configured, char const* prompt);

}  // namespace overworld::cli
