// Fault injection for client testing: added latency, 5xx answers and dropped connections on the
// sandbox's /v1 routes, set from config (sandbox.fault.*) at start or by the admin API at any time.
#pragma once

#include <overworld/http/message.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace overworld::sandbox {

struct fault_options {
  std::chrono::milliseconds latency{0};  ///< added before every /v1 answer
  unsigned error_status = 500;           ///< 500, 502, 503 or 504
  std::uint64_t error_every = 0;         ///< every Nth request gets error_status; 0: never
  double error_probability = 0;          ///< or each request with this probability
  std::uint64_t drop_every = 0;          ///< every Nth request loses its connection; 0: never
  double drop_probability = 0;

  bool active() const noexcept {
    return latency.count() > 0 || error_every > 0 || error_probability > 0 || drop_every > 0 || drop_probability > 0;
  }
  /// Nullopt when valid, else what is wrong (a status other than 500/502/503/504, a probability
  /// outside 0..1, a latency outside 0..60 s).
  std::optional<std::string> problem() const;
};

/// What happens to one request.
struct fault {
  std::chrono::milliseconds latency{0};
  bool drop = false;
  unsigned error_status = 0;  ///< 0: answered normally
};

/// Decides the fault of each request. Thread-safe; without faults set a decision is one atomic load.
class fault_injector {
 public:
  explicit fault_injector(fault_options options = {}, std::uint64_t seed = std::random_device{}());

  /// Replaces the faults and restarts the every-Nth counts.
  void set(fault_options options);
  void clear() { set(fault_options{}); }
  fault_options options() const;

  /// Counts the request and decides its fault; a drop wins over an error.
  fault next();

 private:
  mutable std::mutex mutex_;
  fault_options options_;
  std::uint64_t count_ = 0;
  std::mt19937_64 random_;
  std::atomic<bool> active_{false};
};

/// The answer of a failing API: 500 unknownException and 503 inMaintenance as JSON, 502 and 504
/// as the HTML pages of the gateway in front of the real API.
http::response fault_response(unsigned status);

}  // namespace overworld::sandbox
