#include <overworld/sdk/cache.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

namespace overworld::sdk {
namespace {

// Bookkeeping per entry beyond the bytes it holds (list node, index slot, control blocks).
constexpr std::size_t entry_overhead = 128;

std::size_t entry_size(std::string_view url, http::client_response const& r) noexcept {
  std::size_t n = entry_overhead + url.size() + r.body.size();
  for (auto const& [name, value] : r.headers) n += name.size() + value.size();
  return n;
}

// Cache-Control's max-age; 0 without one.
std::chrono::seconds lifetime_of(http::client_response const& r) {
  auto header = r.header("Cache-Control");
  if (!header) return std::chrono::seconds{0};
  return parse_max_age(*header).value_or(std::chrono::seconds{0});
}

bool has_validator(http::client_response const& r) {
  return r.header("ETag").has_value() || r.header("Last-Modified").has_value();
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
    if (!it->revalidatable) {
      drop(it);
      ++stats_.expirations;
    }
    ++stats_.misses;
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it);
  ++stats_.hits;
  // Rounded up, like the countdown the API's edge cache reports.
  auto left = std::chrono::ceil<std::chrono::seconds>(it->expires - now);
  return hit{it->response, left};
}

std::chrono::milliseconds response_cache::fresh_for(std::string_view url) const {
  std::lock_guard lock{mutex_};
  auto found = index_.find(url);
  if (found == index_.end()) return std::chrono::milliseconds{0};
  auto const now = clock_.steady_now();
  auto const expires = found->second->expires;
  return expires > now ? std::chrono::ceil<std::chrono::milliseconds>(expires - now) : std::chrono::milliseconds{0};
}

std::optional<response_cache::validators> response_cache::revalidation(std::string_view url) {
  std::lock_guard lock{mutex_};
  auto found = index_.find(url);
  if (found == index_.end() || !found->second->revalidatable) return std::nullopt;
  auto const& r = found->second->response;
  validators v;
  v.response = r;
  if (auto etag = r->header("ETag")) v.etag.assign(*etag);
  if (auto modified = r->header("Last-Modified")) v.last_modified.assign(*modified);
  return v;
}

bool response_cache::put(http::verb method, std::string_view url, response_ptr response, cache_mode mode,
                         std::optional<std::chrono::seconds> ttl) {
  if (!response || mode == cache_mode::bypass || !cacheable(method, response->status)) return false;
  if (!ttl) ttl = lifetime_of(*response);
  bool const revalidatable = has_validator(*response);
  if (*ttl <= std::chrono::seconds{0} && !revalidatable) return false;
  auto const lifetime = std::clamp(*ttl, std::chrono::seconds{0}, options_.max_ttl);
  auto const bytes = entry_size(url, *response);
  if (bytes > options_.max_bytes) return false;

  std::lock_guard lock{mutex_};
  if (auto found = index_.find(url); found != index_.end()) drop(found->second);
  while (!lru_.empty() && stats_.bytes + bytes > options_.max_bytes) {
    drop(std::prev(lru_.end()));
    ++stats_.evictions;
  }
  lru_.push_front(entry{std::string{url}, std::move(response), clock_.steady_now() + lifetime, bytes, revalidatable});
  index_.emplace(std::string_view{lru_.front().url}, lru_.begin());
  stats_.bytes += bytes;
  ++stats_.stores;
  return true;
}

std::optional<response_cache::hit> response_cache::refresh(std::string_view url,
                                                           http::client_response const& not_modified) {
  auto const ttl = std::clamp(lifetime_of(not_modified), std::chrono::seconds{0}, options_.max_ttl);
  std::lock_guard lock{mutex_};
  auto found = index_.find(url);
  if (found == index_.end()) return std::nullopt;
  auto it = found->second;
  it->expires = clock_.steady_now() + ttl;
  lru_.splice(lru_.begin(), lru_, it);
  ++stats_.refreshed;
  return hit{it->response, ttl};
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

}  // namespace overworld::sdk
