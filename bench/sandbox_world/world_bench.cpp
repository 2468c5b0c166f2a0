// bench_sandbox_world: what a living sandbox world costs. Generates a world of CLANS clans (10,000
// by default) of 20 members, then measures, side by side in one run:
//   - a scripted change (one player's donations, as PATCH /sandbox/admin/v1/players does) on the
//     copy-on-write dataset, against copying every entry of the dataset as changes did before;
//   - simulated days at a time scale: the CPU seconds to run each day's calendar (a step per
//     world minute: wars, league rounds, raid weekends, drift, members coming and going, seasons)
//     and the dataset pieces each day copied.
// Usage: bench_sandbox_world [CLANS] [DAYS]
#include <overworld/core/clock.hpp>
#include <overworld/server/sandbox/changes.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace overworld;
using namespace overworld::sandbox;

namespace {

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_mb() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

/// Every entry copied into a dataset of its own, as a change copied the whole dataset before the
/// copy-on-write pieces.
std::shared_ptr<dataset> deep_copy(dataset const& from) {
  auto to = std::make_shared<dataset>();
  for (auto const& [tag, p] : from.players) to->players[tag] = p;
  for (auto const& [tag, c] : from.clans) {
    auto& copy = to->clans[tag];
    copy = c;
    copy.members = paged_list{*c.members};
    copy.warlog = paged_list{*c.warlog};
    copy.raid_seasons = paged_list{*c.raid_seasons};
  }
  for (auto const& [tag, war] : from.cwl_wars) to->cwl_wars[tag] = war;
  for (auto const& [tag, group] : from.cwl_groups) to->cwl_groups[tag] = group;
  to->search_order = std::vector<std::string>{*from.search_order};
  to->player_order = std::vector<std::string>{*from.player_order};
  return to;
}

std::string day_name(std::int64_t t) {
  std::time_t const tt = t;
  std::tm tm{};
  ::gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a %Y-%m-%d", &tm);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t const clans = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10'000;
  int const days = argc > 2 ? std::atoi(argv[2]) : 3;
  // Thursday 2026-03-12 00:00 UTC: a plain day, then the raid weekend opens on Friday.
  std::int64_t const start = 1'773'273'600;

  auto cpu = cpu_seconds();
  auto data = std::make_shared<dataset>();
  generator_options g;
  g.clans = clans;
  g.members_per_clan = 20;
  g.seed = 1;
  g.start_time = start;
  generate_into(*data, g);
  std::printf("world: %zu clans, %zu players, generated in %.2f s CPU\n", data->clans.size(), data->players.size(),
              cpu_seconds() - cpu);

  manual_clock clock{clock::wall_time{std::chrono::seconds{start}}};
  sandbox_options options;
  options.time.start = start;
  options.time.scale = 86400;  // a world day per second of the test clock
  sandbox_service service{data, options, clock};
  auto const tag = (*service.data()->search_order)[0];
  std::string player;
  for (auto const& [t, p] : service.data()->players) {
    player = t;
    break;
  }

  // A scripted change: copy-on-write against copying everything.
  int const changes = 20;
  auto const before = service.data();
  cpu = cpu_seconds();
  for (int i = 0; i < changes; ++i) {
    service.change([&](dataset& d) { return !change_player(d, player, {1, {}, {}, {}}, true); });
  }
  double const cow_ms = (cpu_seconds() - cpu) * 1000 / changes;
  auto const after = service.data();
  std::printf("scripted change (copy-on-write): %.3f ms CPU each; player shards shared with before: %zu of 1024\n",
              cow_ms, after->players.shared_shards(before->players));
  cpu = cpu_seconds();
  for (int i = 0; i < 3; ++i) {
    auto copy = deep_copy(*service.data());
    (void)change_player(*copy, player, {1, {}, {}, {}}, true);
  }
  std::printf("scripted change (copying every entry, as before): %.1f ms CPU each\n", (cpu_seconds() - cpu) * 1000 / 3);

  for (int day = 0; day < days; ++day) {
    auto const was = service.data();
    auto const t = service.world_time();
    clock.advance(std::chrono::seconds{1});
    cpu = cpu_seconds();
    service.advance();
    double const spent = cpu_seconds() - cpu;
    auto const now = service.data();
    std::printf("simulated day %d (%s): %.2f s CPU; shards the day left untouched: players %zu, clans %zu of 1024\n",
                day + 1, day_name(t).c_str(), spent, now->players.shared_shards(was->players),
                now->clans.shared_shards(was->clans));
  }
  std::printf("peak RSS: %ld MB\n", peak_rss_mb());
  (void)tag;
  return 0;
}
