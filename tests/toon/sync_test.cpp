// Launcher sync against overworld's own launcher (manifest + game files with Range and ETag)
// served in-process from a folder: missing, changed and corrupt files, a download cut halfway and
// resumed, paths and links that would leave the folder, progress, and TLS (a cut download resumed).
#include "http/client/tls_server.hpp"
#include "http/server/support.hpp"
#include "support/process.hpp"

#include <overworld/server/launcher/files.hpp>
#include <overworld/toon/launcher_sync.hpp>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace overworld::toon {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace asio = boost::asio;

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  std::string out;
  static constexpr char hex[] = "0123456789abcdef";
  for (unsigned i = 0; i < len; ++i) (out += hex[digest[i] >> 4]) += hex[digest[i] & 15];
  return out;
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen{seed};
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(gen() & 0xff);
  return s;
}

void write_file(fs::path const& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream{p, std::ios::binary | std::ios::trunc}.write(content.data(),
                                                             static_cast<std::streamsize>(content.size()));
}

std::string read_file(fs::path const& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

/// Answers every request with a 200 announcing the whole body, sends only its first `cut` bytes
/// and hangs up: a download interrupted halfway. Records the requests it was sent. With
/// `chunked`, sends the whole body in chunked encoding instead, then hangs up.
class cut_server {
 public:
  cut_server(std::string body, std::size_t cut, bool chunked = false)
      : body_(std::move(body)),
        cut_(cut),
        chunked_(chunked),
        acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { run(); });
  }
  ~cut_server() {
    stop_ = true;
    boost::system::error_code ec;
    asio::ip::tcp::socket poke{ioc_};  // wakes the blocking accept
    poke.connect({asio::ip::make_address("127.0.0.1"), port()}, ec);
    poke.close(ec);
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> requests() {
    std::lock_guard lock{mutex_};
    return requests_;
  }

 private:
  void run() {
    while (!stop_) {
      boost::system::error_code ec;
      asio::ip::tcp::socket socket{ioc_};
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      asio::streambuf head;
      asio::read_until(socket, head, "\r\n\r\n", ec);
      if (ec) continue;
      {
        std::lock_guard lock{mutex_};
        requests_.emplace_back(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
      }
      std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
      if (chunked_) {
        out += "Transfer-Encoding: chunked\r\n\r\n";
        for (std::size_t at = 0; at < body_.size(); at += cut_) {
          auto const piece = body_.substr(at, cut_);
          char size[32];
          std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
          out += size + piece + "\r\n";
        }
        out += "0\r\n\r\n";
      } else {
        out += "Content-Length: " + std::to_string(body_.size()) + "\r\n\r\n" + body_.substr(0, cut_);
      }
      asio::write(socket, asio::buffer(out), ec);
      socket.close(ec);
    }
  }

  std::string body_;
  std::size_t cut_;
  bool chunked_;
  asio::io_context ioc_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

struct sync_fixture : ::testing::Test {
  overworld::testing::temp_dir dir;
  fs::path served, game, outside;
  std::map<std::string, std::string> contents;  // what the server has, by manifest path
  std::unique_ptr<launcher::manifest_service> service;
  http::testing::running_server server;
  std::mutex custom_mutex;
  std::string custom_manifest;  // served at /custom/manifest

  void SetUp() override {
    served = fs::path{dir.path()} / "served";
    game = fs::path{dir.path()} / "game";
    outside = fs::path{dir.path()} / "outside";
    fs::create_directories(outside);
    contents["win32/cg.dll"] = "windows library";
    contents["game/ttcc.bin"] = random_bytes(300'000, 1);
    contents["resources/phase_3.mf"] = random_bytes(1'500'000, 2);  // several read chunks
    contents["resources/phase 3.5.mf"] = random_bytes(70'000, 3);   // a name to percent-encode
    contents["resources/empty.txt"] = "";
    for (auto const& [path, bytes] : contents) write_file(served / path, bytes);
    launcher::files_options o;
    o.root = served;
    o.base_url = "/files/";  // relative: resolved against the manifest's URL
    o.poll = 50ms;
    service = std::make_unique<launcher::manifest_service>(o);
    std::string why;
    ASSERT_TRUE(service->start(why)) << why;
    service->install(*server.routes);
    server.routes->post("/custom/manifest", http::sync_handler{[this](http::request const&) {
                          std::lock_guard lock{custom_mutex};
                          return http::response::json(200, custom_manifest);
                        }});
    server.start();
  }

  std::string url(std::string const& target) const {
    return "http://127.0.0.1:" + std::to_string(server.port()) + target;
  }

  sync_options options(std::string const& manifest_target = "/api/v1/launcher/manifest/") const {
    sync_options o;
    o.manifest_url = url(manifest_target);
    o.folder = game;
    o.parallel = 3;
    o.http.connect_timeout = 5s;
    o.http.read_timeout = 10s;
    o.http.total_timeout = 20s;
    return o;
  }

  void serve_custom(std::string body) {
    std::lock_guard lock{custom_mutex};
    custom_manifest = std::move(body);
  }

  /// A manifest of one file (group: its first folder), its files at https://127.0.0.1:port/, and
  /// the options of a sync that trusts `ca`.
  sync_options one_https_file(std::string const& path, std::string const& hash, std::uint16_t port,
                              std::string const& ca) {
    serve_custom(R"({"files":{")" + path.substr(0, path.find('/')) + R"(":[{"path":")" + path + R"(","hash":")" + hash +
                 R"("}]},"base":"https://127.0.0.1:)" + std::to_string(port) + R"(/"})");
    auto o = options("/custom/manifest");
    o.http.ca_file = ca;
    return o;
  }

  void expect_game_matches_served() {
    for (auto const& [path, bytes] : contents) {
      EXPECT_TRUE(fs::is_regular_file(game / path)) << path;
      EXPECT_EQ(md5_hex(read_file(game / path)), md5_hex(bytes)) << path;
      EXPECT_FALSE(fs::exists(game / (path + ".part"))) << path;
    }
  }

  std::uint64_t served_bytes() const {
    std::uint64_t n = 0;
    for (auto const& [path, bytes] : contents) n += bytes.size();
    return n;
  }
};

