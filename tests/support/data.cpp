// The source tree's path, compiled into this one file: the other test files' compile commands stay
// the same from one checkout to the next, so a fresh clone finds them in the compiler cache.
#include "support/data.hpp"

namespace overworld::testing {

std::filesystem::path const& source_dir() {
  static std::filesystem::path const dir{OVERWORLD_SOURCE_DIR};
  return dir;
}

}  // namespace overworld::testing
