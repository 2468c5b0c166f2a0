#include <overworld/coc/cache.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

namespace overworld::coc {
namespace {

// Bookkeeping per entry beyond the bytes it holds (list node, index slot, control blocks).
constexpr std::size_t entry_overhead = 128;

std::size_t entry_size(std::string_view url, http::client_response const& r) noexcept {
  std::size_t n = entry_overhead + url.size() + r.body.size();
  for (auto const& [name, value] : r.headers) n += name.size() + value.size();
  return n;
}

}  // namespace

response_cache::response_cache(cache_options options, clock const& time) : options_(options), clock_(time) {}

bool response_cache::cacheable(http::verb method, unsigned status) const noexcept {
  if (method != http::verb::get) return false;
  return status == 200 || (status == 404 && options_.cache_not_found);
}

void response_cache::drop(lru_list::iterator it) {
  index_.erase(std::string_view{it->url});
  stats_.bytes -= it->bytes;
  lru_.erase(it);
}

std::optional<response_cache::hit> response_cache::get(std::string_view url, cache_mode mode) {
  std::lock_guard lock{mutex_};
  if (mode != cache_mode::use) {
    ++stats_.bypassed;
    return std::nullopt;
  }
  auto found = index_.find(url);
  if (found == index_.end()) {
    ++stats_.misses;
    return std::nullopt;
  }
  auto it = found->second;
  auto const now = clock_.steady_now();
  if (now >= it->expires) {
    drop(it);
    ++stats_.expirations;
    ++stats_.misses;
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it);
  ++stats_.hits;
  // Rounded up, like the countdown the API's edge cache reports.
  auto left = std::chrono::ceil<std::chrono::seconds>(it->expires - now);
  return hit{it->response, left};
}

response_cache::response_ptr response_cache::put(http::verb method, std::string_view url,
                                                 http::client_response response, cache_mode mode,
                                                 std::optional<std::chrono::seconds> ttl) {
  if (mode == cache_mode::bypass || !cacheable(method, response.status)) return nullptr;
  if (!ttl) {
    auto header = response.header("Cache-Control");
    if (header) ttl = parse_max_age(*header);
  }
  if (!ttl || *ttl <= std::chrono::seconds{0}) return nullptr;
  auto lifetime = std::min(*ttl, options_.max_ttl);
  auto const bytes = entry_size(url, response);
  if (bytes > options_.max_bytes) return nullptr;

  auto shared = std::make_shared<http::client_response const>(std::move(response));
  std::lock_guard lock{mutex_};
  if (auto found = index_.find(url); found != index_.end()) drop(found->second);
  while (!lru_.empty() && stats_.bytes + bytes > options_.max_bytes) {
    drop(std::prev(lru_.end()));
    ++stats_.evictions;
  }
  lru_.push_front(entry{std::string{url}, shared, clock_.steady_now() + lifetime, bytes});
  index_.emplace(std::string_view{lru_.front().url}, lru_.begin());
  stats_.bytes += bytes;
  ++stats_.stores;
  return shared;
}

void response_cache::erase(std::string_view url) {
  std::lock_guard lock{mutex_};
  if (auto found = index_.find(url); found != index_.end()) drop(found->second);
}

void response_cache::clear() {
  std::lock_guard lock{mutex_};
  index_.clear();
  lru_.clear();
  stats_.bytes = 0;
}

std::size_t response_cache::purge_expired() {
  std::lock_guard lock{mutex_};
  auto const now = clock_.steady_now();
  std::size_t dropped = 0;
  for (auto it = lru_.begin(); it != lru_.end();) {
    auto next = std::next(it);
    if (now >= it->expires) {
      drop(it);
      ++dropped;
    }
    it = next;
  }
  stats_.expirations += dropped;
  return dropped;
}

response_cache::stats response_cache::statistics() const {
  std::lock_guard lock{mutex_};
  stats s = stats_;
  s.entries = lru_.size();
  return s;
}

}  // namespace overworld::coc
