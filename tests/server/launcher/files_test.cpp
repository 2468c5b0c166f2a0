// The manifest (hashes checked against md5sum) and the game files it lists, over the wire.
#include "http/server/support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/files.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <thread>

namespace overworld::launcher {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using http::testing::get_request;
using http::testing::raw_connection;
using http::testing::running_server;

void write_file(fs::path const& p, std::string const& content) {
  fs::create_directories(p.parent_path());
  std::ofstream{p, std::ios::binary} << content;
}

std::string md5sum(fs::path const& p) {
  FILE* f = ::popen(("md5sum '" + p.string() + "'").c_str(), "r");
  char buf[64] = {};
  if (f) {
    if (!std::fgets(buf, 33, f)) buf[0] = '\0';
    ::pclose(f);
  }
  return buf;
}

struct files_fixture : ::testing::Test {
  overworld::testing::temp_dir dir;
  fs::path root;
  std::unique_ptr<manifest_service> service;
  running_server server;

  void SetUp() override {
    root = fs::path{dir.path()} / "game-files";
    write_file(root / "win32/cg.dll", "windows library");
    write_file(root / "game/ttcc.bin", "0123456789abcdef");
    write_file(root / "darwin/Cg", "mac library");
    write_file(root / "resources/phase_10.mf", std::string(100'000, 'r'));
    write_file(root / "extras/readme.txt", "other folders are listed too");
    write_file(root / "loose.txt", "files directly in the root belong to no group");
    write_file(root / ".git/config", "hidden");
    write_file(fs::path{dir.path()} / "secret.txt", "outside the folder");
    fs::create_symlink(fs::path{dir.path()} / "secret.txt", root / "game/link-out");
    files_options o;
    o.root = root;
    o.base_url = "https://cdn.example/";
    o.poll = 50ms;
    o.rebuild_trigger = fs::path{dir.path()} / "manifest-rebuild";
    service = std::make_unique<manifest_service>(o);
    std::string why;
    ASSERT_TRUE(service->start(why)) << why;
    service->install(*server.routes);
    server.start();
  }
  std::optional<http::testing::bhttp::response<http::testing::bhttp::string_body>> get(std::string const& target,
                                                                                       std::string const& extra = {}) {
    raw_connection c{server.port()};
    c.send(get_request(target, extra));
    return c.read();
  }
};

TEST_F(files_fixture, ManifestGroupsFilesWithTheirMd5) {
  auto r = get("/api/v1/launcher/manifest/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  auto const doc = boost::json::parse(r->body()).as_object();
  EXPECT_EQ(doc.at("base"), "https://cdn.example/");
  auto const& files = doc.at("files").as_object();
  std::vector<std::string> groups;
  for (auto const& kv : files) groups.emplace_back(kv.key());
  EXPECT_EQ(groups, (std::vector<std::string>{"win32", "game", "darwin", "resources", "extras"}));
  auto const& bin = files.at("game").as_array();
  ASSERT_EQ(bin.size(), 1u);  // the link out of the folder is not listed
  EXPECT_EQ(bin[0].at("path"), "game/ttcc.bin");
  EXPECT_EQ(bin[0].at("file"), "ttcc.bin");
  for (auto const& kv : files) {
    for (auto const& f : kv.value().as_array()) {
      std::string const path{f.at("path").as_string()};
      EXPECT_EQ(std::string{f.at("hash").as_string()}, md5sum(root / path)) << path;
    }
  }
  // Launchers POST for it; the same bytes, with an ETag for revalidation.
  raw_connection c{server.port()};
  c.send(
      "POST /api/v1/launcher/manifest/ HTTP/1.1\r\nHost: h\r\nUser-Agent: TTCC-Launcher\r\nContent-Length: 0\r\n\r\n");
  auto posted = c.read();
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->body(), r->body());
  std::string const etag{(*r)[http::testing::bhttp::field::etag]};
  EXPECT_EQ(get("/api/v1/launcher/manifest/", "If-None-Match: " + etag + "\r\n")->result_int(), 304);
}

TEST_F(files_fixture, RebuiltWhenTheFolderChangesOrOnRequest) {
  auto const before = service->current();
  write_file(root / "game/ttcc.bin", "a new build");
  std::shared_ptr<manifest const> after;
  // Bounded generously: the folder is polled, and a loaded machine polls late.
  auto const deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    after = service->current();
    if (after != before) break;
  }
  ASSERT_NE(after, before);
  for (auto const& f : after->files) {
    if (f.path == "game/ttcc.bin") {
      EXPECT_EQ(f.md5, md5sum(root / "game/ttcc.bin"));
    }
  }
  write_file(fs::path{dir.path()} / "manifest-rebuild", "");
  for (auto const until = std::chrono::steady_clock::now() + 30s;
       fs::exists(fs::path{dir.path()} / "manifest-rebuild") && std::chrono::steady_clock::now() < until;)
    std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(fs::exists(fs::path{dir.path()} / "manifest-rebuild"));  // done and cleared
  EXPECT_NE(service->current(), after);
}

TEST_F(files_fixture, FilesWithRangesAndEtags) {
  auto r = get("/files/game/ttcc.bin");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), "0123456789abcdef");
  EXPECT_EQ((*r)[http::testing::bhttp::field::etag], "\"" + md5sum(root / "game/ttcc.bin") + "\"");
  EXPECT_EQ((*r)[http::testing::bhttp::field::accept_ranges], "bytes");

  r = get("/files/game/ttcc.bin", "Range: bytes=2-5\r\n");
  EXPECT_EQ(r->result_int(), 206);
  EXPECT_EQ(r->body(), "2345");
  EXPECT_EQ((*r)[http::testing::bhttp::field::content_range], "bytes 2-5/16");
  r = get("/files/game/ttcc.bin", "Range: bytes=10-\r\n");
  EXPECT_EQ(r->body(), "abcdef");
  r = get("/files/game/ttcc.bin", "Range: bytes=-3\r\n");
  EXPECT_EQ(r->body(), "def");
  r = get("/files/game/ttcc.bin", "Range: bytes=16-\r\n");
  EXPECT_EQ(r->result_int(), 416);
  EXPECT_EQ((*r)[http::testing::bhttp::field::content_range], "bytes */16");
  r = get("/files/game/ttcc.bin", "If-None-Match: \"" + md5sum(root / "game/ttcc.bin") + "\"\r\n");
  EXPECT_EQ(r->result_int(), 304);

  r = get("/files/resources/phase_10.mf");  // larger than one write: sendfile waits for the socket
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), std::string(100'000, 'r'));
  raw_connection c{server.port()};
  c.send("HEAD /files/resources/phase_10.mf HTTP/1.1\r\nHost: h\r\n\r\n");
  auto head = c.read(true);
  ASSERT_TRUE(head);
  EXPECT_EQ((*head)[http::testing::bhttp::field::content_length], "100000");
}

TEST_F(files_fixture, NothingOutsideTheFolder) {
  for (std::string target :
       {"/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/game/..%2f..%2fsecret.txt", "/files/game/link-out",
        "/files/.git/config", "/files/game/", "/files/nope.bin", "/files/%2Ftmp%2Fsecret.txt"}) {
    auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->result_int(), 404) << target;
    EXPECT_EQ(r->body().find("outside the folder"), std::string::npos) << target;
  }
}

}  // namespace
}  // namespace overworld::launcher
