#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/core/signals.hpp>
#include <overworld/toon/ttcc.hpp>
#include <overworld/toon/watcher.hpp>

#include <atomic>
#include <csignal>
#include <memory>
#include <stdexcept>
#include <thread>

namespace overworld::cli {
namespace {

struct watch_flags {
  std::string game = "ttr";
  std::string stream = "auto";
  std::string interval = "10s";
  std::uint64_t count = 0;
  bool districts = false;
  bool no_initial = false;
};

bool wanted(toon::event const& e, watch_flags const& f) {
  bool const district_event =
      e.kind == toon::event_kind::district_online || e.kind == toon::event_kind::district_offline;
  return f.districts || !district_event;
}

int watch_invasions(run_context const& ctx, watch_flags const& f) {
  auto interval = parse_duration(f.interval);
  if (!interval || interval->count() <= 0) return fail(exit_usage, "watch: --interval: expected a duration such as 5s");
  bool const ttcc = f.game == "ttcc";
  toon::watcher_options options;
  options.game = ttcc ? toon::game::ttcc : toon::game::ttr;
  options.base_url = ctx.config.base_url(ttcc ? api::ttcc : api::ttr);
  options.stream = f.stream == "always"  ? toon::stream_mode::always
                   : f.stream == "never" ? toon::stream_mode::never
                                         : toon::stream_mode::automatic;
  options.poll_interval = *interval;
  options.polling = cli_polling(ctx.config, ttcc ? toon::ttcc_polling() : toon::polling_options{});
  // A watch rides out failures: back off as long as the server asks, not as a one-shot command would.
  options.polling.max_wait = std::chrono::minutes{5};
  options.polling.retry.max_attempts = 3;
  options.differ.initial_events = !f.no_initial;

  // Before the watcher starts its threads, so that only the thread below takes SIGINT and SIGTERM.
  sigset_t const signals = block_stop_signals();
  std::optional<toon::watcher> w;
  try {
    w.emplace(std::move(options));
  } catch (std::invalid_argument const& e) {
    return fail(exit_usage, std::string{"watch: "} + e.what());
  }
  std::atomic<bool> done{false};
  std::thread stopper{[&] {
    timespec const tick{0, 200'000'000};
    while (!done.load()) {
      if (::sigtimedwait(&signals, nullptr, &tick) > 0) {
        w->stop();
        return;
      }
    }
  }};
  std::uint64_t printed = 0;
  auto const on_event = [&](toon::event const& e) {
    if (!wanted(e, f) || (f.count > 0 && printed >= f.count)) return;
    print(ctx.config.json ? toon_render::event_json(e) : toon_render::event_line(e, ctx.color));
    if (f.count > 0 && ++printed >= f.count) w->stop();
  };
  auto const on_error = [](toon::error const& e) { (void)fail(0, "watch: " + e.describe() + " (retrying)"); };
  auto ran = w->run(on_event, on_error);
  done = true;
  stopper.join();
  if (!ran) return fail(exit_code_of(ran.error()), ran.error().describe());
  return exit_ok;
}

}  // namespace

void add_watch_commands(command_line& cl) {
  auto* watch = cl.add_group("watch", "follow live events until interrupted (Ctrl-C)");
  auto* invasions = watch->add_subcommand(
      "invasions", "invasions as they start, progress and end (from the server's event stream, or by polling)");
  auto f = std::make_shared<watch_flags>();
  invasions->add_option("--game", f->game, "ttr (default) or ttcc")->check(CLI::IsMember({"ttr", "ttcc"}));
  invasions
      ->add_option("--stream", f->stream, "auto (default: the event stream when the server has one), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  invasions->add_option("--interval", f->interval, "shortest time between polls (default 10s)");
  invasions->add_option("--count", f->count, "stop after this many events");
  invasions->add_flag("--districts", f->districts, "also report districts coming online and going offline");
  invasions->add_flag("--no-initial", f->no_initial, "do not report what is already going on at start");
  cl.on_run(invasions, [f](run_context const& ctx) { return watch_invasions(ctx, *f); });
}

}  // namespace overworld::cli
