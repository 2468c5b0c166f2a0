// How long to wait before trying again: exponential back-off with full jitter (each delay drawn
// uniformly from [0, ceiling], the ceiling growing by `multiplier` from `initial` up to `max`).
// A policy object on its own, as google-cloud-cpp separates ExponentialBackoffPolicy from its
// retry policies: the retry policy says whether, this one says how long.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>

namespace overworld::sdk {

/// A uniform number in [0, 1). Injected by tests to make the jitter predictable.
using random_source = std::function<double()>;

/// A generator per thread, seeded from std::random_device.
inline double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>{0.0, 1.0}(engine);
}

struct backoff_policy {
  std::chrono::milliseconds initial{100};  ///< ceiling of the first delay
  std::chrono::milliseconds max{5'000};    ///< no ceiling grows past this
  double multiplier = 2.0;
  random_source random{};  ///< empty: default_random()

  /// The jitter's upper bound before retry number `n` (1 for the first):
  /// min(max, initial * multiplier^(n - 1)).
  std::chrono::milliseconds ceiling(unsigned n) const noexcept {
    auto c = static_cast<double>(initial.count());
    auto const top = static_cast<double>(max.count());
    for (unsigned i = 1; i < n && c < top; ++i) c *= std::max(multiplier, 1.0);
    return std::chrono::milliseconds{static_cast<std::int64_t>(std::min(c, top))};
  }

  /// A delay drawn uniformly from [0, ceiling(n)].
  std::chrono::milliseconds delay(unsigned n) const {
    double r = random ? random() : default_random();
    r = std::clamp(r, 0.0, 1.0);
    auto const c = static_cast<double>(ceiling(n).count());
    return std::chrono::milliseconds{static_cast<std::int64_t>(std::floor(r * c))};
  }
};

}  // namespace overworld::sdk
