// The launcher manifest as TTCC documents it and as launchers in the wild vary it; which paths
// may be written under a folder; where each file is downloaded from; the progress bar's text.
#include <overworld/toon/launcher_sync.hpp>
#include <overworld/toon/manifest.hpp>

#include <gtest/gtest.h>

#include <cstdio>

namespace overworld::toon {
namespace {

// The sample of TTCC's v1 manifest documentation (seeds/ttcc-api-v1.md), groups in its order.
constexpr std::string_view ttcc_sample = R"({
  "files": {
    "win32": [{"path": "win32/cg.dll", "hash": "ae87223e882670029450b3f86e8e9300", "file": "cg.dll"}],
    "game": [{"path": "game/ttcc.bin", "hash": "f6959e45e56a8c5368111b29d257219a", "file": "ttcc.bin"}],
    "darwin": [{"path": "darwin/Cg", "hash": "007be4a7fcb7c8eacb80f0572b2658d1", "file": "Cg"}],
    "resources": [{"path": "resources/phase_10.mf", "hash": "771cddc5f5a8f3cc8f4fa7b3a91e511f", "file": "phase_10.mf"}]
  },
  "base": "https://cdn.clash.lol/"
})";

TEST(SyncManifest, ParsesTtccsDocumentedSample) {
  auto m = parse_manifest(ttcc_sample);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->base, "https://cdn.clash.lol/");
  ASSERT_EQ(m->files.size(), 4u);
  EXPECT_EQ(m->files[0].group, "win32");
  EXPECT_EQ(m->files[0].path, "win32/cg.dll");
  EXPECT_EQ(m->files[0].file, "cg.dll");
  EXPECT_EQ(m->files[0].md5, "ae87223e882670029450b3f86e8e9300");
  EXPECT_FALSE(m->files[0].size);
  EXPECT_EQ(m->files[3].group, "resources");
  EXPECT_EQ(m->files[3].path, "resources/phase_10.mf");
  auto url = file_url(*m, m->files[3], "https://corporateclash.net/api/v1/launcher/manifest/");
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, "https://cdn.clash.lol/resources/phase_10.mf");
}

TEST(SyncManifest, AcceptsAFlatListSizesUpperCaseHashesAndUnknownKeys) {
  auto m = parse_manifest(R"({"version": 3, "files": [
      {"path": "a/b.bin", "md5": "AE87223E882670029450B3F86E8E9300", "size": 12, "extra": [1, 2]},
      {"path": "c.txt", "hash": "f6959e45e56a8c5368111b29d257219a", "file": null}]})");
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->files.size(), 2u);
  EXPECT_EQ(m->files[0].group, "");
  EXPECT_EQ(m->files[0].md5, "ae87223e882670029450b3f86e8e9300");
  EXPECT_EQ(m->files[0].size, std::optional<std::uint64_t>{12});
  EXPECT_EQ(m->files[0].file, "b.bin");
  EXPECT_EQ(m->files[1].file, "c.txt");
  EXPECT_EQ(m->base, "");
}

TEST(SyncManifest, RefusesWhatADownloadCannotDoWithout) {
  for (std::string_view bad : {
           R"(not json)",
           R"([])",
           R"({"base": "https://cdn/"})",
           R"({"files": {"game": [{"hash": "f6959e45e56a8c5368111b29d257219a"}]}})",
           R"({"files": {"game": [{"path": "game/x", "hash": "f6959e45"}]}})",
           R"({"files": {"game": [{"path": "game/x", "hash": "g6959e45e56a8c5368111b29d257219a"}]}})",
           R"({"files": {"game": [{"path": 7, "hash": "f6959e45e56a8c5368111b29d257219a"}]}})",
           R"({"files": {"game": {"path": "game/x"}}})",
           R"({"files": {"game": [{"path": "game/x", "hash": "f6959e45e56a8c5368111b29d257219a"}]}, "base": 1})",
       }) {
    auto m = parse_manifest(bad);
    ASSERT_FALSE(m) << bad;
    EXPECT_EQ(m.error(), errc::parse_error) << bad;
  }
}

TEST(SyncManifest, SafeRelativePaths) {
  for (std::string_view ok : {"a", "game/ttcc.bin", "resources/phase 3.5.mf", "a/b/c/..d", "...", "é/ü.bin"}) {
    EXPECT_TRUE(safe_relative_path(ok)) << ok;
  }
  using namespace std::string_view_literals;
  for (std::string_view bad :
       std::vector<std::string_view>{""sv, "/etc/passwd"sv, "../x", "a/../../x", "a/..", "..", "./a", "a/./b", "a//b",
                                     "a/", "a\\..\\b", "C:/Windows/x", "c:x", "a\0b"sv, "a\nb"sv, "a\x7f"sv}) {
    EXPECT_FALSE(safe_relative_path(bad)) << bad;
  }
}

TEST(SyncManifest, FileUrlsResolveRelativeBasesAndEncodePaths) {
  manifest m;
  manifest_file f;
  f.path = "resources/phase 3#1.mf";
  std::string const from = "http://127.0.0.1:8080/api/v1/launcher/manifest/?x=1";
  m.base = "https://cdn.example/patch";  // no trailing slash: one is put in
  EXPECT_EQ(file_url(m, f, from).value(), "https://cdn.example/patch/resources/phase%203%231.mf");
  m.base = "/files/";
  EXPECT_EQ(file_url(m, f, from).value(), "http://127.0.0.1:8080/files/resources/phase%203%231.mf");
  m.base = "cdn/";
  EXPECT_EQ(file_url(m, f, from).value(),
            "http://127.0.0.1:8080/api/v1/launcher/manifest/cdn/resources/phase%203%231.mf");
  m.base = "";
  EXPECT_EQ(file_url(m, f, "http://h/m.json").value(), "http://h/resources/phase%203%231.mf");
  EXPECT_FALSE(file_url(m, f, "not a url"));
  m.base = "ftp://elsewhere/";
  EXPECT_FALSE(file_url(m, f, "also not a url"));
}

TEST(SyncProgressBar, RendersStageFilesBytesAndFraction) {
  sync_progress p;
  p.stage = sync_stage::downloading;
  p.files_done = 37;
  p.files_total = 120;
  p.bytes_done = 3 * 1024 * 1024;
  p.bytes_total = 12 * 1024 * 1024;
  p.elapsed = std::chrono::seconds{2};
  auto const line = progress_bar::render(p, 100);
  EXPECT_NE(line.find("downloading"), std::string::npos) << line;
  EXPECT_NE(line.find("37/120 files"), std::string::npos) << line;
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("3.0/12.0 MiB"), std::string::npos) << line;
  EXPECT_NE(line.find("1.5 MiB/s"), std::string::npos) << line;
  EXPECT_LE(line.size(), 100u);
  // Without byte totals (nothing known yet) the bar follows files.
  p.bytes_done = p.bytes_total = 0;
  p.files_done = 30;
  EXPECT_NE(progress_bar::render(p, 100).find(" 25%"), std::string::npos);
  // Narrow terminals lose the bar, not the figures.
  EXPECT_EQ(progress_bar::render(p, 20).find('['), std::string::npos);
}

TEST(SyncProgressBar, DrawsNothingWhenNotATerminal) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  progress_bar bar{f};
  EXPECT_FALSE(bar.enabled());
  sync_progress p;
  p.stage = sync_stage::checking;
  bar.update(p);
  bar.finish();
  EXPECT_EQ(std::ftell(f), 0);
  std::fclose(f);
}

}  // namespace
}  // namespace overworld::toon
