#include "body_pool.hpp"

#include <utility>

namespace overworld::http::detail {

body_pool::body_pool(std::size_t size, std::size_t bytes) : size_(size), bytes_(bytes) { spare_.reserve(size_); }

std::string body_pool::take(std::size_t need) {
  std::lock_guard lock{mutex_};
  auto best = spare_.end();
  for (auto it = spare_.begin(); it != spare_.end(); ++it) {
    auto const cap = it->capacity();
    if (cap < need || cap - need > need) continue;
    if (best == spare_.end() || cap < best->capacity()) best = it;
  }
  if (best == spare_.end()) return {};
  std::string out = std::move(*best);
  spare_.erase(best);
  kept_bytes_ -= out.capacity();
  return out;
}

void body_pool::give(std::string&& body) noexcept {
  auto const cap = body.capacity();
  if (size_ == 0 || cap > bytes_ || cap <= std::string{}.capacity()) return;
  std::string kept = std::move(body);
  kept.clear();
  std::lock_guard lock{mutex_};
  while (spare_.size() == size_ || kept_bytes_ + cap > bytes_) {
    kept_bytes_ -= spare_.front().capacity();
    spare_.erase(spare_.begin());
  }
  kept_bytes_ += cap;
  spare_.push_back(std::move(kept));
}

}  // namespace overworld::http::detail
