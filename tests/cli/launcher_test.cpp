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
  refusing_port closed;
  EXPECT_EQ(run({"--base-url", closed.url(), "launcher", "sync", game.string()}).code, 3);
  // The folder's parent does not exist.
  EXPECT_EQ(run({"--base-url", url(), "launcher", "sync", dir.path() + "/no/such/parent/game"}).code, 2);
}

}  // namespace
}  // namespace overworld::cli::testing
