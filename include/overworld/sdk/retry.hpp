// Whether to try an SDK call again: a limited number of tries, only for idempotent requests and
// only for failures another try can fix — 500/502/503/504 answers that are not maintenance,
// timeouts and dropped connections. Maintenance (503 inMaintenance) lasts minutes and is the
// caller's state to poll; 429 is the key limiter's business. How long to wait in between is the
// back-off policy's (backoff.hpp).
#pragma once

#include <overworld/http/message.hpp>
#include <overworld/sdk/errors.hpp>

namespace overworld::sdk {

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

/// google-cloud-cpp's LimitedErrorCountRetryPolicy: at most `max_attempts` tries in all.
struct retry_policy {
  unsigned max_attempts = 3;  ///< tries in all, the first one included

  /// After failed try number `attempt` (1-based) of a `method` request that ended in `e`.
  bool allows(unsigned attempt, http::verb method, error const& e) const noexcept {
    return attempt < max_attempts && is_idempotent(method) && is_retryable(e);
  }
};

}  // namespace overworld::sdk
