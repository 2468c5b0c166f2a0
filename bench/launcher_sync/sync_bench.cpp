// One launcher sync, timed by the caller: bench/launcher_sync/run.sh runs it against
// overworld-server and compares its wall time with curl fetching the same files.
// Usage: bench_launcher_sync MANIFEST_URL FOLDER [PARALLEL]
#include <overworld/toon/launcher_sync.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MANIFEST_URL FOLDER [PARALLEL]\n", argv[0]);
    return 2;
  }
  overworld::toon::sync_options o;
  o.manifest_url = argv[1];
  o.folder = argv[2];
  if (argc > 3) o.parallel = static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10));
  overworld::toon::progress_bar bar{stderr};
  o.on_progress = [&bar](overworld::toon::sync_progress const& p) { bar.update(p); };
  auto s = overworld::toon::sync_folder_wait(o);
  bar.finish();
  if (!s) {
    std::fprintf(stderr, "sync failed: %s\n", s.error().message().c_str());
    return 1;
  }
  for (auto const& f : s->failures) {
    std::fprintf(stderr, "%s: %s (%s)\n", f.path.c_str(), f.error.message().c_str(), f.detail.c_str());
  }
  std::printf("listed=%zu checked=%zu up_to_date=%zu downloaded=%zu failed=%zu bytes=%llu resumed=%llu seconds=%.3f\n",
              s->files_listed, s->files_checked, s->files_up_to_date, s->files_downloaded, s->files_failed,
              static_cast<unsigned long long>(s->bytes_downloaded), static_cast<unsigned long long>(s->bytes_resumed),
              s->seconds);
  return s->ok() ? 0 : 1;
}
