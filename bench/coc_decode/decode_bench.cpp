// Decode throughput of the CoC models (bytes of JSON per second): the recorded player (the
// figure docs/benchmarks.md tracks), the biggest lists, and to_json for comparison.
//   bench_coc_decode [--benchmark_filter=player]   (the recorded answers of data/coc-seed)
#include <overworld/coc/models/decode.hpp>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

namespace coc = overworld::coc;

std::shared_ptr<std::string const> fixture(char const* name) {
  auto const path = std::filesystem::path{OVERWORLD_BENCH_FIXTURES_DIR} / name;
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  // Shared like an HTTP answer's body, with the parser's read-ahead padding to spare.
  auto text = std::make_shared<std::string>(std::move(s).str());
  text->reserve(text->size() + 64);
  return text;
}

template <class T>
void decode_shared(benchmark::State& state, char const* name) {
  auto const text = fixture(name);
  for (auto _ : state) {
    auto decoded = coc::decode<T>(text);
    if (!decoded) state.SkipWithError(decoded.error().message.c_str());
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}

template <class T>
void decode_copy(benchmark::State& state, char const* name) {
  auto const text = fixture(name);
  for (auto _ : state) {
    auto decoded = coc::decode<T>(std::string_view{*text});
    benchmark::DoNotOptimize(decoded);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}

template <class T>
void write_json(benchmark::State& state, char const* name) {
  auto const text = fixture(name);
  auto const decoded = coc::decode<T>(text).value();
  for (auto _ : state) {
    auto out = coc::to_json(decoded);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text->size()));
}

void player_decode(benchmark::State& s) { decode_shared<coc::player>(s, "player.json"); }
void player_decode_copying(benchmark::State& s) { decode_copy<coc::player>(s, "player.json"); }
void clan_decode(benchmark::State& s) { decode_shared<coc::clan>(s, "clan.json"); }
void clan_search_large_decode(benchmark::State& s) { decode_shared<coc::list<coc::clan>>(s, "clan_search_large.json"); }
void raid_seasons_decode(benchmark::State& s) {
  decode_shared<coc::list<coc::raid_season>>(s, "capitalraidseasons.json");
}
void war_log_decode(benchmark::State& s) { decode_shared<coc::list<coc::war_log_entry>>(s, "warlog.json"); }
void player_to_json(benchmark::State& s) { write_json<coc::player>(s, "player.json"); }

BENCHMARK(player_decode);
BENCHMARK(player_decode_copying);
BENCHMARK(clan_decode);
BENCHMARK(clan_search_large_decode);
BENCHMARK(raid_seasons_decode);
BENCHMARK(war_log_decode);
BENCHMARK(player_to_json);

}  // namespace

BENCHMARK_MAIN();
