// `overworld coc watch clan|player|war TAG…`: the SDK's events engine on the command line, a line
// per event (cut to the terminal's width on a terminal) or a JSON object per line with --json,
// until Ctrl-C (or --count events).
#include "coc_commands.hpp"
#include "table.hpp"

#include <overworld/coc/events.hpp>
#include <overworld/core/config.hpp>
#include <overworld/core/signals.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace overworld::cli {
namespace {

namespace events = coc::events;

struct watch_flags {
  std::string what;
  std::vector<std::string> tags;
  std::string kinds;  // --events a,b
  std::string interval = "1s";
  std::uint64_t count = 0;
};

/// Whether events of kind `k` can come from watching `what` (clan, player, war); the API's
/// events come with any.
bool fits(events::kind k, std::string_view what) {
  auto const subject = events::subject_of(k);
  return subject == "api" || subject == what;
}

std::string valid_names_for(std::string_view what) {
  std::string out;
  for (auto k : events::all_kinds()) {
    if (!fits(k, what)) continue;
    out += out.empty() ? "" : ", ";
    out += events::name_of(k);
  }
  return out;
}

/// The kinds named in --events (every kind when empty); nullopt and a message for a name that is
/// unknown or cannot come from what is watched.
std::optional<std::vector<events::kind>> chosen_kinds(watch_flags const& f, std::string& why) {
  std::vector<events::kind> out;
  std::stringstream list{f.kinds};
  for (std::string name; std::getline(list, name, ',');) {
    auto const k = events::kind_named(name);
    if (!k || !fits(*k, f.what)) {
      why = "coc watch " + f.what + ": unknown event '" + name + "'; valid: " + valid_names_for(f.what);
      return std::nullopt;
    }
    out.push_back(*k);
  }
  return out;
}

std::size_t terminal_columns() {
  winsize w{};
  if (::isatty(STDOUT_FILENO) == 1 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
  return 0;  // not a terminal: lines as they are
}

/// `line` cut to `columns` terminal columns (with "…"), whole UTF-8 characters only.
std::string fit(std::string line, std::size_t columns) {
  if (columns == 0 || display_width(line) <= columns) return line;
  while (!line.empty() && display_width(line) + 1 > columns) {
    line.pop_back();
    while (!line.empty() && (static_cast<unsigned char>(line.back()) & 0xC0) == 0x80) line.pop_back();
    if (!line.empty() && static_cast<unsigned char>(line.back()) >= 0xC0) line.pop_back();
  }
  return line + "…";
}

bool watch_one(events::engine& e, std::string const& what, std::string const& tag) {
  if (what == "clan") return e.watch_clan(tag);
  if (what == "player") return e.watch_player(tag);
  return e.watch_war(tag);
}

coc::client_options client_options_of(run_context const& ctx) {
  coc::client_options o;
  o.base_url = ctx.config.coc_base_url;
  o.keys = ctx.config.coc_keys;
  o.user_agent = "overworld-cli/0.1";
  o.http = with_timeouts(o.http, ctx.config);
  return o;
}

/// Prints events until a stop signal or `count` of them; the engine runs on the client's thread.
int follow(run_context const& ctx, watch_flags const& f, std::vector<events::kind> const& kinds,
           events::engine_options options) {
  sigset_t const signals = block_stop_signals();  // before the client's threads start
  std::optional<coc::client> client;
  try {
    client.emplace(client_options_of(ctx));
  } catch (std::invalid_argument const& e) {
    return fail(exit_usage, std::string{"coc watch: "} + e.what());
  }
  events::engine engine{*client, options};
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::uint64_t printed = 0;
  auto const columns = terminal_columns();
  engine.on(kinds, [&](events::event const& e) {
    std::lock_guard lock{mutex};
    if (done) return;
    print((ctx.config.json ? events::to_json(e) : fit(events::describe(e), columns)) + "\n");
    if (f.count > 0 && ++printed >= f.count) {
      done = true;
      done_cv.notify_all();
    }
  });
  engine.on_error([](std::string_view watched, sdk::error const& e) {
    (void)fail(0, "coc watch " + std::string{watched} + ": " + e.describe() + " (trying again later)");
  });
  engine.watch_api();  // maintenance and season ends, whatever is watched
  for (auto const& tag : f.tags) {
    if (!watch_one(engine, f.what, tag)) return fail(exit_usage, "coc watch: not a tag: " + tag);
  }
  engine.step();  // where everything stands now: what changes from here on is printed
  (void)fail(0, "watching " + std::to_string(f.tags.size()) + " " + f.what + (f.tags.size() == 1 ? "" : "s") +
                    " (Ctrl-C to stop)");
  engine.start();
  std::thread stopper{[&] {
    timespec const tick{0, 200'000'000};
    for (;;) {
      {
        std::lock_guard lock{mutex};
        if (done) return;
      }
      if (::sigtimedwait(&signals, nullptr, &tick) > 0) {
        std::lock_guard lock{mutex};
        done = true;
        done_cv.notify_all();
        return;
      }
    }
  }};
  {
    std::unique_lock lock{mutex};
    done_cv.wait(lock, [&] { return done; });
  }
  stopper.join();
  engine.stop();
  return exit_ok;
}

int watch(run_context const& ctx, watch_flags const& f) {
  if (ctx.config.coc_keys.empty()) {
    return fail(exit_auth,
                "no Clash of Clans API key: pass --key, set OVERWORLD_COC_KEY or coc.key in the config file");
  }
  std::string why;
  auto const kinds = chosen_kinds(f, why);
  if (!kinds) return fail(exit_usage, why);
  auto const interval = parse_duration(f.interval);
  if (!interval || interval->count() <= 0)
    return fail(exit_usage, "coc watch: --interval: expected a duration such as 5s");
  events::engine_options options;
  options.min_interval = *interval;
  options.max_resources = 1000;
  return follow(ctx, f, *kinds, options);
}

}  // namespace

void add_coc_watch_command(command_line& cl, CLI::App* coc) {
  auto* command =
      coc->add_subcommand("watch", "print a clan's, player's or war's events as they happen (Ctrl-C stops)");
  auto f = std::make_shared<watch_flags>();
  command->add_option("what", f->what, "clan, player or war")
      ->required()
      ->check(CLI::IsMember({"clan", "player", "war"}));
  command->add_option("tags", f->tags, "one or more tags")->required();
  command->add_option("--events", f->kinds, "only these events, comma-separated (e.g. member_join,war_attack)");
  command->add_option("--interval", f->interval,
                      "least time between two polls of a tag (default 1s; answers' max-age first)");
  command->add_option("--count", f->count, "stop after this many events");
  add_examples(command,
               "  overworld coc watch clan 2PP\n  overworld coc watch war 29Y8PRCJR --events war_attack -o jsonl\n"
               "  overworld coc watch player 2PP 8QU8J9LP --count 10");
  cl.on_run(command, [f](run_context const& ctx) { return watch(ctx, *f); });
}

}  // namespace overworld::cli
