// TTR's Silly Meter: one game-wide meter that fills with the silly points toons earn for three
// Silly Teams. Active (hp climbs at every tally) -> Reward (the team with the most points wins,
// for `reward` time) -> Inactive (cooling down for `inactive` time; the teams are re-rolled) ->
// Active again from 0. Districts report running totals per team; admin calls add points or force a
// state. Time comes from the injectable clock, so tests walk the states without sleeping.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/error.hpp>
#include <overworld/server/world/model.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::world {

struct silly_team {
  std::string name;
  std::string description;
};

/// Silly Teams in the style of TTR's (names seen in TTR clients; descriptions are Overworld's).
std::vector<silly_team> default_silly_teams();

struct silly_meter_options {
  std::int64_t max_hp = 5'000'000;                        ///< TTR: 0 to 5,000,000
  std::chrono::seconds tally{60};                         ///< Active: reported points are added to hp this often
  std::chrono::seconds reward{48 * 3600};                 ///< how long the winning team's reward lasts
  std::chrono::seconds inactive{24 * 3600};               ///< the cool-down before the meter fills again
  std::vector<silly_team> teams = default_silly_teams();  ///< the pool; three are drawn at a time
  std::uint64_t seed = 0;                                 ///< 0: a random seed
  std::chrono::milliseconds forget_after{300'000};        ///< a silent district's totals are forgotten
};

enum class silly_state { active, reward, inactive };
std::string_view to_string(silly_state s) noexcept;
/// "Active", "Reward", "Inactive" (any case).
std::optional<silly_state> silly_state_from_string(std::string_view s) noexcept;

/// What the meter keeps across a restart of the server (districts' running totals are not kept:
/// their first report after a restart is history, as documented).
struct silly_saved {
  silly_state state = silly_state::active;
  std::int64_t hp = 0;
  std::array<std::string, 3> teams;
  std::array<std::int64_t, 3> points{};
  std::optional<std::size_t> winner;
  std::int64_t next_update = 0;
  std::int64_t as_of = 0;
  friend bool operator==(silly_saved const&, silly_saved const&) = default;
};

class silly_meter {
 public:
  explicit silly_meter(silly_meter_options options = {}, clock const& time = clock::system());

  /// A district's running totals: what grew since its previous report counts towards the current
  /// teams while the meter is Active (a total that went down is a restarted district: it counts
  /// from 0). Points for teams not in play are dropped.
  void report(std::string const& district, std::vector<silly_points> const& totals);

  /// Brings the state machine up to now: a tally when due, then the transitions that are due; forgets
  /// the running totals of districts that sent none for `forget_after`.
  void advance();

  /// Admin: adds points to a team in play now (and to hp), as a tally would. errc::not_found for
  /// a team not in play, errc::unsupported when the meter is not Active, errc::invalid_argument for
  /// points out of 1..max_hp.
  result<void> add_points(std::string_view team, std::int64_t points);
  /// Admin: enters `state` now, for its full duration. Reward needs a winner among the teams in
  /// play (the leading team when none is given); Active starts from 0 with the teams in play.
  result<void> enter(silly_state state, std::optional<std::string> winner = std::nullopt);

  /// TTR's /api/sillymeter body: {"state","hp","rewards","rewardDescriptions","winner",
  /// "rewardPoints","nextUpdateTimestamp","asOf"}.
  std::string json() const;
  /// The state to keep, and the state kept: restore() takes it back unless a team is no longer in
  /// the pool or a number is out of range (then the meter stays as it is and false is returned).
  silly_saved saved() const;
  bool restore(silly_saved const& saved);
  silly_state state() const;
  std::int64_t hp() const;
  std::array<std::string, 3> teams() const;

 private:
  void tally(std::int64_t now_unix);
  void enter_locked(silly_state state, std::int64_t now_unix, std::optional<std::size_t> winner);
  void reroll();
  std::optional<std::size_t> team_index(std::string_view name) const;

  struct district_totals {
    std::map<std::string, std::int64_t, std::less<>> totals;
    clock::steady_time seen{};
  };

  silly_meter_options options_;
  clock const& clock_;
  mutable std::mutex mutex_;
  std::mt19937_64 rng_;
  silly_state state_ = silly_state::active;
  std::int64_t hp_ = 0;
  std::array<silly_team, 3> teams_;
  std::array<std::int64_t, 3> points_{};   // this cycle's points per team
  std::array<std::int64_t, 3> pending_{};  // reported since the last tally
  std::optional<std::size_t> winner_;
  std::int64_t next_update_ = 0;
  std::int64_t as_of_ = 0;
  std::map<std::string, district_totals, std::less<>> districts_;
};

}  // namespace overworld::world