TEST_F(sync_fixture, FillsAnEmptyFolderThenFindsEverythingUpToDate) {
  auto first = sync_folder_wait(options());
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_TRUE(first->ok());
  EXPECT_EQ(first->files_listed, contents.size());
  EXPECT_EQ(first->files_checked, 0u);
  EXPECT_EQ(first->files_downloaded, contents.size());
  EXPECT_EQ(first->bytes_downloaded, served_bytes());
  EXPECT_EQ(first->bytes_resumed, 0u);
  expect_game_matches_served();

  auto second = sync_folder_wait(options());
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->ok());
  EXPECT_EQ(second->files_checked, contents.size());
  EXPECT_EQ(second->files_up_to_date, contents.size());
  EXPECT_EQ(second->files_downloaded, 0u);
  EXPECT_EQ(second->bytes_downloaded, 0u);
  EXPECT_EQ(second->bytes_checked, served_bytes());
}

TEST_F(sync_fixture, DownloadsOnlyChangedAndMissingFilesAndLeavesOthersAlone) {
  write_file(game / "win32/cg.dll", contents["win32/cg.dll"]);    // up to date
  write_file(game / "game/ttcc.bin", random_bytes(300'000, 99));  // changed (or damaged): same size, other bytes
  std::string truncated = contents["resources/phase_3.mf"].substr(0, 1000);
  write_file(game / "resources/phase_3.mf", truncated);   // cut short
  write_file(game / "settings.json", "{\"mine\":true}");  // not in the manifest
  auto s = sync_folder_wait(options());
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->ok());
  EXPECT_EQ(s->files_checked, 3u);
  EXPECT_EQ(s->files_up_to_date, 1u);
  EXPECT_EQ(s->files_downloaded, contents.size() - 1);
  EXPECT_EQ(s->bytes_downloaded, served_bytes() - contents["win32/cg.dll"].size());
  expect_game_matches_served();
  EXPECT_EQ(read_file(game / "settings.json"), "{\"mine\":true}");
}

TEST_F(sync_fixture, ACorruptFileOnTheServerFailsAloneAndLeavesNothingBehind) {
  // The manifest promises other bytes than the server has for one file.
  std::string const wrong = md5_hex("what the manifest promised");
  serve_custom(R"({"files":{"game":[{"path":"game/ttcc.bin","hash":")" + wrong +
               R"(","file":"ttcc.bin"}],"win32":[{"path":"win32/cg.dll","hash":")" + md5_hex(contents["win32/cg.dll"]) +
               R"("}]},"base":"/files/"})");
  auto s = sync_folder_wait(options("/custom/manifest"));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_FALSE(s->ok());
  EXPECT_EQ(s->files_downloaded, 1u);
  ASSERT_EQ(s->failures.size(), 1u);
  EXPECT_EQ(s->failures[0].path, "game/ttcc.bin");
  EXPECT_EQ(s->failures[0].error, sync_errc::md5_mismatch);
  EXPECT_NE(s->failures[0].detail.find(wrong), std::string::npos) << s->failures[0].detail;
  EXPECT_FALSE(fs::exists(game / "game/ttcc.bin"));
  EXPECT_FALSE(fs::exists(game / "game/ttcc.bin.part"));
  EXPECT_EQ(read_file(game / "win32/cg.dll"), contents["win32/cg.dll"]);
}

