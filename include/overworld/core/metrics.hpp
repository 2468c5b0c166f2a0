// Lock-free metric primitives and a registry that renders Prometheus text exposition format 0.0.4.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace overworld {

class counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class gauge {
 public:
  void add(std::int64_t n) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  void set(std::int64_t n) noexcept { value_.store(n, std::memory_order_relaxed); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

/// A histogram with fixed upper bounds (seconds); observations are lock-free.
class histogram {
 public:
  static constexpr std::size_t max_buckets = 16;
  /// Default latency buckets: 100 µs … 10 s.
  histogram();
  explicit histogram(std::span<double const> upper_bounds);

  void observe(double value) noexcept;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept;
  /// Estimated quantile (0..1) by linear interpolation inside the bucket, as Prometheus does.
  double quantile(double q) const noexcept;

  /// Appends `name_bucket{labels,le="…"}`, `name_sum`, `name_count` lines.
  void render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::array<double, max_buckets> bounds_{};
  std::size_t size_ = 0;
  std::array<std::atomic<std::uint64_t>, max_buckets + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

/// Components register a collector that appends their metrics; /metrics renders them all.
class metrics_registry {
 public:
  using collector = std::function<void(std::string& out)>;
  /// Returns an id for remove().
  std::size_t add(collector c);
  void remove(std::size_t id);
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<std::size_t, collector>> collectors_;
  std::size_t next_id_ = 1;
};

/// Helpers for writing exposition text.
void render_help(std::string& out, std::string_view name, std::string_view type, std::string_view help);
void render_sample(std::string& out, std::string_view name, std::string_view labels, double value);
void render_sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value);
/// Escapes a label value (backslash, quote, newline).
std::string escape_label(std::string_view value);

}  // namespace overworld
