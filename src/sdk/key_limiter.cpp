#include <overworld/sdk/key_limiter.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace overworld::sdk {
namespace {

using std::chrono::nanoseconds;

// Drops repeated keys: a key listed twice would get twice its share of turns but one quota.
std::vector<std::string> unique_keys(std::vector<std::string> keys, bool allow_none) {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (auto& k : keys) {
    if (k.empty()) continue;
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(std::move(k));
  }
  if (out.empty() && !allow_none) throw std::invalid_argument("key_limiter needs at least one API key");
  return out;
}

}  // namespace

key_limiter::key_limiter(std::vector<std::string> keys, key_limiter_options options, clock const& time)
    : options_(options), clock_(time) {
  if (!(options_.rate > 0.0) || !std::isfinite(options_.rate)) {
    throw std::invalid_argument("key_limiter rate must be a positive number of requests per second");
  }
  options_.burst = std::max(options_.burst, 1U);
  interval_ = nanoseconds{std::max<std::int64_t>(1, std::llround(1e9 / options_.rate))};
  tolerance_ = interval_ * static_cast<std::int64_t>(options_.burst - 1);
  for (auto& k : unique_keys(std::move(keys), true)) slots_.push_back(slot{std::move(k), {}, {}, {}});
}

key_limiter::slot* key_limiter::find(std::string_view key) {
  for (auto& s : slots_) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

nanoseconds key_limiter::backoff(unsigned strikes) const noexcept {
  nanoseconds const max = options_.backoff_max;
  nanoseconds delay = options_.backoff_base;
  for (unsigned i = 1; i < strikes && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

key_limiter::grant key_limiter::acquire() {
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  auto const n = slots_.size();
  auto earliest = nanoseconds::max();
  for (std::size_t i = 0; i < n; ++i) {
    auto const index = (next_ + i) % n;
    slot& s = slots_[index];
    auto const tat = std::max(s.tat, now);
    if (now >= s.parked_until && tat - now <= tolerance_) {
      s.tat = tat + interval_;
      ++s.state.granted;
      next_ = (index + 1) % n;
      return grant{index, s.key, nanoseconds{0}};
    }
    auto const free_at = std::max(s.parked_until, tat - tolerance_);
    earliest = std::min(earliest, std::chrono::duration_cast<nanoseconds>(free_at - now));
  }
  return grant{std::nullopt, {}, earliest};
}

void key_limiter::report_throttled(std::string_view key, std::optional<std::chrono::milliseconds> retry_after) {
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  slot* s = find(key);
  if (s == nullptr) return;  // a key replaced meanwhile
  ++s->state.throttled;
  if (s->state.strikes < std::numeric_limits<unsigned>::max()) ++s->state.strikes;
  nanoseconds park =
      retry_after ? nanoseconds{std::max(*retry_after, std::chrono::milliseconds{0})} : backoff(s->state.strikes);
  s->parked_until = std::max(s->parked_until, now + park);
  // The API's quota for the key is spent: it resumes at its steady rate, without a burst.
  s->tat = std::max(s->tat, s->parked_until + tolerance_);
}

void key_limiter::report_success(std::string_view key) {
  std::lock_guard lock{mutex_};
  if (slot* s = find(key)) s->state.strikes = 0;
}

void key_limiter::replace_keys(std::vector<std::string> keys) {
  auto fresh = unique_keys(std::move(keys), false);
  std::lock_guard lock{mutex_};
  std::vector<slot> slots;
  slots.reserve(fresh.size());
  for (auto& k : fresh) {
    if (slot* old = find(k)) {
      slots.push_back(std::move(*old));
    } else {
      slots.push_back(slot{std::move(k), {}, {}, {}});
    }
  }
  slots_ = std::move(slots);
  next_ = 0;
}

std::vector<std::string> key_limiter::keys() const {
  std::lock_guard lock{mutex_};
  std::vector<std::string> out;
  out.reserve(slots_.size());
  for (auto const& s : slots_) out.push_back(s.key);
  return out;
}

std::vector<key_limiter::key_state> key_limiter::states() const {
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  std::vector<key_state> out;
  out.reserve(slots_.size());
  for (auto const& s : slots_) {
    key_state st = s.state;
    st.parked_for =
        s.parked_until > now ? std::chrono::duration_cast<nanoseconds>(s.parked_until - now) : nanoseconds{0};
    out.push_back(st);
  }
  return out;
}

}  // namespace overworld::sdk