TEST_F(sync_fixture, AnInterruptedDownloadIsResumedWithARange) {
  auto const& big = contents["resources/phase_3.mf"];
  std::size_t const cut = 600'000;
  cut_server cutter{big, cut};
  serve_custom(R"({"files":{"resources":[{"path":"resources/phase_3.mf","hash":")" + md5_hex(big) +
               R"("}]},"base":"http://127.0.0.1:)" + std::to_string(cutter.port()) + R"(/files/"})");
  auto broken = sync_folder_wait(options("/custom/manifest"));
  ASSERT_TRUE(broken) << broken.error().message();
  ASSERT_EQ(broken->failures.size(), 1u);
  EXPECT_EQ(broken->failures[0].error, sync_errc::truncated);
  EXPECT_EQ(read_file(game / "resources/phase_3.mf.part"), big.substr(0, cut));
  EXPECT_FALSE(fs::exists(game / "resources/phase_3.mf"));
  // Each retry asked for the rest; the cutting server ignored the range and started over.
  auto const asked = cutter.requests();
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_EQ(asked[0].find("Range:"), std::string::npos);
  EXPECT_NE(asked[1].find("Range: bytes=" + std::to_string(cut) + "-\r\n"), std::string::npos) << asked[1];

  // The real server honours the range: only the rest travels.
  auto resumed = sync_folder_wait(options());
  ASSERT_TRUE(resumed) << resumed.error().message();
  EXPECT_TRUE(resumed->ok());
  EXPECT_EQ(resumed->bytes_resumed, cut);
  EXPECT_EQ(resumed->bytes_downloaded, served_bytes() - cut);
  expect_game_matches_served();
}

TEST_F(sync_fixture, AChunkedBodyIsStreamedThroughTheParser) {
  auto const& big = contents["resources/phase_3.mf"];
  cut_server chunks{big, 100'000, true};
  serve_custom(R"({"files":{"resources":[{"path":"resources/phase_3.mf","hash":")" + md5_hex(big) +
               R"("}]},"base":"http://127.0.0.1:)" + std::to_string(chunks.port()) + R"(/"})");
  auto s = sync_folder_wait(options("/custom/manifest"));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->ok()) << (s->failures.empty() ? "" : s->failures[0].error.message());
  EXPECT_EQ(s->bytes_downloaded, big.size());
  EXPECT_EQ(md5_hex(read_file(game / "resources/phase_3.mf")), md5_hex(big));
  EXPECT_EQ(chunks.requests().size(), 1u);
}

