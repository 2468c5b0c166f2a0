// Invasion and district events. A snapshot_differ compares each snapshot of a game's districts with
// the one before and says what happened: an invasion started, progressed or ended, a district
// came online or went offline. It measures each invasion's defeat rate (cogs per minute over the
// recent reports) and from it an estimated end. A watcher feeds a differ: from overworld-server's
// Server-Sent Events stream (/api/v2/invasions/stream) when the server offers one, otherwise by
// polling the game's own endpoints politely (max-age, conditional GETs, back-off).
//
//   overworld::toon::watcher w{{.game = overworld::toon::game::ttr}};
//   w.run([&](overworld::toon::event const& e) { std::cout << to_string(e.kind) << ' ' << e.district << '\n'; });
//   // from another thread or a signal handler's thread: w.stop();
#pragma once

#include <overworld/toon/errors.hpp>
#include <overworld/toon/models.hpp>
#include <overworld/toon/poller.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::toon {

enum class event_kind { invasion_started, invasion_progress, invasion_ended, district_online, district_offline };
/// "invasion.started", "invasion.progress", "invasion.ended", "district.online", "district.offline".
std::string_view to_string(event_kind k) noexcept;

struct event {
  event_kind kind = event_kind::invasion_started;
  std::string district;
  /// District events: the new status (offline for a district that disappeared); invasion events:
  /// the district's status.
  district_status status = district_status::unknown;
  /// Invasion events: the invasion as last seen (for `ended`, its last report), with defeat_rate
  /// and estimated_end filled in when they can be measured.
  std::optional<toon::invasion> invasion;
  std::int64_t at = 0;  ///< unix seconds: the snapshot's time (or the stream event's arrival)
};

/// One moment of a game's districts.
struct snapshot {
  std::int64_t taken = 0;  ///< unix seconds
  std::vector<district> districts;
};

struct differ_options {
  /// Reports older than this are left out of the defeat rate.
  std::chrono::seconds rate_window{300};
  /// The first snapshot reports what is there already (districts online, invasions started), so
  /// a consumer starts from the full picture.
  bool initial_events = true;
};

class snapshot_differ {
 public:
  explicit snapshot_differ(differ_options options = {});

  /// The events between the previous snapshot and `next`, districts in `next`'s order, for each
  /// district: status, then invasion ended, started, progress. An invasion is the same one while
  /// its district, cog and total stay and its count does not go down.
  std::vector<event> update(snapshot const& next);
  /// The last snapshot given, invasions with their measured rate and estimated end.
  snapshot const& current() const noexcept { return current_; }

 private:
  struct sample {
    std::int64_t at;
    std::int64_t defeated;
  };
  void measure(toon::invasion& inv, std::vector<sample>& samples) const;

  differ_options options_;
  snapshot current_;
  bool first_ = true;
  std::map<std::string, std::vector<sample>, std::less<>> samples_;  // by district
};

enum class game { ttr, ttcc };

enum class stream_mode {
  automatic,  ///< the SSE stream when the server has one (a 200 text/event-stream), else polling
  never,      ///< always poll the game's endpoints
  always,     ///< only the stream; an error if the server has none
};

struct watcher_options {
  toon::game game = toon::game::ttr;
  std::string base_url;  ///< empty: the game's public host
  stream_mode stream = stream_mode::automatic;
  /// The shortest time between two polls; the answers' max-age (and TTCC's 5 s) may make it longer.
  std::chrono::milliseconds poll_interval{10'000};
  /// How long to wait before reconnecting a dropped stream (the server's `retry:` wins).
  std::chrono::milliseconds reconnect_delay{3'000};
  polling_options polling;  ///< for TTCC, start from ttcc_polling()
  differ_options differ;
};

/// What a running watcher is doing.
enum class watch_source { starting, stream, polling };

class watcher {
 public:
  using event_handler = std::function<void(event const&)>;
  /// Called for errors the watcher rides out (it backs off and goes on).
  using error_handler = std::function<void(error const&)>;

  /// Throws std::invalid_argument for an unusable base URL.
  explicit watcher(watcher_options options);
  ~watcher();
  watcher(watcher const&) = delete;
  watcher& operator=(watcher const&) = delete;

  /// Watches until stop(), calling `on_event` for every event and `on_error` for every failure it
  /// rides out, on the watcher's own thread. Returns an error only when watching cannot go on:
  /// stream_mode::always without a stream. Blocks; not re-entrant.
  api_result<void> run(event_handler on_event, error_handler on_error = {});
  /// Makes run() return soon. Thread-safe; may be called from a handler or before run().
  void stop();

  watch_source source() const noexcept;
  /// The newest snapshot (a copy; thread-safe).
  snapshot current() const;
  watcher_options const& options() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::toon
