// Lookups per second of the SDK's response cache: fresh hits over a working set of stored player
// answers, from one thread and from several (the cache has one mutex).
#include <overworld/sdk/cache.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using overworld::sdk::response_cache;

struct filled_cache {
  response_cache cache{overworld::sdk::cache_options{.max_bytes = std::size_t{512} * 1024 * 1024}};
  std::vector<std::string> urls;

  explicit filled_cache(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      urls.push_back("https://api.clashofclans.com/v1/players/%23" + std::to_string(100000 + i));
      overworld::http::client_response r;
      r.status = 200;
      r.headers = {{"Cache-Control", "public max-age=600"}, {"Content-Type", "application/json"}};
      r.body = std::string(6000, 'x');
      cache.put(overworld::http::verb::get, urls.back(), std::make_shared<overworld::http::client_response const>(r));
    }
  }
};

void cache_lookup(benchmark::State& state) {
  static filled_cache filled{10'000};
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    auto hit = filled.cache.get(filled.urls[i++ % filled.urls.size()]);
    benchmark::DoNotOptimize(hit);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(cache_lookup)->Threads(1)->Threads(2)->UseRealTime();

void cache_miss(benchmark::State& state) {
  static filled_cache filled{10'000};
  std::string const absent = "https://api.clashofclans.com/v1/players/%23NOTTHERE";
  for (auto _ : state) benchmark::DoNotOptimize(filled.cache.get(absent));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(cache_miss);

}  // namespace

BENCHMARK_MAIN();
