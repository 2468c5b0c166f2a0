// What a game client did, readable from code and as Prometheus text: calls, HTTP requests, errors by
// kind, request latency (histogram and percentiles), cache hit rate, and each key's use. Recording
// is lock-free; the client records every call and every request it sends.
#pragma once

#include <overworld/core/metrics.hpp>
#include <overworld/sdk/errors.hpp>
#include <overworld/sdk/key_limiter.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace overworld::sdk {

/// Per key, as reported: the key is named by its last 8 characters (never the whole secret).
struct key_usage {
  std::string key_suffix;
  std::uint64_t requests = 0;   ///< tokens granted to requests
  std::uint64_t throttled = 0;  ///< 429 answers
  bool parked = false;
};

struct metrics_snapshot {
  std::uint64_t calls = 0;     ///< calls asked of the client
  std::uint64_t requests = 0;  ///< HTTP requests sent (retries included)
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  std::uint64_t errors = 0;                                          ///< calls that ended in an error
  std::vector<std::pair<error_kind, std::uint64_t>> errors_by_kind;  ///< kinds seen at least once
  std::uint64_t rekeys = 0;                                          ///< key provisioning runs (CoC developer portal)
  std::chrono::microseconds latency_p50{0}, latency_p90{0}, latency_p99{0};  ///< of HTTP requests
  std::vector<key_usage> keys;

  double cache_hit_rate() const noexcept {
    auto const n = cache_hits + cache_misses;
    return n ? static_cast<double>(cache_hits) / static_cast<double>(n) : 0.0;
  }
};

class client_metrics {
 public:
  void call() noexcept { calls_.inc(); }
  void cache_hit() noexcept { cache_hits_.inc(); }
  void cache_miss() noexcept { cache_misses_.inc(); }
  void request(std::chrono::nanoseconds latency) noexcept;
  void failed(error_kind kind) noexcept;
  void rekeyed() noexcept { rekeys_.inc(); }

  metrics_snapshot snapshot(std::vector<std::string> const& keys,
                            std::vector<key_limiter::key_state> const& states) const;

  /// Prometheus text exposition (format 0.0.4) of `s` and of the latency histogram; `prefix`
  /// starts every metric name.
  std::string render(metrics_snapshot const& s, std::string_view prefix) const;

 private:
  static constexpr std::size_t kinds = static_cast<std::size_t>(error_kind::private_war_log) + 1;
  counter calls_, requests_, cache_hits_, cache_misses_, rekeys_;
  std::array<counter, kinds> errors_{};
  histogram latency_;
};

}  // namespace overworld::sdk
