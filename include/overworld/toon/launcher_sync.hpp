// Launcher sync: bring a game folder in line with a launcher manifest (TTCC v1) — check every
// listed file's md5 against the local copy, download only what is missing or different, several
// at a time, and never write outside the folder.
//
// A download goes to `<name>.part` beside its destination, is hashed as it arrives, and replaces
// the destination (rename) only when its md5 matches the manifest. A `.part` left by an interrupted
// download is resumed with a `Range` request when the server answers 206 (a server that ignores
// the range sends the whole file, which then starts over); a resumed file whose md5 does not match
// is downloaded once more from the start. Files are streamed to disk over kept-alive connections,
// http:// and https:// alike (TLS 1.2+, SNI and host-name verification as in the SDK's client).
//
// Manifest paths that are absolute, contain `..`, `.`, empty components, backslashes or control
// characters fail on their own (sync_errc::unsafe_path); every directory on the way down is opened
// without following symbolic links, so a link inside the folder pointing out of it fails the file
// (sync_errc::symbolic_link) instead of being written through.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/http/client.hpp>
#include <overworld/toon/manifest.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace overworld::toon {

/// Why a file (or the whole sync) failed, beside transport errors (which keep their own codes).
enum class sync_errc {
  ok = 0,
  unsafe_path = 1,      ///< the manifest path could leave the folder
  symbolic_link = 2,    ///< a directory on the way, or the file itself, is a symbolic link
  wrong_type = 3,       ///< a file where a directory must be, or a directory (or device) where the file goes
  md5_mismatch = 4,     ///< the downloaded bytes do not have the manifest's md5
  http_status = 5,      ///< a file's URL answered something other than 200/206 (file_failure::detail has it)
  bad_range = 6,        ///< a 206 answer for another range than the one asked for
  truncated = 7,        ///< the connection ended before the whole body arrived
  folder_unusable = 8,  ///< the game folder cannot be created or opened
};

boost::system::error_category const& sync_category() noexcept;
inline error_code make_error_code(sync_errc e) noexcept { return {static_cast<int>(e), sync_category()}; }

enum class sync_stage {
  manifest,     ///< fetching the manifest
  checking,     ///< hashing local files (bytes: local bytes hashed)
  downloading,  ///< fetching what differs (bytes: body bytes received, resumed prefixes included)
  done,
};

struct sync_progress {
  sync_stage stage = sync_stage::manifest;
  std::size_t files_done = 0;   ///< of this stage
  std::size_t files_total = 0;  ///< of this stage: files listed while checking, files to fetch while downloading
  std::uint64_t bytes_done = 0;
  /// Checking: sizes of the local copies opened so far. Downloading: sizes the manifest gives,
  /// plus each Content-Length as it arrives for the files it does not (TTCC's v1 manifest has no
  /// sizes), so it can grow.
  std::uint64_t bytes_total = 0;
  std::chrono::steady_clock::duration elapsed{};  ///< since the stage began
};

struct sync_options {
  std::string manifest_url;      ///< absolute http(s) URL
  bool post_manifest = true;     ///< TTCC's v1 manifest is a POST with an empty body; false: GET
  std::filesystem::path folder;  ///< created when missing (its parent must exist)
  unsigned parallel = 4;         ///< files checked and downloaded at once (at least 1)
  bool resume = true;            ///< continue `.part` files with Range; false: always start over
  /// Further tries of a file after a transport failure (cut connection, timeout), each resuming
  /// from what arrived.
  unsigned retries = 2;
  /// Timeouts, TLS and the manifest's size limit; its total_timeout bounds the manifest,
  /// connect_timeout each connection and read_timeout each read of a file (which has no total bound).
  http::client_options http{};
  std::string user_agent = "TTCC-Launcher (overworld)";  ///< replaces http.user_agent when not empty
  /// Called at each stage change, after each file, and while bytes flow at most every
  /// `progress_interval`. It runs on the sync's worker threads, never two calls at once.
  std::function<void(sync_progress const&)> on_progress{};
  std::chrono::milliseconds progress_interval{100};
};

struct file_failure {
  std::string path;  ///< as the manifest lists it
  error_code error;
  std::string detail;  ///< e.g. "HTTP 404", "expected 9e10…, got 0f3a…"
};

struct sync_summary {
  std::size_t files_listed = 0;      ///< distinct paths in the manifest
  std::size_t files_checked = 0;     ///< local copies that existed and were hashed
  std::size_t files_up_to_date = 0;  ///< of those, with the manifest's md5
  std::size_t files_downloaded = 0;  ///< fetched, verified and in place
  std::size_t files_failed = 0;
  std::vector<file_failure> failures;  ///< one per failed file, in manifest order
  std::uint64_t bytes_checked = 0;     ///< local bytes hashed
  std::uint64_t bytes_downloaded = 0;  ///< body bytes received (retries included)
  std::uint64_t bytes_resumed = 0;     ///< bytes of `.part` files kept instead of fetched again
  double seconds = 0;                  ///< wall time of the whole sync, manifest included

  bool ok() const noexcept { return files_failed == 0; }
};

/// Syncs the folder. Fails as a whole only when the manifest cannot be fetched or parsed
/// (http::status_category() codes carrying the answer's status, errc::parse_error, transport codes) or the folder
/// cannot be used (sync_errc::folder_unusable); per-file problems are in the summary. The manifest is fetched on the
/// caller's executor; checking and downloading run on a pool of `parallel` threads of the sync's own (md5 and disk
/// writes would otherwise hold the caller's thread), and the result comes back on the caller's executor.
boost::asio::awaitable<result<sync_summary>> sync_folder(sync_options options);

/// The blocking form, for scripts and the command line: runs sync_folder on a private io_context.
result<sync_summary> sync_folder_wait(sync_options options);

/// A one-line progress bar redrawn in place with '\r' — only when `out` is a terminal; otherwise
/// every call does nothing, so output piped to a file stays clean. Not thread-safe on its own:
/// on_progress already serialises its calls.
class progress_bar {
 public:
  explicit progress_bar(std::FILE* out = stdout);
  bool enabled() const noexcept { return enabled_; }
  /// Redraws (at most ~10 times a second, and always at a stage change).
  void update(sync_progress const& p);
  /// Ends the line so what follows starts on a fresh one.
  void finish();
  /// The text of one frame, without '\r' (for tests and non-terminal logs), shorter than `width`
  /// (update() passes the terminal's width, so the line never wraps).
  static std::string render(sync_progress const& p, unsigned width = 80);

 private:
  std::FILE* out_;
  bool enabled_ = false;
  bool drawn_ = false;
  sync_stage last_stage_ = sync_stage::manifest;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace overworld::toon

template <>
struct boost::system::is_error_code_enum<overworld::toon::sync_errc> : std::true_type {};
