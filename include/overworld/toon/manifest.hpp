// A game launcher's manifest as Toontown Corporate Clash's v1 API serves it
// (`POST /api/v1/launcher/manifest/`): every file the game needs, grouped by platform or kind,
// each with its path under `base` and its md5.
//
//   {"files":{"win32":[{"path":"win32/cg.dll","hash":"ae87…","file":"cg.dll"}],"game":[…],…},
//    "base":"https://cdn.clash.lol/"}
//
// Parsing is tolerant of what launchers in the wild add (a `size` per file, other groups, unknown
// keys, a flat `files` array) and strict about what a download depends on (a path and a 32-digit
// hex md5 per file). Paths are kept as sent: whether one is safe to write under a folder is a
// separate question (safe_relative_path), asked before anything touches the disk.
#pragma once

#include <overworld/core/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::toon {

struct manifest_file {
  std::string group;  ///< the object key it was listed under (win32, game, darwin, resources, …); empty in a flat list
  std::string path;   ///< as sent: relative to `base`, and where the file goes under the game folder
  std::string file;   ///< the bare name (TTCC's `file`); the last component of `path` when absent
  std::string md5;    ///< 32 lower-case hex digits
  std::optional<std::uint64_t> size;  ///< only when the manifest says (TTCC's v1 does not)
};

struct manifest {
  std::vector<manifest_file> files;  ///< in the order of the document
  std::string base;                  ///< prepended to each path for its URL; may be empty or relative
};

/// Parses a manifest body. errc::parse_error for invalid JSON, a missing `files`, an entry without
/// a string `path` or with a `hash` that is not 32 hex digits (upper case is accepted and lowered).
result<manifest> parse_manifest(std::string_view body);

/// True when `path` names a file strictly inside a folder whatever the platform: not empty, not
/// absolute, no drive letter, no backslash, no NUL or control character, no empty, `.` or `..`
/// component, no trailing '/'.
bool safe_relative_path(std::string_view path) noexcept;

/// The URL a file is downloaded from: `base` + `path`, where a relative or empty `base` is resolved
/// against `manifest_url` (an absolute http(s) URL), and `path` is percent-encoded as a URL path
/// (its '/' kept). errc::invalid_argument when neither gives an absolute URL.
result<std::string> file_url(manifest const& m, manifest_file const& f, std::string_view manifest_url);

}  // namespace overworld::toon
