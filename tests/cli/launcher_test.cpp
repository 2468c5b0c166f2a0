// `overworld launcher sync` against overworld's own manifest and game files: a first sync
// downloads everything, a second finds it up to date, a changed file is fetched again.
#include "cli/support.hpp"
#include "http/server/support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/files.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace overworld::cli::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

void write_file(fs::path const& p, std::string const& content) {
  fs::create_directories(p.parent_path());
  std::ofstream{p, std::ios::binary} << content;
}

std::string read(fs::path const& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct cli_launcher : ::testing::Test {
  overworld::testing::temp_dir dir;
  fs::path root;
  std::unique_ptr<launcher::manifest_service> service;
  http::testing::running_server server;

  void SetUp() override {
    root = fs::path{dir.path()} / "served";
    write_file(root / "win32/cg.dll", "windows library");
    write_file(root / "resources/phase_10.mf", std::string(200'000, 'r'));
    launcher::files_options o;
    o.root = root;
    o.base_url = "/files/";  // resolved against the manifest's URL
    o.poll = std::chrono::milliseconds{50};
    service = std::make_unique<launcher::manifest_service>(o);
    std::string why;
    ASSERT_TRUE(service->start(why)) << why;
    service->install(*server.routes);
    server.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
};

TEST_F(cli_launcher, SyncDownloadsThenFindsEverythingUpToDate) {
  auto const game = fs::path{dir.path()} / "game";
  auto const first = run({"--base-url", url(), "--json", "launcher", "sync", game.string()});
  ASSERT_EQ(first.code, 0) << first.err;
  auto const summary = json::parse(first.out);
  EXPECT_EQ(summary.at("ok"), true);
  EXPECT_EQ(summary.at("filesListed"), 2);
  EXPECT_EQ(summary.at("filesDownloaded"), 2);
  EXPECT_EQ(read(game / "win32/cg.dll"), "windows library");
  EXPECT_EQ(read(game / "resources/phase_10.mf"), read(root / "resources/phase_10.mf"));

  auto const second = run({"--base-url", url(), "launcher", "sync", game.string()});
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_NE(line_starting(second.out, "Up to date").find("2"), std::string::npos) << second.out;
  EXPECT_NE(line_starting(second.out, "Downloaded").find("0"), std::string::npos) << second.out;
  EXPECT_EQ(second.out.find('\r'), std::string::npos) << "no progress bar off a terminal";

  write_file(game / "win32/cg.dll", "tampered");
  auto const third = run({"--base-url", url(), "--json", "launcher", "sync", game.string()});
  ASSERT_EQ(third.code, 0) << third.err;
  EXPECT_EQ(json::parse(third.out).at("filesDownloaded"), 1);
  EXPECT_EQ(read(game / "win32/cg.dll"), "windows library");
}

TEST_F(cli_launcher, FailuresHaveTheirExitCodes) {
  auto const game = fs::path{dir.path()} / "game";
  auto const missing = run({"launcher", "sync", game.string(), "--manifest-url", url() + "/no/manifest/here"});
  EXPECT_EQ(missing.code, 1) << missing.err;
  // The error names the answer's status and the manifest's URL.
  EXPECT_NE(missing.err.find("launcher sync: HTTP 404 Not Found (" + url() + "/no/manifest/here)"), std::string::npos)
      << missing.err;
  // A URL that answers something else than a manifest (here a game file) says so.
  auto const not_manifest =
      run({"launcher", "sync", game.string(), "--get", "--manifest-url", url() + "/files/win32/cg.dll"});
  EXPECT_EQ(not_manifest.code, 1) << not_manifest.err;
  EXPECT_NE(not_manifest.err.find("not a launcher manifest"), std::string::npos) << not_manifest.err;
  auto const as_json = run({"-o", "json", "launcher", "sync", game.string(), "--manifest-url", url() + "/nope"});
  EXPECT_EQ(to_text(json::parse(as_json.err).at("error").at("url")), url() + "/nope");
  refusing_port closed;
  EXPECT_EQ(run({"--base-url", closed.url(), "launcher", "sync", game.string()}).code, 3);
  // The folder's parent does not exist.
  EXPECT_EQ(run({"--base-url", url(), "launcher", "sync", dir.path() + "/no/such/parent/game"}).code, 2);
}

TEST_F(cli_launcher, ProgressBarFitsANarrowTerminal) {
  if (!terminals_available()) GTEST_SKIP() << "no pseudo-terminals";
  for (unsigned short const columns : {60, 120}) {
    auto const game = fs::path{dir.path()} / ("game" + std::to_string(columns));
    // stdout and stderr on the terminal: the bar is drawn, then the summary.
    auto const r =
        run_on_terminal({"--base-url", url(), "launcher", "sync", game.string()}, {{"NO_COLOR", "1"}}, columns, true);
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find('\r'), std::string::npos) << "a bar was drawn";
    // Each frame (between \r and the erase-line sequence) is shorter than the terminal, so it
    // never wraps and each redraw replaces it.
    std::size_t frames = 0;
    for (std::size_t at = r.out.find('\r'); at != std::string::npos; at = r.out.find('\r', at + 1)) {
      auto const end = r.out.find("\x1b[K", at);
      ASSERT_NE(end, std::string::npos);
      EXPECT_LT(end - at - 1, columns) << r.out.substr(at + 1, end - at - 1);
      ++frames;
    }
    EXPECT_GT(frames, 0u);
  }
}

}  // namespace
}  // namespace overworld::cli::testing
