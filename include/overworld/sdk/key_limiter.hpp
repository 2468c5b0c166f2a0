// Spreads requests over several API keys. The API throttles per key, so N keys give N times the
// throughput: each key has a token bucket (rate and burst), keys take turns, and a key that got
// 429 is parked with growing back-off (or for the Retry-After it was given) while the others
// keep working. Thread-safe; time comes from an injectable clock. No I/O: acquire() says which
// key to use now, or how long to wait, and the caller sleeps the way it likes.
#pragma once

#include <overworld/core/clock.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::sdk {

struct key_limiter_options {
  double rate = 30.0;                             ///< requests per second per key (the common client default)
  unsigned burst = 30;                            ///< requests a rested key may send at once (at least 1)
  std::chrono::milliseconds backoff_base{2'000};  ///< first park after a 429; doubles each time
  std::chrono::milliseconds backoff_max{60'000};  ///< the API locks a key out for about 30-60 s
};

class key_limiter {
 public:
  struct grant {
    std::optional<std::size_t> index;  ///< the key to use now (into keys()), or none
    std::string key;                   ///< that key, empty when none
    std::chrono::nanoseconds wait{0};  ///< when none: how long until a key is free

    explicit operator bool() const noexcept { return index.has_value(); }
  };

  struct key_state {
    std::uint64_t granted = 0;
    std::uint64_t throttled = 0;             ///< 429 answers reported
    unsigned strikes = 0;                    ///< 429s since the last success (drives the back-off)
    std::chrono::nanoseconds parked_for{0};  ///< time left in its park, 0 when active
  };

  /// Throws std::invalid_argument with a rate that is not positive (a configuration error). Without
  /// keys it grants nothing until replace_keys() gives it some (keys still to be provisioned).
  explicit key_limiter(std::vector<std::string> keys, key_limiter_options options = {},
                       clock const& time = clock::system());

  /// Takes a token from the next key in turn that has one and is not parked.
  grant acquire();

  /// The key got 429: park it. `retry_after` (from the answer) wins over the back-off when given.
  void report_throttled(std::string_view key, std::optional<std::chrono::milliseconds> retry_after = std::nullopt);
  /// The key got an answer that was not 429: its back-off starts over.
  void report_success(std::string_view key);

  /// Swaps the key set (after re-keying for a new IP address). Keys present before keep their
  /// bucket and park; new ones start rested. Throws std::invalid_argument for an empty set.
  void replace_keys(std::vector<std::string> keys);

  std::vector<std::string> keys() const;
  std::vector<key_state> states() const;
  key_limiter_options const& options() const noexcept { return options_; }

 private:
  struct slot {
    std::string key;
    clock::steady_time tat{};  // theoretical arrival time of the next request (GCRA)
    clock::steady_time parked_until{};
    key_state state;
  };

  slot* find(std::string_view key);  // caller holds mutex_
  std::chrono::nanoseconds backoff(unsigned strikes) const noexcept;

  key_limiter_options options_;
  clock const& clock_;
  std::chrono::nanoseconds interval_;   // one token every interval_
  std::chrono::nanoseconds tolerance_;  // (burst - 1) * interval_
  mutable std::mutex mutex_;
  std::vector<slot> slots_;
  std::size_t next_ = 0;  // round-robin cursor
};

}  // namespace overworld::sdk
