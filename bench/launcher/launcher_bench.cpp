// What a login and a manifest cost on one core, without the server around them:
//   argon2id verification at the OWASP settings (the ceiling for logins/s per hashing thread),
//   building the manifest of a folder of N files from scratch, and re-checking it unchanged.
#include <overworld/server/launcher/manifest.hpp>
#include <overworld/server/launcher/passwords.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace overworld::launcher;

void argon2id_verify(benchmark::State& state) {
  password_policy const policy;  // OWASP: 19 MiB, t=2, p=1
  auto const hash = hash_password("correct horse battery staple", policy);
  if (!hash) {
    state.SkipWithError("hashing failed");
    return;
  }
  for (auto _ : state) {
    bool const ok = verify_password(*hash, "correct horse battery staple");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(argon2id_verify)->Unit(benchmark::kMillisecond)->UseRealTime();

/// A folder of `count` files of 4 KiB spread over the usual top folders, made once per size.
fs::path game_folder(std::size_t count) {
  auto const root = fs::temp_directory_path() / ("overworld-bench-manifest-" + std::to_string(count));
  if (fs::exists(root / ".complete")) return root;
  fs::remove_all(root);
  char const* groups[] = {"win32", "game", "darwin", "resources"};
  std::string const block(4096, 'x');
  for (std::size_t i = 0; i < count; ++i) {
    auto const dir = root / groups[i % 4] / ("pack" + std::to_string(i / 500));
    fs::create_directories(dir);
    std::ofstream{dir / ("file" + std::to_string(i) + ".bin"), std::ios::binary} << block << i;
  }
  std::ofstream{root / ".complete"} << "ok";
  return root;
}

void manifest_build(benchmark::State& state) {
  auto const root = game_folder(static_cast<std::size_t>(state.range(0)));
  std::string why;
  for (auto _ : state) {
    auto m = build_manifest(root, "http://127.0.0.1/files/", nullptr, why);
    if (!m) state.SkipWithError(why.c_str());
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(manifest_build)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void manifest_recheck_unchanged(benchmark::State& state) {
  auto const root = game_folder(static_cast<std::size_t>(state.range(0)));
  std::string why;
  auto const first = build_manifest(root, "http://127.0.0.1/files/", nullptr, why);
  if (!first) {
    state.SkipWithError(why.c_str());
    return;
  }
  for (auto _ : state) {
    auto m = build_manifest(root, "http://127.0.0.1/files/", &*first, why);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(manifest_recheck_unchanged)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
