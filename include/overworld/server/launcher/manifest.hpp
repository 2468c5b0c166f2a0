// The launcher manifest: every file under a folder, grouped by its top folder, with its md5.
// Built off the io threads, kept pre-serialised, rebuilt when the folder changes.
#pragma once

#include <overworld/core/error.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace overworld::launcher {

struct manifest_file {
  std::string group;  ///< the top folder: win32, game, darwin, resources, …
  std::string path;   ///< relative, with '/' separators
  std::string file;   ///< the last path component
  std::string md5;    ///< hex
  std::uintmax_t size = 0;
  std::int64_t mtime = 0;
};

struct manifest {
  std::vector<manifest_file> files;         ///< sorted by path
  std::shared_ptr<std::string const> body;  ///< {"files":{"win32":[…],…},"base":"…"}
  std::string etag;
  std::string signature;  ///< what the folder looked like (paths, sizes, times): a change means rebuild
};

/// The folder's current signature (no hashing: cheap enough to poll).
result<std::string> folder_signature(std::filesystem::path const& root);

/// Walks `root` (symbolic links and dot files are skipped, as are files directly in `root`) and
/// hashes what changed since `previous` (same path, size and time: the old md5 is kept).
result<manifest> build_manifest(std::filesystem::path const& root, std::string const& base, manifest const* previous,
                                std::string& why);

/// md5 of a file, hex.
result<std::string> md5_file(std::filesystem::path const& file);

}  // namespace overworld::launcher
