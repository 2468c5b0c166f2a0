// The world-status service: the report endpoint, the tracker, the snapshot tick, the TTR, TTCC
// and v2 GET endpoints, and (optionally) the district simulator.
#pragma once

#include <overworld/core/config.hpp>
#include <overworld/core/metrics.hpp>
#include <overworld/http/router.hpp>
#include <overworld/server/world/events.hpp>
#include <overworld/server/world/history.hpp>
#include <overworld/server/world/shared_reports.hpp>
#include <overworld/server/world/silly_meter.hpp>
#include <overworld/server/world/simulator.hpp>
#include <overworld/server/world/snapshot.hpp>
#include <overworld/server/world/tracker.hpp>
#include <overworld/store/postgres.hpp>

#include <boost/system/error_code.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace overworld::world {

struct world_options {
  std::chrono::milliseconds tick{1000};
  tracker_options tracking;
  report_limits limits;
  std::string reporter_key;                             ///< shared key of all district servers
  std::map<std::string, std::string> district_secrets;  ///< per-district keys
  /// When false, only districts named in `districts` or `district_secrets` may report (404 otherwise).
  bool allow_unknown_districts = true;
  std::set<std::string, std::less<>> districts;
  game_status game;
  std::chrono::milliseconds heartbeat{15'000};  ///< SSE heartbeat
  std::size_t event_history = 4096;             ///< events kept for Last-Event-ID resume
  std::filesystem::path history_db;             ///< SQLite file of ended invasions; empty: no history
  /// The history on PostgreSQL, shared by the nodes (store.backend = "postgres"); history_db is
  /// then not used.
  std::optional<store::postgres_options> history_postgres;
  bool simulate = false;
  simulator_options simulation;
  std::chrono::milliseconds simulation_step{1000};  ///< how often the simulated districts report
  silly_meter_options silly;
  bool status_page = true;  ///< GET / and /status: the live status page
};

/// Keys under world.* (and ratelimit.ttr / ratelimit.ttcc) that the service reads.
std::vector<config_key> world_config_keys();
result<world_options> world_options_from(config const& cfg, std::string& why);

class world_service {
 public:
  explicit world_service(world_options options, clock const& time = clock::system(),
                         metrics_registry* metrics = nullptr);
  ~world_service();
  world_service(world_service const&) = delete;
  world_service& operator=(world_service const&) = delete;

  /// Opens the history database (when options name one) and takes the silly meter back from it.
  /// errc::io_error (SQLite) or errc::unavailable (PostgreSQL) with `why`.
  result<void> open_history(std::string& why);

  /// Shares district reports with every node on the same Redis: a report accepted here is
  /// stored there before it is acknowledged (503 when Redis cannot be reached), and each tick
  /// applies what the other nodes accepted. Call before install() and start().
  void share(std::shared_ptr<shared_reports> reports);
  /// Registers the routes. Call before the server starts.
  void install(http::router& routes);
  /// Registers the world's admin calls (the silly meter) behind `key` on the admin listener.
  void install_admin(http::router& routes, std::string key);
  /// Starts the tick (and the simulator) on `ioc`; publishes a first snapshot at once.
  void start(boost::asio::io_context& ioc);
  /// Stops the tick and flushes the history; safe from any thread while the loop runs.
  void stop();
  /// Releases the timers. Call once the loop has stopped and before its io_context is destroyed.
  void close();

  /// One tick by hand (tests): collect, serialise, publish.
  void publish();
  /// One tick as the timer runs it: with shared reports, first apply what changed in Redis; when
  /// Redis cannot be reached, the last snapshot is published again, marked stale.
  boost::asio::awaitable<void> refresh();
  /// True while the shared reports cannot be reached (the snapshot is the last one, marked stale).
  bool stale() const noexcept { return stale_; }
  std::shared_ptr<snapshot const> current() const;
  tracker& districts() noexcept { return tracker_; }
  silly_meter& silly() noexcept { return silly_; }
  /// A report as the report endpoint applies it: to the tracker and the silly meter. false: a new
  /// district beyond world.max_districts (ignored).
  bool apply(std::string const& district, district_report const& report);
  /// The same for a report another node accepted at `at`.
  bool apply(std::string const& district, district_report const& report, clock::wall_time at);
  event_ring const& events() const noexcept { return *events_; }
  world_options const& options() const noexcept { return options_; }

 private:
  struct timers;
  http::response serve(endpoint e, http::request const& req) const;
  struct checked_report {
    std::optional<district_report> report;
    http::response refusal{400};
  };
  checked_report check_report(std::string const& name, http::request const& req);
  http::response accept_report(http::request const& req);
  boost::asio::awaitable<http::response> accept_shared(http::request req);
  http::response too_many_districts();
  http::response applied(std::string const& name, district_report const& report, clock::wall_time at);
  boost::asio::awaitable<bool> pull_shared();
  void publish_stale();
  void swap_in(std::shared_ptr<snapshot const> fresh);
  void on_tick(boost::system::error_code ec);
  void arm_tick();
  http::response admin_call(http::request const& req);
  http::response stream(http::request const& req) const;
  boost::asio::awaitable<http::response> history_page(http::request req);
  bool authorised(std::string const& district, http::request const& req) const;
  bool known(std::string const& district) const;
  std::string cache_control(snapshot const& snap) const;
  void arm_timers();

  world_options options_;
  clock const& clock_;
  metrics_registry* metrics_;
  std::size_t metrics_id_ = 0;
  tracker tracker_;
  silly_meter silly_;
  std::string admin_key_;
  std::optional<simulator> simulator_;
  // Readers copy the pointer, the tick swaps it: the lock covers only that, never serialising.
  // (libstdc++ 12's atomic<shared_ptr> hides its lock from ThreadSanitizer, so it cannot be checked.)
  mutable std::mutex current_mutex_;
  std::shared_ptr<snapshot const> current_;
  std::shared_ptr<event_ring> events_;
  std::vector<district_view> last_views_;  // touched by publish() only
  std::unique_ptr<invasion_history> history_;
  invasion_ends ends_;       // touched by publish() only
  silly_saved meter_saved_;  // what was last saved, touched by publish() only
  std::unique_ptr<timers> timers_;
  std::atomic<bool> stopped_{false};
  std::shared_ptr<shared_reports> shared_;
  std::mutex shared_mutex_;
  std::map<std::string, std::string, std::less<>> applied_;  // district -> version applied
  std::atomic<bool> stale_{false};
  counter reports_accepted_, reports_rejected_;
};

}  // namespace overworld::world
