// An exact sliding-window rate limiter ("at most N requests in any window of W"), per key, with
// growing blocks for clients that keep hitting the limit. Thread-safe; time comes from a clock so
// tests move it by hand. Its memory is bounded: it forgets idle keys by itself every
// `sweep_every`, and it never holds more than `max_tracked` keys (docs/security.md, "Rate limiters").
#pragma once

#include <overworld/core/clock.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
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
  /// Keys held at most. At the cap a new key takes the place of the least recently seen key that
  /// is not blocked (a blocked key is kept, so flooding cannot lift one's own block).
  std::size_t max_tracked = 100'000;
  /// Idle keys are forgotten this often, by the next check after it is due (0: one window).
  std::chrono::milliseconds sweep_every{0};
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
  /// Forgets keys with nothing in their window and no block (check() does it every sweep_every;
  /// a server's timer may call it too, so that an idle limiter gives its memory back).
  void sweep();
  std::size_t tracked_keys() const;
  /// Keys dropped at the cap since the start: a number that grows under a flood of new keys.
  std::uint64_t evictions() const noexcept { return evictions_.load(std::memory_order_relaxed); }
  rate_limit const& limit() const noexcept { return limit_; }

 private:
  struct entry {
    std::deque<clock::steady_time> hits;  // at most limit_.limit entries
    std::size_t rejections = 0;           // within the current window
    clock::steady_time first_rejection{};
    clock::steady_time blocked_until{};
    unsigned strikes = 0;  // blocks so far, for the doubling
    clock::steady_time last_block{};
    std::list<std::string_view>::iterator place;  // in shard::recent; views the map's own key
  };
  struct string_hash {
    using is_transparent = void;  // look up by string_view without a copy
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using entry_map = std::unordered_map<std::string, entry, string_hash, std::equal_to<>>;
  struct shard {
    mutable std::mutex mutex;
    entry_map entries;
    std::list<std::string_view> recent;  // most recently seen first
    clock::steady_time next_sweep{};
  };
  static constexpr std::size_t shard_count = 16;
  static constexpr std::size_t eviction_scan = 16;  // blocked keys passed over at most, per eviction

  shard& shard_for(std::string_view key);
  entry& find_or_add(shard& s, std::string_view key, clock::steady_time now);
  bool idle(entry const& e, clock::steady_time now) const;
  bool blocked(entry const& e, clock::steady_time now) const;
  void sweep(shard& s, clock::steady_time now);
  void erase(shard& s, entry_map::iterator it);

  rate_limit limit_;
  clock const& clock_;
  std::size_t max_per_shard_;
  std::chrono::milliseconds sweep_every_;
  std::array<shard, shard_count> shards_;
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace overworld::policy
