// A district simulator for demos and tests: districts with realistic names whose populations
// drift, and invasions of the real cogs (skelecog, v2.0 and mega included) that start, progress
// and end. It reports to the tracker exactly as district servers do.
#pragma once

#include <overworld/server/world/tracker.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace overworld::world {

struct simulator_options {
  std::size_t districts = 12;
  std::uint64_t seed = 0;                ///< 0: a random seed
  double invasion_chance = 0.02;         ///< per district per step, when none is running
  std::vector<std::string> silly_teams;  ///< teams the districts earn silly points for
  std::size_t field_offices = 3;         ///< field offices kept open on TTR's streets
};

class simulator {
 public:
  explicit simulator(simulator_options options = {}, clock const& time = clock::system());

  /// Advances every district by `seconds` and returns their reports.
  std::vector<std::pair<std::string, district_report>> step(double seconds);
  /// Starts an invasion in every district now (for demos: something to see at once).
  void start_invasions(std::size_t count);

  static std::vector<std::string> const& district_names();

 private:
  struct sim_district {
    std::string name;
    double population = 0;
    double target = 0;
    std::optional<invasion> current;
    double rate = 0;  // cogs per second
    std::vector<playground_doodles> doodles;
    std::vector<double> silly;  // running totals, by options_.silly_teams
  };
  void start_invasion(sim_district& d, std::int64_t now);
  void step_field_offices(double seconds, std::int64_t now);
  std::vector<playground_doodles> make_doodles();

  simulator_options options_;
  clock const& clock_;
  std::mt19937_64 rng_;
  std::vector<sim_district> districts_;
  std::vector<field_office> offices_;
};

}  // namespace overworld::world
