// Deterministic numbers for everything the sandbox makes up. Each thing draws from a stream named
// after what it is for ("war attacks of #2PP in cycle 12"), so one seed always gives the same
// world, whatever else is made and in whatever order.
#pragma once

#include <cstdint>
#include <string_view>

namespace overworld::sandbox::detail {

/// splitmix64: small, fast and the same on every platform.
struct random_numbers {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// lo to hi, both included.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  /// True with probability percent / 100.
  bool chance(int percent) { return static_cast<int>(next() % 100) < percent; }
};

inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return random_numbers{a ^ (b * 0xff51afd7ed558ccdULL)}.next();
}

/// FNV-1a: the same number for the same text.
inline std::uint64_t hash_text(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

/// The stream for `what` (a purpose and a tag) and a number (a cycle, a week, an index).
inline random_numbers stream(std::uint64_t seed, std::string_view what, std::uint64_t n = 0) {
  return random_numbers{mix(mix(seed, hash_text(what)), n)};
}
inline random_numbers stream(std::uint64_t seed, std::string_view what, std::string_view tag, std::uint64_t n = 0) {
  return random_numbers{mix(mix(mix(seed, hash_text(what)), hash_text(tag)), n)};
}

}  // namespace overworld::sandbox::detail
