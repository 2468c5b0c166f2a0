// One worker's downloads: a GET of a file URL into its `.part`, resuming from what the part
// already holds. Bodies stream to disk through the HTTP client's body sink, over its kept-alive
// connection, plain or TLS.
#pragma once

#include "folder.hpp"

#include <overworld/toon/launcher_sync.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace overworld::toon::sync_detail {

/// Where a download's bytes go: the `.part` file, their md5 and the progress accounting.
class part_writer {
 public:
  /// `fd` is the open part; it starts empty as far as this writer knows.
  explicit part_writer(int fd) noexcept : fd_(fd) {}
  std::uint64_t size() const noexcept { return size_; }
  md5_hasher& md5() noexcept { return md5_; }
  /// Takes what the part already holds as the file's first bytes (hashing them; no on_bytes).
  result<void> adopt();
  result<void> append(char const* data, std::size_t n);
  /// Throws away what the part holds (the server sent the whole file, or the bytes were wrong).
  result<void> restart();

  std::function<void(std::int64_t)> on_bytes;       ///< bytes received (negative: bytes discarded)
  std::function<void(std::uint64_t)> on_full_size;  ///< the file's whole size, once a response says

 private:
  int fd_;
  std::uint64_t size_ = 0;
  md5_hasher md5_;
};

struct fetch_outcome {
  std::uint64_t resumed = 0;  ///< bytes of the part the server let us keep (206)
};

class downloader {
 public:
  downloader(boost::asio::any_io_executor executor, sync_options const& options);
  ~downloader();
  downloader(downloader const&) = delete;
  downloader& operator=(downloader const&) = delete;

  /// GETs `url` into `part`, asking for the rest only when the part is not empty. Errors:
  /// sync_errc::http_status (with `*detail` "HTTP n"), sync_errc::bad_range, sync_errc::truncated,
  /// transport codes, write errors. Call one fetch at a time.
  boost::asio::awaitable<result<fetch_outcome>> fetch(std::string url, part_writer* part, std::string* detail);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// "bytes a-b/n" → a and n; nullopt when malformed (`n` may be "*").
struct content_range {
  std::uint64_t first = 0;
  std::optional<std::uint64_t> total;
};
std::optional<content_range> parse_content_range(std::string_view v) noexcept;

}  // namespace overworld::toon::sync_detail
