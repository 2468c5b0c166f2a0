// The game folder as launcher sync touches it: every path is walked from the folder's own
// descriptor with openat and O_NOFOLLOW, so no symbolic link inside it (planted before or during
// a sync) can redirect a read or a write outside it.
#pragma once

#include <overworld/core/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace overworld::toon::sync_detail {

/// An owned file descriptor.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
  unique_fd& operator=(unique_fd&& o) noexcept;
  ~unique_fd();
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }
  explicit operator bool() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// Incremental md5 (OpenSSL EVP).
class md5_hasher {
 public:
  md5_hasher();
  ~md5_hasher();
  md5_hasher(md5_hasher const&) = delete;
  md5_hasher& operator=(md5_hasher const&) = delete;
  void reset();
  void update(void const* data, std::size_t n);
  /// Lower-case hex of everything fed since the last reset; the hasher is reset afterwards.
  std::string hex_digest();

 private:
  struct ctx;
  std::unique_ptr<ctx> ctx_;
};

/// md5 of everything `fd` reads from its current offset to its end; `bytes` gets the length.
result<std::string> md5_of(int fd, std::uint64_t& bytes);

/// The directory holding a manifest path's file, and the file's name in it.
struct place {
  unique_fd dir;
  std::string name;
};

class game_folder {
 public:
  /// Opens `root`, creating it (not its parents) when missing. sync_errc::folder_unusable otherwise.
  static result<game_folder> open(std::filesystem::path const& root);

  /// Walks to the directory of `path` (already checked with safe_relative_path), creating missing
  /// directories when `create`. errc::not_found when one is missing and not created,
  /// sync_errc::symbolic_link or sync_errc::wrong_type when one is not a plain directory.
  result<place> locate(std::string_view path, bool create) const;

 private:
  unique_fd root_;
};

/// Opens an existing file for reading without following a link: errc::not_found when absent,
/// sync_errc::symbolic_link, sync_errc::wrong_type when not a regular file.
result<unique_fd> open_existing(place const& where, std::string const& name);

/// `<name>.part`, opened for reading and writing, created when absent; the same refusals.
result<unique_fd> open_part(place const& where);

/// Moves `<name>.part` over `<name>` (which a rename replaces as a link, never through it).
result<void> commit_part(place const& where);
void remove_part(place const& where) noexcept;

/// Maps an errno from openat and friends to the sync's own codes where one fits.
error_code from_errno(int e) noexcept;

}  // namespace overworld::toon::sync_detail
