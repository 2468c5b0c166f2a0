#include "command_line.hpp"

#include "table.hpp"

#include <overworld/core/version.hpp>

#include <termios.h>
#include <unistd.h>
#include <cstdio>
#include <iostream>

namespace overworld::cli {

namespace {

constexpr char const* footer_text =
    "Tags: quote them or leave the '#' out ('#2PP' or 2PP); an unquoted # starts a shell comment.\n"
    "Settings: flags > OVERWORLD_* environment (OVERWORLD_COC_KEY, OVERWORLD_COC_BASE_URL,\n"
    "OVERWORLD_TTR_BASE_URL, OVERWORLD_TTCC_BASE_URL, OVERWORLD_TIMEOUT)\n"
    "> config file (--config, OVERWORLD_CLI_CONFIG or ~/.config/overworld/cli.toml) > defaults.\n"
    "Colour only on a terminal and when NO_COLOR is unset. See docs/cli.md.\n";

}  // namespace

command_line::command_line()
    : app_{"overworld: Clash of Clans, Toontown Rewritten and Corporate Clash from the command line", "overworld"} {
  app_.require_subcommand(1);
  // Global options are accepted after the command too (`overworld coc player 2PP --json`).
  app_.fallthrough();
  app_.set_help_all_flag("--help-all", "help for every command");
  app_.add_option("--base-url", flags_.base_url,
                  "API base URL for this command (CoC: with /v1); default: the real service or the config file");
  app_.add_flag("--json", flags_.json, "print the API's JSON untouched instead of a table");
  app_.add_option("--config", flags_.config_file, "TOML config file (also OVERWORLD_CLI_CONFIG)");
  app_.add_option("--timeout", flags_.timeout, "how long to wait for answers, e.g. 10s (default 30s)");
  app_.add_flag("--no-color", flags_.no_color, "never colour the output");
  app_.set_version_flag("--version", version_line("overworld"), "print the version and git revision");
}

CLI::App* command_line::add_group(std::string name, std::string description) {
  auto* group = app_.add_subcommand(std::move(name), std::move(description));
  group->require_subcommand(1);
  // Commands made in the group inherit this.
  group->footer(
      std::string{"Global options (overworld --help): --base-url URL, --json, --config FILE, --timeout DURATION,\n"
                  "--no-color; they may also follow the command.\n"} +
      exit_code_help);
  return group;
}

void command_line::on_run(CLI::App* command, command_body body) {
  command->callback([this, body = std::move(body)] { chosen_ = body; });
}

int command_line::run(int argc, char** argv) {
  // Set last, so that only the top level's help carries the whole text.
  app_.footer(std::string{footer_text} + exit_code_help);
  try {
    app_.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    int const printed = app_.exit(e);  // help and version print to stdout and are not errors
    return printed == 0 ? exit_ok : exit_usage;
  }
  if (!chosen_) return fail(exit_usage, "no command given (try --help)");
  std::string why;
  auto loaded = load_settings(flags_, why);
  if (!loaded) return fail(exit_usage, why);
  run_context const ctx{*loaded, !loaded->json && stdout_wants_color(loaded->color)};
  return chosen_(ctx);
}

void print(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void print_json(std::string_view body) {
  print(body);
  if (body.empty() || body.back() != '\n') print("\n");
}

std::optional<std::string> read_secret(std::string const& configured, char const* prompt) {
  if (!configured.empty()) return configured;
  bool const terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  bool const got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::fputs("\n", stderr);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (!got || line.empty()) return std::nullopt;
  return line;
}

int fail(int code, std::string_view message) {
  std::fprintf(stderr, "overworld: %.*s\n", static_cast<int>(message.size()), message.data());
  return code;
}

}  // namespace overworld::cli
