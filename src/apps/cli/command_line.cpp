#include "command_line.hpp"

#include "command_tree.hpp"
#include "table.hpp"

#include <overworld/core/version.hpp>

#include <termios.h>
#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

namespace overworld::cli {

namespace {

constexpr char const* footer_text =
    "Tags: quote them or leave the '#' out ('#2PP' or 2PP); an unquoted # starts a shell comment.\n"
    "Settings: flags > OVERWORLD_* environment (OVERWORLD_COC_KEY, OVERWORLD_COC_KEY_FILE,\n"
    "OVERWORLD_COC_BASE_URL or OVERWORLD_COC_URL, OVERWORLD_TTR_BASE_URL, OVERWORLD_TTCC_BASE_URL,\n"
    "OVERWORLD_TIMEOUT, OVERWORLD_OUTPUT, OVERWORLD_PROFILE) > config file (--config,\n"
    "OVERWORLD_CLI_CONFIG, --profile NAME: ~/.config/overworld/NAME.toml, or\n"
    "~/.config/overworld/cli.toml) > defaults. overworld config path|get|set shows and sets them.\n"
    "Colour only on a terminal and when NO_COLOR is unset (--color always or FORCE_COLOR: always).\n"
    "Examples: overworld coc clan 2PP        overworld -o csv --fields tag,name coc members 2PP\n"
    "          overworld help coc war        source <(overworld completion bash)\n"
    "See docs/cli.md and man overworld.\n";

}  // namespace

command_line::command_line()
    : app_{"overworld: Clash of Clans, Toontown Rewritten and Corporate Clash from the command line", "overworld"} {
  app_.require_subcommand(1);
  // Global options are accepted after the command too (`overworld coc player 2PP --json`).
  app_.fallthrough();
  app_.set_help_all_flag("--help-all", "help for every command");
  app_.add_option("--base-url", flags_.base_url,
                  "API base URL for this command (CoC: with /v1); default: the real service or the config file");
  app_.add_flag("--json", flags_.json, "print the API's JSON instead of a table (as -o json)");
  app_.add_option("-o,--output", flags_.output,
                  "table (default), json (pretty on a terminal, as sent when piped), jsonl, csv or yaml")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv", "yaml"}));
  app_.add_option("-f,--fields", flags_.fields, "only these fields of each item, e.g. name,tag,clan/name");
  app_.add_flag("--no-pager", flags_.no_pager, "never send long tables through $PAGER");
  app_.add_flag("-v,--verbose", flags_.verbose, "log each HTTP request on stderr: method, URL, status, time, cache");
  app_.add_option("-c,--config", flags_.config_file, "TOML config file (also OVERWORLD_CLI_CONFIG)");
  app_.add_option("-p,--profile", flags_.profile,
                  "named settings: ~/.config/overworld/NAME.toml instead of cli.toml (also OVERWORLD_PROFILE)");
  app_.add_option("-t,--timeout", flags_.timeout, "how long to wait for answers, e.g. 10s (default 30s)");
  app_.add_flag("--no-color", flags_.no_color, "never colour the output (as --color never)");
  app_.add_option("--color", flags_.color, "auto (default: on a terminal without NO_COLOR), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app_.set_version_flag("--version", version_line("overworld"), "print the version and git revision");
  auto* version = app_.add_subcommand("version", "print the version and git revision (as --version)");
  add_examples(version, "  overworld version");
  on_run(version, [](run_context const&) {
    print(version_line("overworld") + "\n");
    return exit_ok;
  });
  // `overworld help coc player` is read as `overworld coc player --help` before parsing (run()).
  app_.add_subcommand("help", "help about a command: overworld help coc player");
}

CLI::App* command_line::add_group(std::string name, std::string description) {
  auto* group = app_.add_subcommand(std::move(name), std::move(description));
  group->require_subcommand(1);
  // Commands made in the group inherit this.
  group->footer(std::string{"Global options (overworld --help): --base-url URL, -o table|json|jsonl|csv|yaml, --json,\n"
                            "-f/--fields LIST, -c/--config FILE, -p/--profile NAME, -t/--timeout DURATION,\n"
                            "--color auto|always|never, --no-color, -v; they may also follow the command.\n"} +
                exit_code_help);
  return group;
}

void add_examples(CLI::App* command, std::string const& examples) {
  auto const* parent = command->get_parent();
  bool const top = parent == nullptr || parent->get_parent() == nullptr;
  command->footer("Examples:\n" + examples + "\n\n" + (top ? std::string{exit_code_help} : parent->get_footer()));
}

void command_line::on_run(CLI::App* command, command_body body, bool deadline) {
  command->callback([this, body = std::move(body), deadline] {
    chosen_ = body;
    deadline_ = deadline;
  });
}

void command_line::on_run_unconfigured(CLI::App* command, std::function<int()> body) {
  command->callback([this, body = std::move(body)] { chosen_unconfigured_ = body; });
}

namespace {

// Ends the process with exit 3 when the command is not done within `limit`.
class watchdog {
 public:
  explicit watchdog(std::chrono::milliseconds limit) : thread_{[this, limit] { watch(limit); }} {}
  ~watchdog() {
    {
      std::lock_guard lock{mutex_};
      done_ = true;
    }
    woken_.notify_one();
    thread_.join();
  }
  watchdog(watchdog const&) = delete;
  watchdog& operator=(watchdog const&) = delete;

 private:
  void watch(std::chrono::milliseconds limit) {
    std::unique_lock lock{mutex_};
    if (woken_.wait_for(lock, limit, [this] { return done_; })) return;
    std::fflush(stdout);
    (void)fail(exit_network, "no answer within --timeout " + std::to_string(limit.count()) +
                                 " ms (the whole command's deadline, retries included)");
    std::_Exit(exit_network);
  }

  std::mutex mutex_;
  std::condition_variable woken_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

namespace {

// -o json / --json anywhere: usage errors too are then printed as JSON.
bool wants_json(std::vector<std::string> const& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto const& a = args[i];
    if (a == "--json" || a == "-ojson" || a == "--output=json") return true;
    if ((a == "-o" || a == "--output") && i + 1 < args.size() && args[i + 1] == "json") return true;
  }
  return false;
}

}  // namespace

int command_line::run(int argc, char** argv) {
  // Set last, so that only the top level's help carries the whole text.
  app_.footer(std::string{footer_text} + exit_code_help);
  auto args = rewrite_help({argv + std::min(argc, 1), argv + argc});
  set_errors_as_json(wants_json(args));
  if (auto problem = check_commands(app_, args)) return fail(exit_usage, *problem);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  try {
    app_.parse(args);
  } catch (CLI::CallForHelp const& e) {
    return app_.exit(e);
  } catch (CLI::CallForAllHelp const& e) {
    return app_.exit(e);
  } catch (CLI::CallForVersion const& e) {
    return app_.exit(e);
  } catch (CLI::ParseError const& e) {
    return fail(exit_usage, std::string{e.what()} + " (overworld --help)");
  }
  if (chosen_unconfigured_) return chosen_unconfigured_();
  if (!chosen_) return fail(exit_usage, "no command given (overworld --help)");
  std::string why;
  auto loaded = load_settings(flags_, why);
  if (!loaded) return fail(exit_usage, why);
  for (auto const& warning : loaded->warnings) (void)fail(exit_ok, "warning: " + warning);
  set_output_width(terminal_columns(STDOUT_FILENO));
  bool const table = loaded->output == output_format::table;
  run_context const ctx{*loaded, table && (loaded->force_color || stdout_wants_color(loaded->color))};
  std::optional<watchdog> deadline;
  if (deadline_) deadline.emplace(loaded->timeout);
  return chosen_(ctx);
}

CLI::Validator const positive_count{[](std::string& value) -> std::string {
                                      unsigned long n = 0;
                                      auto const* end = value.data() + value.size();
                                      auto const [ptr, ec] = std::from_chars(value.data(), end, n);
                                      if (ec == std::errc{} && ptr == end && n >= 1 && n <= 1'000'000) return {};
                                      return "expected a whole number from 1 to 1000000, got '" + value + "'";
                                    },
                                    "N>=1"};

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

}  // namespace overworld::cli
