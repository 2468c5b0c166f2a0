// When and how long to wait before trying an SDK call again: a limited number of tries with
// exponential back-off and full jitter (each delay uniform in [0, ceiling]), only for idempotent
// requests and only for failures that another try can fix — 500/502/503/504 answers, timeouts and
// dropped connections. Maintenance (503 inMaintenance) is not retried here: it lasts minutes and
// is the caller's state to poll; 429 is the key limiter's business.
#pragma once

#include <overworld/coc/errors.hpp>
#include <overworld/http/message.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>

namespace overworld::coc {

/// A uniform number in [0, 1). Injected by tests to make the jitter predictable.
using random_source = std::function<double()>;

/// A generator per thread, seeded from std::random_device.
inline double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>{0.0, 1.0}(engine);
}

/// GET, HEAD, PUT, DELETE and OPTIONS: sending them twice has the effect of sending them once.
constexpr bool is_idempotent(http::verb method) noexcept {
  switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::put:
    case http::verb::delete_:
    case http::verb::options:
      return true;
    default:
      return false;
  }
}

/// Whether another try may succeed where this one failed.
inline bool is_retryable(error const& e) noexcept {
  switch (e.kind) {
    case error_kind::server_error:
    case error_kind::gateway:
      return e.status == 500 || e.status == 502 || e.status == 503 || e.status == 504;
    case error_kind::timeout:
      return true;
    case error_kind::transport:
      // A refused handshake, an oversized answer or a bad URL fail the same way every time.
      return e.code != errc::tls_error && e.code != errc::too_large && e.code != errc::invalid_argument &&
             e.code != errc::unsupported;
    default:
      return false;
  }
}

struct retry_policy {
  unsigned max_attempts = 3;                       ///< tries in all, the first one included
  std::chrono::milliseconds initial_backoff{100};  ///< ceiling of the first delay
  std::chrono::milliseconds max_backoff{5'000};    ///< no ceiling grows past this
  double multiplier = 2.0;
  random_source random;  ///< empty: default_random()

  /// The jitter's upper bound before retry number `retry` (1 for the first retry):
  /// min(max_backoff, initial_backoff * multiplier^(retry - 1)).
  std::chrono::milliseconds backoff_ceiling(unsigned retry) const noexcept {
    double ceiling = static_cast<double>(initial_backoff.count());
    double const max = static_cast<double>(max_backoff.count());
    for (unsigned i = 1; i < retry && ceiling < max; ++i) ceiling *= std::max(multiplier, 1.0);
    return std::chrono::milliseconds{static_cast<std::int64_t>(std::min(ceiling, max))};
  }

  /// A delay drawn uniformly from [0, backoff_ceiling(retry)].
  std::chrono::milliseconds backoff(unsigned retry) const {
    double r = random ? random() : default_random();
    r = std::clamp(r, 0.0, 1.0);
    auto ceiling = static_cast<double>(backoff_ceiling(retry).count());
    return std::chrono::milliseconds{static_cast<std::int64_t>(std::floor(r * ceiling))};
  }

  /// After failed try number `attempt` (1-based) of a `method` request that ended in `e`: the
  /// delay before the next try, or nullopt to give up. A Retry-After on the answer is a floor.
  std::optional<std::chrono::milliseconds> next_delay(unsigned attempt, http::verb method, error const& e) const {
    if (attempt >= max_attempts || !is_idempotent(method) || !is_retryable(e)) return std::nullopt;
    auto delay = backoff(attempt);
    if (e.retry_after) delay = std::max<std::chrono::milliseconds>(delay, *e.retry_after);
    return delay;
  }
};

}  // namespace overworld::coc
