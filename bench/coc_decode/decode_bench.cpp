// Decode throughput of the CoC models (bytes of JSON per second): the recorded player (the
// figure docs/benchmarks.md tracks), the biggest lists, and to_json for comparison.
//   bench_coc_decode [--benchmark_filter=player]   (the recorded answers of data/coc-seed)
// With OVERWORLD_BENCH_BODIES set to a folder written by bench/coc_client/make_bodies.mjs, it
// also decodes the real-sized answers of bench/coc_client: clan_50_decode (a clan of 50 members)
// and war_log_50_decode (a 50-war log). The decode rows also give model_heap_bytes: the heap one
// decoded model keeps beside the answer it shares (glibc's mallinfo2).
#include <overworld/coc/models/decode.hpp>

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

namespace coc = overworld::coc;

std::shared_ptr<std::string const> read_body(std::filesystem::path const& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  // Shared like an HTTP answer's body, with the parser's read-ahead padding to spare.
  auto text = std::make_shared<std::string>(std::move(s).str());
  text->reserve(text->size() + 64);
  return text;
}

std::shared_ptr<std::string const> fixture(char const* name) {
  return read_body(std::filesystem::path{OVERWORLD_BENCH_FIXTURES_DIR} / name);
}

/// The heap a decoded model holds beside the answer it shares (its strings, vectors, `extra`),
/// measured on a second decode so that the thread's parser and any store have grown already.
template <class T>
double model_heap_bytes(std::shared_ptr<std::string const> const& text) {
  auto warm = coc::decode<T>(text);
  auto const before = mallinfo2().uordblks;
  auto kept = coc::decode<T>(text);
  auto const after = mallinfo2().uordblks;
  benchmark::DoNotOptimize(kept);
  return static_cast<double>(after - before);
}

template <class T>
void decode_text(benchmark::State& state, std::shared_ptr<std::string const> const& text) {
  state.counters["model_heap_bytes"] = model_heap_bytes<T>(text);
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

template <class T>
void decode_shared(benchmark::State& state, char const* name) {
  decode_text<T>(state, fixture(name));
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

/// The real-sized answers of bench/coc_client, when OVERWORLD_BENCH_BODIES names their folder.
void register_real_sized() {
  char const* dir = std::getenv("OVERWORLD_BENCH_BODIES");
  if (dir == nullptr || *dir == '\0') return;
  auto const clan = read_body(std::filesystem::path{dir} / "clan_50.json");
  auto const log = read_body(std::filesystem::path{dir} / "warlog_50.json");
  benchmark::RegisterBenchmark("clan_50_decode", [clan](benchmark::State& s) { decode_text<coc::clan>(s, clan); });
  benchmark::RegisterBenchmark("war_log_50_decode",
                               [log](benchmark::State& s) { decode_text<coc::list<coc::war_log_entry>>(s, log); });
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_real_sized();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
