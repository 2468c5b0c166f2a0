#include <overworld/core/clock.hpp>

namespace overworld {
namespace {

class system_clock_impl final : public clock {
 public:
  wall_time now() const noexcept override { return std::chrono::system_clock::now(); }
  steady_time steady_now() const noexcept override { return std::chrono::steady_clock::now(); }
};

}  // namespace

clock& clock::system() noexcept {
  static system_clock_impl instance;
  return instance;
}

std::int64_t unix_seconds(clock::wall_time t) noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t unix_millis(clock::wall_time t) noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

manual_clock::manual_clock(wall_time start) noexcept
    : wall_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count()) {}

clock::wall_time manual_clock::now() const noexcept {
  return wall_time{std::chrono::duration_cast<wall_time::duration>(std::chrono::nanoseconds{wall_ns_.load()})};
}

clock::steady_time manual_clock::steady_now() const noexcept {
  return steady_time{std::chrono::duration_cast<steady_time::duration>(std::chrono::nanoseconds{steady_ns_.load()})};
}

void manual_clock::advance(std::chrono::nanoseconds d) noexcept {
  wall_ns_.fetch_add(d.count());
  steady_ns_.fetch_add(d.count());
}

void manual_clock::set(wall_time t) noexcept {
  wall_ns_.store(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

}  // namespace overworld
