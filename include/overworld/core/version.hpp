// The project's version and the git revision it was built from (both binaries print them with
// --version).
#pragma once

#include <string>
#include <string_view>

namespace overworld {

/// The project version, e.g. "0.1.0".
std::string_view version() noexcept;
/// The git revision of the build (12 hex digits, "-modified" when the tree had changes), or
/// "unknown" when built outside a git checkout.
std::string_view git_revision() noexcept;

/// "NAME 0.1.0 (git 0123456789ab)": the line --version prints.
inline std::string version_line(std::string_view name) {
  std::string line{name};
  line += ' ';
  line += version();
  line += " (git ";
  line += git_revision();
  line += ')';
  return line;
}

}  // namespace overworld
