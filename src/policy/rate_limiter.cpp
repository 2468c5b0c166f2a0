#include <overworld/policy/rate_limiter.hpp>

#include <algorithm>
#include <functional>

namespace overworld::policy {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

sliding_window_limiter::sliding_window_limiter(rate_limit limit, clock const& time) : limit_(limit), clock_(time) {
  if (limit_.limit == 0) limit_.limit = 1;
}

sliding_window_limiter::shard& sliding_window_limiter::shard_for(std::string_view key) {
  return shards_[std::hash<std::string_view>{}(key) % shard_count];
}

decision sliding_window_limiter::check(std::string_view key) {
  auto const now = clock_.steady_now();
  auto& s = shard_for(key);
  std::lock_guard lock{s.mutex};
  auto it = s.entries.find(key);
  if (it == s.entries.end()) it = s.entries.emplace(std::string{key}, entry{}).first;
  entry& e = it->second;

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
    std::erase_if(s.entries, [&](auto const& kv) {
      entry const& e = kv.second;
      bool const window_empty = e.hits.empty() || now - e.hits.back() >= limit_.window;
      bool const no_block = now >= e.blocked_until && (e.strikes == 0 || now - e.last_block > limit_.forget_after);
      return window_empty && no_block;
    });
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
