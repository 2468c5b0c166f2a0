// bench_coc_events: the events engine watching every clan of a sandbox (bench/coc_events/run.sh
// starts overworld-server with 10,000 generated clans whose world moves) for SECONDS, after the
// first round of polls has taken stock. Prints the polls, the CPU seconds this process spent per
// 1,000 polls (the engine, the client, decoding and diffing; the server is another process), the
// events and their lag (from when a clan was due to when its events were queued).
//
// Usage: bench_coc_events BASE_URL KEY SECONDS [REQUESTS_PER_SECOND] [MAX_CLANS]
#include <overworld/coc/events.hpp>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

namespace {

using namespace overworld;
using namespace std::chrono_literals;

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto const s = [](timeval t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::vector<std::string> every_clan(coc::client& client, std::size_t most) {
  coc::api api{client};
  coc::clan_search filter;
  filter.min_members = 1;
  auto clans = client.wait(coc::all_of<coc::clan>(
      [&api, filter](coc::paging p) mutable {
        filter.page = std::move(p);
        return api.search_clans(filter);
      },
      1000));
  if (!clans) throw std::runtime_error("listing the clans: " + clans.error().describe());
  std::vector<std::string> tags;
  for (auto const& c : *clans) {
    if (tags.size() < most) tags.push_back(c.tag);
  }
  return tags;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bench_coc_events BASE_URL KEY SECONDS [REQUESTS_PER_SECOND] [MAX_CLANS]\n";
    return 2;
  }
  coc::client_options o;
  o.base_url = argv[1];
  o.keys = {argv[2]};
  o.limiter.rate = 1e6;  // the engine's cap is what is measured
  o.limiter.burst = 10'000;
  o.http.max_idle_per_host = 64;  // as many as polls in flight
  auto const seconds = std::stoi(argv[3]);
  coc::client client{o};
  auto const tags = every_clan(client, argc > 5 ? std::stoul(argv[5]) : 10'000);

  coc::events::engine_options eo;
  eo.max_requests_per_second = argc > 4 ? std::stod(argv[4]) : 5'000;
  eo.max_in_flight = 64;
  coc::events::engine engine{client, eo};
  std::atomic<std::uint64_t> handled{0};
  engine.on({}, [&handled](coc::events::event const&) { handled.fetch_add(1, std::memory_order_relaxed); });
  for (auto const& t : tags) engine.watch_clan(t);
  engine.start();
  // The first round only takes stock: measure from when every clan has been polled once.
  while (engine.metrics().polls < tags.size()) std::this_thread::sleep_for(50ms);
  auto const before = engine.metrics();
  auto const cpu_before = cpu_seconds();
  auto const sent_before = client.statistics().sent;
  auto const started = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds{seconds});
  auto const after = engine.metrics();
  auto const cpu = cpu_seconds() - cpu_before;
  auto const wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  engine.stop();

  auto const polls = after.polls - before.polls;
  auto const made = after.events - before.events;
  std::printf("watched clans      %zu\n", after.watched);
  std::printf("polls              %llu in %.1f s (%.0f/s), failed %llu, requests sent %llu\n",
              static_cast<unsigned long long>(polls), wall, static_cast<double>(polls) / wall,
              static_cast<unsigned long long>(after.failed_polls - before.failed_polls),
              static_cast<unsigned long long>(client.statistics().sent - sent_before));
  std::printf("CPU                %.3f s per 1,000 polls (%.2f s in all)\n",
              polls ? cpu * 1000.0 / static_cast<double>(polls) : 0.0, cpu);
  std::printf("events             %llu (%.1f/s), handled %llu, dropped %llu\n", static_cast<unsigned long long>(made),
              static_cast<double>(made) / wall, static_cast<unsigned long long>(handled.load()),
              static_cast<unsigned long long>(after.dropped));
  std::printf("event lag          mean %lld ms, max %lld ms (since start)\n",
              static_cast<long long>(after.lag_mean.count()), static_cast<long long>(after.lag_max.count()));
  return 0;
}
