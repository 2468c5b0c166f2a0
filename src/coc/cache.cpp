#include <overworld/coc/cache.hpp>

#include <algorithm>
#include <charconv>
#include <limits>

namespace overworld::coc {
namespace {

constexpr bool is_separator(char c) noexcept { return c == ',' || c == ' ' || c == '\t'; }

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// Bookkeeping per entry beyond the bytes it holds (list node, index slot, control blocks).
constexpr std::size_t entry_overhead = 128;

std::size_t entry_size(std::string_view url, http::client_response const& r) noexcept {
  std::size_t n = entry_overhead + url.size() + r.body.size();
  for (auto const& [name, value] : r.headers) n += name.size() + value.size();
  return n;
}

}  // namespace

std::optional<std::chrono::seconds> parse_max_age(std::string_view value) noexcept {
  std::optional<std::chrono::seconds> max_age;
  bool no_store = false;
  // Directives are split on commas and on white space alike, which is what makes
  // "public max-age=600" read the same as "public, max-age=600".
  while (!value.empty()) {
    while (!value.empty() && is_separator(value.front())) value.remove_prefix(1);
    std::size_t end = 0;
    while (end < value.size() && !is_separator(value[end])) ++end;
    auto directive = value.substr(0, end);
    value.remove_prefix(end);
    if (directive.empty()) continue;

    auto eq = directive.find('=');
    auto name = directive.substr(0, eq);
    if (iequal(name, "no-store") || iequal(name, "no-cache")) {
      no_store = true;
    } else if (iequal(name, "max-age") && eq != std::string_view::npos) {
      auto number = directive.substr(eq + 1);
      if (number.size() >= 2 && number.front() == '"' && number.back() == '"')
        number = number.substr(1, number.size() - 2);
      std::uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
      if (number.empty() || ptr != number.data() + number.size()) continue;  // not a number: ignored
      if (ec == std::errc::result_out_of_range) {
        n = std::numeric_limits<std::uint32_t>::max();
      } else if (ec != std::errc{}) {
        continue;
      }
      n = std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max());
      if (!max_age) max_age = std::chrono::seconds{static_cast<std::int64_t>(n)};
    }
  }
  if (no_store) return std::chrono::seconds{0};
  return max_age;
}

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