TEST_F(sync_fixture, APartFromAnOlderVersionIsDownloadedAgainFromTheStart) {
  auto const& big = contents["game/ttcc.bin"];
  write_file(game / "game/ttcc.bin.part", random_bytes(1000, 7));               // not a prefix of today's file
  write_file(game / "resources/phase 3.5.mf.part", std::string(200'000, 'x'));  // longer than the file: 416
  auto s = sync_folder_wait(options());
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->ok()) << (s->failures.empty() ? "" : s->failures[0].detail);
  EXPECT_EQ(s->bytes_resumed, 1000u);
  EXPECT_EQ(s->bytes_downloaded, served_bytes() - 1000 + big.size());
  expect_game_matches_served();
}

TEST_F(sync_fixture, NeverWritesOutsideTheFolder) {
  fs::create_directories(game / "game");
  fs::create_symlink(outside, game / "linked");  // a folder link pointing out
  write_file(outside / "target.bin", "outside");
  fs::create_symlink(outside / "target.bin", game / "game/link.bin");  // a file link pointing out
  write_file(served / "linked/evil.bin", "evil");
  write_file(served / "game/link.bin", "evil too");
  std::string const h = md5_hex("evil"), h2 = md5_hex("evil too");
  std::string files;
  for (std::string path : {"../escape.bin", "/tmp/absolute.bin", "game\\\\..\\\\..\\\\x.bin", "game/../../x.bin",
                           "game/./x.bin", "C:/x.bin"}) {
    files += R"({"path":")" + path + R"(","hash":")" + h + R"("},)";
  }
  files += R"({"path":"linked/evil.bin","hash":")" + h + R"("},{"path":"game/link.bin","hash":")" + h2 + R"("})";
  serve_custom(R"({"files":{"game":[)" + files + R"(]},"base":"/files/"})");

  auto s = sync_folder_wait(options("/custom/manifest"));
  ASSERT_TRUE(s) << s.error().message();
  ASSERT_EQ(s->failures.size(), 8u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(s->failures[i].error, sync_errc::unsafe_path) << s->failures[i].path;
  EXPECT_EQ(s->failures[6].path, "linked/evil.bin");
  EXPECT_EQ(s->failures[6].error, sync_errc::symbolic_link);
  EXPECT_EQ(s->failures[7].path, "game/link.bin");
  EXPECT_EQ(s->failures[7].error, sync_errc::symbolic_link);
  EXPECT_EQ(s->files_downloaded, 0u);
  // Outside: only what the test put there, unchanged.
  std::vector<std::string> names;
  for (auto const& e : fs::directory_iterator{outside}) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"target.bin"});
  EXPECT_EQ(read_file(outside / "target.bin"), "outside");
  EXPECT_FALSE(fs::exists(fs::path{dir.path()} / "escape.bin"));
  EXPECT_FALSE(fs::exists(fs::path{dir.path()} / "x.bin"));
}

TEST_F(sync_fixture, ReportsProgressOneCallAtATimeThroughEveryStage) {
  write_file(game / "win32/cg.dll", contents["win32/cg.dll"]);
  auto o = options();
  o.progress_interval = 0ms;
  std::mutex m;
  std::vector<sync_progress> seen;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  o.on_progress = [&](sync_progress const& p) {
    if (inside.fetch_add(1) != 0) overlapped = true;
    {
      std::lock_guard lock{m};
      seen.push_back(p);
    }
    inside.fetch_sub(1);
  };
  auto s = sync_folder_wait(o);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_FALSE(overlapped);
  ASSERT_GE(seen.size(), 4u);
  EXPECT_EQ(seen.front().stage, sync_stage::manifest);
  EXPECT_EQ(seen.back().stage, sync_stage::done);
  sync_stage stage = sync_stage::manifest;
  for (auto const& p : seen) {
    EXPECT_GE(static_cast<int>(p.stage), static_cast<int>(stage));  // stages only move forward
    stage = p.stage;
    EXPECT_LE(p.bytes_done, p.bytes_total);
    EXPECT_LE(p.files_done, p.files_total);
  }
  auto const& last = seen.back();
  EXPECT_EQ(last.files_total, contents.size() - 1);
  EXPECT_EQ(last.files_done, last.files_total);
  EXPECT_EQ(last.bytes_done, served_bytes() - contents["win32/cg.dll"].size());
  EXPECT_EQ(last.bytes_total, last.bytes_done);
}

