// District reports as district servers POST them: any body ends in a report or a reason, and an
// accepted report holds only names that follow the name rule (so the public JSON stays valid) and
// field offices, doodles and silly points within their limits.
#include <overworld/core/text.hpp>
#include <overworld/server/world/model.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld;
  std::string_view const body{reinterpret_cast<char const*>(data), size};
  world::report_limits const limits;
  std::string why;
  auto report = world::parse_report(body, limits, 1'700'000'000, why);
  if (report && report->current) {
    if (check_name(report->current->cog, limits.max_name_length) != name_problem::ok) __builtin_trap();
  }
  if (report) {
    // The newer fields: every name follows the rule, every count stays within its limit.
    auto const named = [&](std::string const& s) { return check_name(s, limits.max_name_length) == name_problem::ok; };
    if (report->field_offices.size() > world::field_office_zones().size()) __builtin_trap();
    for (auto const& fo : report->field_offices) {
      if (world::street_of(fo.zone).empty() || fo.difficulty < 0 || fo.difficulty > limits.max_difficulty)
        __builtin_trap();
      if (fo.annexes < 0 || fo.annexes > limits.max_annexes) __builtin_trap();
    }
    if (report->doodles.size() > limits.max_playgrounds || report->silly.size() > limits.max_silly_teams)
      __builtin_trap();
    for (auto const& pg : report->doodles) {
      if (!named(pg.playground) || pg.doodles.size() > limits.max_doodles) __builtin_trap();
      for (auto const& d : pg.doodles) {
        if (!named(d.dna) || d.traits.size() > limits.max_traits || d.cost < 0) __builtin_trap();
        for (auto const& t : d.traits) {
          if (!named(t)) __builtin_trap();
        }
      }
    }
    for (auto const& p : report->silly) {
      if (!named(p.team) || p.points < 0 || p.points > limits.max_silly_points) __builtin_trap();
    }
  }
  if (!report && why.empty()) __builtin_trap();  // a refusal always says why
  (void)world::valid_district_name(body, limits.max_name_length);
  return 0;
}
