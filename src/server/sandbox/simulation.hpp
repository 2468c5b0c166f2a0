// Time moving through the world: each world minute, what the calendar says happens to the plan's
// clans is applied as changes, through the same functions as the admin API's (so scripted
// changes and time compose): wars prepare, fight and end into the war logs; league rounds start,
// fight and end; raid weekends open, collect attacks and close; donations and trophies drift;
// members leave and players join; seasons end. Everything is drawn from the seed and the time,
// so a world replays exactly; refused changes (after a scripted change got there first) are
// skipped.
#pragma once

#include "entities.hpp"
#include "raids.hpp"
#include "wars.hpp"

#include <overworld/server/sandbox/dataset.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace overworld::sandbox::detail {

/// Whether `t` falls in a step (from, to].
inline bool between(std::int64_t t, std::int64_t from, std::int64_t to) { return from < t && t <= to; }

class simulation {
 public:
  /// Applies what happens in (from, to] (a minute at most) to `data`, a copy to edit; true when
  /// anything changed.
  bool step(dataset& data, std::int64_t from, std::int64_t to);

 private:
  struct pair_state {
    std::int64_t next = 0;                                          ///< world time of its next event; 0: not known yet
    std::int64_t cycle = std::numeric_limits<std::int64_t>::min();  ///< the war `attacks` belong to
    std::vector<planned_attack> attacks;
  };
  void prepare(dataset const& data);
  bool regular_wars(dataset& data, std::int64_t from, std::int64_t to);
  bool war_events(dataset& data, std::size_t first, std::int64_t from, std::int64_t to);
  bool league(dataset& data, std::int64_t from, std::int64_t to);
  bool league_attacks(dataset& data, std::string const& tag, std::int64_t battle, std::int64_t from, std::int64_t to);
  bool raid_weekends(dataset& data, std::int64_t from, std::int64_t to);
  void plan_raids(dataset const& data, std::int64_t weekend);
  bool raid_hour(dataset& data, std::int64_t weekend, std::int64_t from, std::int64_t to);
  bool daily_life(dataset& data, std::int64_t from, std::int64_t to);
  bool leave_one(dataset& data, std::size_t clan, random_numbers& rng);
  bool join_one(dataset& data, std::size_t clan, random_numbers& rng);
  bool seasons(dataset& data, std::int64_t from, std::int64_t to);
  bool every_member(dataset& data, std::function<bool(json::object&)> const& edit);

  std::size_t planned_ = 0;  // clans of the plan the caches are sized for
  std::vector<pair_state> pairs_;
  std::vector<std::int64_t> phase_;  // minute of each clan's day its routine runs at
  std::unordered_map<std::string, std::vector<planned_attack>> league_plans_;
  std::int64_t raid_weekend_ = 0;
  std::vector<std::vector<raid_hit>> raid_hits_;  // by plan clan
  std::vector<json::object> raid_clans_;          // by plan clan, as raid logs name them
  std::vector<std::string> clanless_;
  std::unique_ptr<references> refs_;
};

}  // namespace overworld::sandbox::detail
