// Test data inside the repository: the recorded API answers (data/coc-seed for Clash of Clans,
// tests/data/toon for Toontown) and the API descriptions (docs/api). A file that is missing fails
// the test that asked for it, naming the path it looked for; nothing is skipped.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace overworld::testing {

/// The source tree (tests/support/data.cpp, the one file built with its path).
std::filesystem::path const& source_dir();

/// A path inside the source tree.
inline std::filesystem::path source_path(std::string_view relative) { return source_dir() / relative; }

/// The recorded Clash of Clans answers (also the sandbox's seed; provenance in SOURCES.md there).
inline std::filesystem::path coc_fixtures_dir() { return source_path("data/coc-seed"); }

/// The recorded Toontown answers and documentation examples (provenance in SOURCES.md there).
inline std::filesystem::path toon_fixtures_dir() { return source_path("tests/data/toon"); }

/// The whole file, or an exception that names it: a test that needs a missing file fails.
inline std::string read_data_file(std::filesystem::path const& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw std::runtime_error("missing test data file " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

}  // namespace overworld::testing
