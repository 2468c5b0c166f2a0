#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/core/signals.hpp>
#include <overworld/toon/ttcc.hpp>
#include <overworld/toon/watcher.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

namespace overworld::cli {
namespace {

struct watch_flags {
  std::string game = "ttr";
  std::string stream = "auto";
  std::string interval = "10s";
  std::string progress_every = "1m";
  std::vector<std::string> events;
  std::uint64_t count = 0;
  bool districts = false;
  bool no_initial = false;
};

// Which events are printed: --events (default started, progress, ended; with --districts online
// and offline too), and one progress line per district per --progress-every, by the times of the
// district's reports (the game's clock, so a replayed stream thins the same way).
class event_filter {
 public:
  event_filter(watch_flags const& f, std::chrono::seconds progress_every) : progress_every_(progress_every) {
    kinds_ = f.events.empty() ? std::vector<std::string>{"started", "progress", "ended"} : f.events;
    if (f.districts) kinds_.insert(kinds_.end(), {"online", "offline"});
  }
  bool wanted(toon::event const& e) {
    if (std::find(kinds_.begin(), kinds_.end(), toon_render::short_name(e.kind)) == kinds_.end()) return false;
    if (e.kind != toon::event_kind::invasion_progress) {
      last_progress_.erase(e.district);
      return true;
    }
    std::int64_t const at = e.invasion && e.invasion->as_of > 0 ? e.invasion->as_of : e.at;
    auto const [it, fresh] = last_progress_.try_emplace(e.district, at);
    if (fresh) return true;
    if (at - it->second < progress_every_.count()) return false;
    it->second = at;
    return true;
  }

 private:
  std::vector<std::string> kinds_;
  std::chrono::seconds progress_every_;
  std::map<std::string, std::int64_t> last_progress_;
};

int watch_invasions(run_context const& ctx, watch_flags const& f) {
  auto interval = parse_duration(f.interval);
  if (!interval || interval->count() <= 0) return fail(exit_usage, "watch: --interval: expected a duration such as 5s");
  auto progress_every = parse_duration(f.progress_every);
  if (!progress_every || progress_every->count() < 0) {
    return fail(exit_usage, "watch: --progress-every: expected a duration such as 30s, or 0 for every update");
  }
  event_filter filter{f, std::chrono::duration_cast<std::chrono::seconds>(*progress_every)};
  bool const ttcc = f.game == "ttcc";
  toon::watcher_options options;
  options.game = ttcc ? toon::game::ttcc : toon::game::ttr;
  options.base_url = ctx.config.base_url(ttcc ? api::ttcc : api::ttr);
  options.stream = f.stream == "always"  ? toon::stream_mode::always
                   : f.stream == "never" ? toon::stream_mode::never
                                         : toon::stream_mode::automatic;
  options.poll_interval = *interval;
  options.polling =
      cli_polling(ctx.config, ttcc ? api::ttcc : api::ttr, ttcc ? toon::ttcc_polling() : toon::polling_options{});
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
    if ((f.count > 0 && printed >= f.count) || !filter.wanted(e)) return;
    print(ctx.config.json ? toon_render::event_json(e) : toon_render::event_line(e, ctx.color));
    if (f.count > 0 && ++printed >= f.count) w->stop();
  };
  error_words words;
  words.base_url = ctx.config.base_url(ttcc ? api::ttcc : api::ttr);
  auto const on_error = [&words](toon::error const& e) {
    // A notice: the watch goes on.
    (void)fail(exit_ok, "watch: " + describe_kind(e) + (e.message.empty() ? "" : ": " + e.message) + " (" +
                            (e.path.starts_with("http") ? e.path : words.base_url + e.path) + "), retrying");
  };
  auto ran = w->run(on_event, on_error);
  done = true;
  stopper.join();
  if (!ran) return fail(ran.error(), words);
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
  invasions
      ->add_option("--events", f->events,
                   "only these events, comma-separated: started, progress, ended, online, offline "
                   "(default: started,progress,ended)")
      ->delimiter(',')
      ->check(CLI::IsMember({"started", "progress", "ended", "online", "offline"}));
  invasions->add_option("--progress-every", f->progress_every,
                        "at most one progress line per district this often (default 1m; 0: every update)");
  add_examples(invasions,
               "  overworld watch invasions --events started,ended\n"
               "  overworld -o jsonl watch invasions --game ttcc --count 10");
  invasions->add_flag("--no-initial", f->no_initial, "do not report what is already going on at start");
  cl.on_run(
      invasions, [f](run_context const& ctx) { return watch_invasions(ctx, *f); }, false);
}

}  // namespace overworld::cli
