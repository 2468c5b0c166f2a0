// An exact sliding-window rate limiter ("at most N requests in any window of W"), per key, with
// growing blocks for clients that keep hitting the limit. Thread-safe; time comes from a clock so
// tests move it by hand.
#pragma once

#include <overworld/core/clock.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace overworld::policy {

struct rate_limit {
  std::size_t limit = 10;  ///< requests allowed in any window
  std::chrono::milliseconds window{60'000};
  /// A key rejected this many times within one window gets blocked; 0 never blocks.
  std::size_t block_after = 0;
  std::chrono::milliseconds block_base{60'000};  ///< first block; each next one doubles
  std::chrono::milliseconds block_max{3'600'000};
  std::chrono::milliseconds forget_after{3'600'000};  ///< blocks are forgiven after this long without one
};

struct decision {
  bool allowed = true;
  bool blocked = false;                      ///< rejected because of a block, not the window
  std::size_t remaining = 0;                 ///< requests left in the current window
  std::chrono::milliseconds retry_after{0};  ///< when a rejected request may succeed
};

class sliding_window_limiter {
 public:
  sliding_window_limiter(rate_limit limit, clock const& time = clock::system());

  /// Counts a request of `key` if it is allowed (rejected requests do not fill the window).
  decision check(std::string_view key);
  /// Forgets keys with nothing in their window and no block (call now and then).
  void sweep();
  std::size_t tracked_keys() const;
  rate_limit const& limit() const noexcept { return limit_; }

 private:
  struct entry {
    std::deque<clock::steady_time> hits;  // at most limit_.limit entries
    std::size_t rejections = 0;           // within the current window
    clock::steady_time first_rejection{};
    clock::steady_time blocked_until{};
    unsigned strikes = 0;  // blocks so far, for the doubling
    clock::steady_time last_block{};
  };
  struct string_hash {
    using is_transparent = void;  // look up by string_view without a copy
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, entry, string_hash, std::equal_to<>> entries;
  };
  static constexpr std::size_t shard_count = 16;

  shard& shard_for(std::string_view key);

  rate_limit limit_;
  clock const& clock_;
  std::array<shard, shard_count> shards_;
};

}  // namespace overworld::policy
