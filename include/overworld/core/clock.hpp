// An injectable clock: production code asks a clock for the time, tests move a manual one by hand.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace overworld {

/// Wall time (for timestamps on the wire) and monotonic time (for durations) from one source.
class clock {
 public:
  using wall_time = std::chrono::system_clock::time_point;
  using steady_time = std::chrono::steady_clock::time_point;

  virtual ~clock() = default;
  virtual wall_time now() const noexcept = 0;
  virtual steady_time steady_now() const noexcept = 0;

  /// The process-wide real clock.
  static clock& system() noexcept;
};

/// Seconds since the Unix epoch.
std::int64_t unix_seconds(clock::wall_time t) noexcept;
std::int64_t unix_millis(clock::wall_time t) noexcept;

/// A clock that only moves when told to. Thread-safe.
class manual_clock final : public clock {
 public:
  explicit manual_clock(wall_time start = wall_time{std::chrono::seconds{1'700'000'000}}) noexcept;

  wall_time now() const noexcept override;
  steady_time steady_now() const noexcept override;

  /// Moves both wall and steady time forward.
  void advance(std::chrono::nanoseconds d) noexcept;
  /// Sets wall time (steady time keeps going forward only).
  void set(wall_time t) noexcept;

 private:
  std::atomic<std::int64_t> wall_ns_;
  std::atomic<std::int64_t> steady_ns_{0};
};

}  // namespace overworld
