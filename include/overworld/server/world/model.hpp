// The world as district servers report it: districts, their population and status, invasions.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/error.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overworld::world {

/// TTR's district statuses (statusByDistrict).
enum class district_status { online, offline, draining, closed };
std::string_view to_string(district_status s) noexcept;
std::optional<district_status> status_from_string(std::string_view s) noexcept;

enum class department { bossbot, lawbot, cashbot, sellbot, unknown };
std::string_view to_string(department d) noexcept;
std::optional<department> department_from_string(std::string_view s) noexcept;
/// TTR's one-letter department code: c, l, m, s ("" for unknown).
std::string_view department_letter(department d) noexcept;

struct cog_type {
  std::string_view name;
  department dept;
};
/// The 32 cogs of Toontown (TTR spelling, SuitDNA order: bossbot, lawbot, cashbot, sellbot).
std::span<cog_type const> cog_catalogue() noexcept;
std::optional<department> department_of(std::string_view cog) noexcept;

struct invasion {
  std::string cog;  ///< singular English name, no U+0003
  department dept = department::unknown;
  bool skelecog = false;
  bool v2 = false;  ///< "Version 2.0"
  bool mega = false;
  std::int64_t defeated = 0;
  std::int64_t total = 0;
  std::int64_t started_at = 0;          ///< unix seconds
  std::optional<std::int64_t> ends_at;  ///< unix seconds, when the district knows its timer

  /// TTR's `type`: "Version 2.0 " + name + " (Skelecog)" as applicable.
  std::string ttr_type() const;
  /// TTR's `progress`: "%d/%d", or "0/1000000" for a mega invasion.
  std::string ttr_progress() const;
  friend bool operator==(invasion const&, invasion const&) = default;
};

/// The street zones TTR's /api/fieldoffices keys by (3100 Walrus Way … 9200 Pajama Place).
std::span<std::pair<int, std::string_view> const> field_office_zones() noexcept;
std::string_view street_of(int zone) noexcept;  ///< "" when `zone` is not one of them

/// A field office on one of those streets, as a district reports it.
struct field_office {
  int zone = 0;
  department dept = department::sellbot;
  int difficulty = 0;  ///< zero-indexed stars, as TTR sends it
  int annexes = 0;     ///< annexes remaining
  bool open = true;
  std::optional<std::int64_t> expiring;  ///< unix seconds, after the last annex fell
  friend bool operator==(field_office const&, field_office const&) = default;
};

/// A doodle for sale in a playground's pet shop.
struct doodle {
  std::string dna;
  std::vector<std::string> traits;
  std::int64_t cost = 0;  ///< jellybeans
  friend bool operator==(doodle const&, doodle const&) = default;
};

struct playground_doodles {
  std::string playground;
  std::vector<doodle> doodles;
  friend bool operator==(playground_doodles const&, playground_doodles const&) = default;
};

/// A district's running total of silly points for one Silly Team (since the district started).
struct silly_points {
  std::string team;
  std::int64_t points = 0;
};

/// What a district server sends.
struct district_report {
  district_report() = default;
  /// The fields every report has (the others are optional in the report format).
  district_report(std::int64_t population_, district_status status_, std::optional<invasion> current_)
      : population(population_), status(status_), current(std::move(current_)) {}

  std::int64_t population = 0;
  district_status status = district_status::online;
  std::optional<invasion> current;
  std::vector<field_office> field_offices;
  std::vector<playground_doodles> doodles;
  std::vector<silly_points> silly;
};

/// Limits a report must respect (values outside are rejected, not clamped).
struct report_limits {
  std::int64_t max_population = 100'000;
  std::int64_t max_invasion_size = 1'000'000;
  std::size_t max_name_length = 64;
  int max_difficulty = 9;            ///< field office stars, zero-indexed
  int max_annexes = 100;             ///< field office annexes remaining
  std::size_t max_playgrounds = 16;  ///< playgrounds with doodles in one report
  std::size_t max_doodles = 32;      ///< doodles per playground
  std::size_t max_traits = 8;        ///< traits per doodle
  std::int64_t max_doodle_cost = 1'000'000;
  std::size_t max_silly_teams = 16;                   ///< teams in silly_points
  std::int64_t max_silly_points = 1'000'000'000'000;  ///< a team's running total
};

/// Parses and validates a report body. `why` names the offending field.
result<district_report> parse_report(std::string_view json, report_limits const& limits, std::int64_t now_unix,
                                     std::string& why);

/// A district name as accepted in a report URL: a name (core/text.hpp) of at most `max_length`
/// bytes, without a leading or trailing space, '"', '\\' or '/'.
bool valid_district_name(std::string_view name, std::size_t max_length) noexcept;

/// Removes U+0003 (Panda3D's soft-break marker, which TTR's localizer leaves in some cog names).
std::string strip_soft_breaks(std::string_view name);

}  // namespace overworld::world