TEST_F(sync_fixture, TheCoroutineFormAndWholeSyncFailures) {
  asio::io_context ioc;
  auto future = asio::co_spawn(ioc, sync_folder(options()), asio::use_future);
  ioc.run();
  auto s = future.get();
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->files_downloaded, contents.size());

  auto missing = sync_folder_wait(options("/no/such/manifest"));
  ASSERT_FALSE(missing);
  // The answer's status is in the error.
  EXPECT_EQ(missing.error(), overworld::http::status_error(404));
  EXPECT_EQ(missing.error().message(), "HTTP 404 Not Found");

  serve_custom("{\"files\": ");
  auto garbled = sync_folder_wait(options("/custom/manifest"));
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error(), errc::parse_error);

  auto o = options();
  o.folder = fs::path{dir.path()} / "no/such/parent";
  auto unusable = sync_folder_wait(o);
  ASSERT_FALSE(unusable);
  EXPECT_EQ(unusable.error(), sync_errc::folder_unusable);

  serve_custom(R"({"files":{"game":[{"path":"game/gone.bin","hash":")" + md5_hex("x") + R"("}]},"base":"/files/"})");
  auto gone = sync_folder_wait(options("/custom/manifest"));
  ASSERT_TRUE(gone);
  ASSERT_EQ(gone->failures.size(), 1u);
  EXPECT_EQ(gone->failures[0].error, sync_errc::http_status);
  EXPECT_EQ(gone->failures[0].detail, "HTTP 404");
  EXPECT_FALSE(fs::exists(game / "game/gone.bin"));
  EXPECT_FALSE(fs::exists(game / "game/gone.bin.part"));
}

TEST_F(sync_fixture, HttpsFilesAreVerified) {
  http::testing::test_pki pki;
  http::testing::tls_server tls{pki.good_cert, pki.good_key};
  // The TLS test server answers every request with its target as the body.
  auto o = one_https_file("game/tls.bin", md5_hex("/game/tls.bin"), tls.port(), pki.ca_cert);
  auto s = sync_folder_wait(o);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->ok()) << (s->failures.empty() ? "" : s->failures[0].error.message());
  EXPECT_EQ(read_file(game / "game/tls.bin"), "/game/tls.bin");

  // A certificate the client cannot trust fails the file, not the sync.
  fs::remove(game / "game/tls.bin");
  http::testing::tls_server untrusted{pki.self_cert, pki.self_key};
  auto refused =
      sync_folder_wait(one_https_file("game/tls.bin", md5_hex("/game/tls.bin"), untrusted.port(), pki.ca_cert));
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->failures.size(), 1u);
  EXPECT_EQ(refused->failures[0].error, errc::tls_error);
  EXPECT_FALSE(fs::exists(game / "game/tls.bin"));
}

TEST_F(sync_fixture, AnHttpsDownloadCutHalfwayIsResumedOverTls) {
  auto const& big = contents["resources/phase_3.mf"];
  std::size_t const cut = 400'000;
  std::mutex asked_mutex;
  std::vector<std::string> ranges;  // the Range header of each request, "" for none
  http::testing::test_pki pki;
  // The first answer announces the whole file and hangs up after `cut` bytes; later ones honour Range.
  http::testing::tls_server tls{
      pki.good_cert, pki.good_key, [&](auto const& req) {
        std::string const range{req[boost::beast::http::field::range]};
        std::lock_guard lock{asked_mutex};
        ranges.push_back(range);
        if (range.empty()) {
          return http::testing::tls_answer{
              "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big.substr(0, cut),
              true};
        }
        auto const from = std::stoull(range.substr(6));
        return http::testing::tls_answer{
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + std::to_string(from) + "-" +
            std::to_string(big.size() - 1) + "/" + std::to_string(big.size()) +
            "\r\nContent-Length: " + std::to_string(big.size() - from) + "\r\n\r\n" + big.substr(from)};
      }};
  auto s = sync_folder_wait(one_https_file("resources/phase_3.mf", md5_hex(big), tls.port(), pki.ca_cert));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_TRUE(s->ok()) << (s->failures.empty() ? "" : s->failures[0].error.message());
  EXPECT_EQ(s->bytes_resumed, cut);
  EXPECT_EQ(s->bytes_downloaded, big.size());  // the cut answer's bytes and the rest, each once
  EXPECT_EQ(md5_hex(read_file(game / "resources/phase_3.mf")), md5_hex(big));
  EXPECT_FALSE(fs::exists(game / "resources/phase_3.mf.part"));
  std::lock_guard lock{asked_mutex};
  EXPECT_EQ(ranges, (std::vector<std::string>{"", "bytes=" + std::to_string(cut) + "-"}));
}

}  // namespace
}  // namespace overworld::toon
