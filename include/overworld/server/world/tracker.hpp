// The central tracker: the latest report of every district, in memory. Reports come in on any
// thread; the tick reads a consistent copy. A district silent for `offline_after` is shown
// offline, and forgotten after `drop_after`.
#pragma once

#include <overworld/server/world/model.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace overworld::world {

struct tracker_options {
  std::chrono::milliseconds offline_after{30'000};
  std::chrono::milliseconds drop_after{300'000};
  std::chrono::milliseconds rate_window{300'000};  ///< reports used for the defeat rate
  std::size_t max_districts = 1000;                ///< districts tracked at once; a new one beyond is refused
};

/// A district as the web layer shows it.
struct district_view {
  std::string name;
  std::string id;  ///< stable: derived from the name
  std::int64_t population = 0;
  district_status status = district_status::online;
  bool silent = false;             ///< no report for offline_after: shown offline
  std::int64_t last_report = 0;    ///< unix seconds
  std::int64_t last_defeated = 0;  ///< kept after an invasion ends (TTCC's count_defeated)
  std::optional<invasion> current;
  std::string invasion_id;                    ///< stable for the life of the invasion
  double defeat_rate = 0;                     ///< cogs per minute over recent reports
  std::optional<std::int64_t> estimated_end;  ///< unix seconds
  std::vector<field_office> field_offices;    ///< as last reported; none while silent
  std::vector<playground_doodles> doodles;    ///< as last reported; none while silent
};

/// Stable identifiers for the v2 API.
std::string district_id(std::string_view name);
std::string invasion_id(std::string_view district, invasion const& inv);

class tracker {
 public:
  explicit tracker(tracker_options options = {}, clock const& time = clock::system());

  /// The district's report, received now. false: a new district beyond max_districts (ignored).
  bool apply(std::string const& name, district_report const& report);
  /// The same for a report received at `at` (by another node): its age counts toward silence
  /// and the defeat rate. A report older than the district's last one is ignored.
  bool apply(std::string const& name, district_report const& report, clock::wall_time at);
  /// Every district still known, sorted by name; drops the ones silent past drop_after.
  std::vector<district_view> collect();
  std::size_t size() const;
  tracker_options const& options() const noexcept { return options_; }

 private:
  struct state {
    district_report last;
    clock::steady_time seen{};
    std::int64_t seen_unix = 0;
    std::int64_t last_defeated = 0;
    std::deque<std::pair<clock::steady_time, std::int64_t>> samples;  // (time, defeated)
  };

  tracker_options options_;
  clock const& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, state, std::less<>> districts_;
};

}  // namespace overworld::world
