// Test support: generated worlds at chosen times, and sandboxes whose time moves.
#pragma once

#include "admin_support.hpp"

#include <ctime>

namespace overworld::sandbox::testing {

// World times the tests start at (UTC).
inline constexpr std::int64_t league_friday = 1'772'798'400;      // 2026-03-06 12:00, league week, raid weekend
inline constexpr std::int64_t before_league = 1'772'319'600;      // 2026-02-28 23:00, a Saturday
inline constexpr std::int64_t before_raids = 1'773'316'800;       // 2026-03-12 12:00, a Thursday
inline constexpr std::int64_t friday_morning = 1'773'383'400;     // 2026-03-13 06:30
inline constexpr std::int64_t before_season_end = 1'774'843'200;  // 2026-03-30 04:00, the last Monday

/// "20260313T070000.000Z", as the API writes times.
inline std::string api_time(std::int64_t t) {
  std::time_t const tt = t;
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S.000Z", &tm);
  return buf;
}

/// `clans` clans of `members` made as of `start`.
inline std::shared_ptr<dataset> world_at(std::int64_t start, std::size_t clans = 26, std::size_t members = 20,
                                         std::uint64_t seed = 3) {
  auto data = std::make_shared<dataset>();
  generator_options g;
  g.clans = clans;
  g.members_per_clan = members;
  g.seed = seed;
  g.start_time = start;
  generate_into(*data, g);
  return data;
}

inline constexpr char const* time_admin_key = "time-admin";

/// A sandbox over `data` whose world starts at `start` and runs `scale` times as fast as the
/// test's clock, which only the test moves; with the admin API.
struct moving_sandbox {
  double scale;
  std::unique_ptr<sandbox_admin> admin;
  sandbox_server s;

  moving_sandbox(std::shared_ptr<dataset const> data, std::int64_t start, double world_scale, time_options time = {})
      : scale(world_scale), s{options(start, world_scale, time), std::move(data), [this](sandbox_server& server) {
                                admin = std::make_unique<sandbox_admin>(*server.sandbox, time_admin_key);
                                admin->install(*server.server.routes);
                              }} {}

  static sandbox_options options(std::int64_t start, double scale, time_options time) {
    sandbox_options o;
    time.start = start;
    time.scale = scale;
    o.time = time;
    return o;
  }
  /// Moves the world by `seconds` of world time.
  void pass(std::int64_t seconds) {
    auto const real = static_cast<double>(seconds) / scale;
    s.time.advance(std::chrono::nanoseconds{static_cast<std::int64_t>(real * 1e9)});
  }
  /// Moves the world to `t` (world unix seconds).
  void until(std::int64_t t) { pass(t - s.sandbox->world_time()); }
  sandbox_service& sandbox() { return *s.sandbox; }

  sandbox_server::response get(std::string const& target) { return s.get(target); }
  json::value body(std::string const& target) {
    auto const r = s.get(target);
    EXPECT_EQ(r.result_int(), 200) << target << ": " << r.body();
    return json::parse(r.body());
  }
  sandbox_server::response call(std::string const& method, std::string const& path, std::string const& body = {}) {
    return s.request(method, "/sandbox/admin/v1" + path, time_admin_key, body);
  }
};

}  // namespace overworld::sandbox::testing
