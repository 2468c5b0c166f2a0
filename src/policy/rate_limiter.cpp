#include <overworld/policy/rate_limiter.hpp>

#include <algorithm>
#include <functional>

namespace overworld::policy {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

sliding_window_limiter::sliding_window_limiter(rate_limit limit, clock const& time)
    : limit_(limit),
      clock_(time),
      max_per_shard_(std::max<std::size_t>(1, limit.max_tracked / shard_count)),
      sweep_every_(limit.sweep_every.count() > 0 ? limit.sweep_every : limit.window) {
  if (limit_.limit == 0) limit_.limit = 1;
  sweep_every_ = std::max(sweep_every_, milliseconds{1});
}

sliding_window_limiter::shard& sliding_window_limiter::shard_for(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % shard_count];
}

bool sliding_window_limiter::blocked(entry const& e, clock::steady_time now) const { return now < e.blocked_until; }

bool sliding_window_limiter::idle(entry const& e, clock::steady_time now) const {
  bool const window_empty = e.hits.empty() || now - e.hits.back() >= limit_.window;
  bool const no_block = !blocked(e, now) && (e.strikes == 0 || now - e.last_block > limit_.forget_after);
  return window_empty && no_block;
}

void sliding_window_limiter::erase(shard& s, entry_map::iterator it) {
  s.recent.erase(it->second.place);
  s.entries.erase(it);
}

void sliding_window_limiter::sweep(shard& s, clock::steady_time now) {
  for (auto it = s.entries.begin(); it != s.entries.end();) {
    auto const next = std::next(it);
    if (idle(it->second, now)) erase(s, it);
    it = next;
  }
  s.next_sweep = now + sweep_every_;
}

sliding_window_limiter::entry& sliding_window_limiter::find_or_add(shard& s, std::string_view key,
                                                                   clock::steady_time now) {
  if (now >= s.next_sweep) sweep(s, now);
  if (auto it = s.entries.find(key); it != s.entries.end()) {
    s.recent.splice(s.recent.begin(), s.recent, it->second.place);
    return it->second;
  }
  if (s.entries.size() >= max_per_shard_) {
    // Full: the least recently seen key goes, unless it is blocked (then the next one up, a few
    // at most; when all of those are blocked, the least recent goes after all).
    auto victim = std::prev(s.recent.end());
    auto candidate = victim;
    for (std::size_t i = 0; i < eviction_scan; ++i) {
      if (!blocked(s.entries.find(*candidate)->second, now)) {
        victim = candidate;
        break;
      }
      if (candidate == s.recent.begin()) break;
      --candidate;
    }
    erase(s, s.entries.find(*victim));
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  auto it = s.entries.emplace(std::string{key}, entry{}).first;
  s.recent.push_front(it->first);
  it->second.place = s.recent.begin();
  return it->second;
}

decision sliding_window_limiter::check(std::string_view key) {
  auto const now = clock_.steady_now();
  auto& s = shard_for(key);
  std::lock_guard lock{s.mutex};
  entry& e = find_or_add(s, key, now);

  if (now < e.blocked_until) {
    return {false, true, 0, duration_cast<milliseconds>(e.blocked_until - now)};
  }
  if (e.strikes > 0 && now - e.last_block > limit_.forget_after) e.strikes = 0;
  while (!e.hits.empty() && now - e.hits.front() >= limit_.window) e.hits.pop_front();

  if (e.hits.size() < limit_.limit) {
    e.hits.push_back(now);
    return {true, false, limit_.limit - e.hits.size(), milliseconds{0}};
  }

  // Over the limit: the oldest hit leaving the window is when the next request fits.
  auto retry = duration_cast<milliseconds>(e.hits.front() + limit_.window - now);
  if (now - e.first_rejection >= limit_.window) {
    e.rejections = 0;
    e.first_rejection = now;
  }
  ++e.rejections;
  if (limit_.block_after > 0 && e.rejections >= limit_.block_after) {
    auto block = limit_.block_base * (1LL << std::min(e.strikes, 20u));
    block = std::min<milliseconds>(block, limit_.block_max);
    e.blocked_until = now + block;
    e.last_block = now;
    ++e.strikes;
    e.rejections = 0;
    return {false, true, 0, block};
  }
  return {false, false, 0, std::max(retry, milliseconds{1})};
}

void sliding_window_limiter::sweep() {
  auto const now = clock_.steady_now();
  for (auto& s : shards_) {
    std::lock_guard lock{s.mutex};
    sweep(s, now);
  }
}

std::size_t sliding_window_limiter::tracked_keys() const {
  std::size_t n = 0;
  for (auto const& s : shards_) {
    std::lock_guard lock{s.mutex};
    n += s.entries.size();
  }
  return n;
}

}  // namespace overworld::policy
