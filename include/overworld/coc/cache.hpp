// The SDK's response cache. The API says how long an answer stays the same (`Cache-Control:
// max-age=N`, counting down at its edge cache), so a repeat call inside that time is answered
// from memory instead of spending the key's quota. Keyed by the full URL, bounded by total bytes
// with least-recently-used eviction, expiry on the injectable clock. Thread-safe.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/http/cache_control.hpp>
#include <overworld/http/client.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace overworld::coc {

/// Cache-Control's max-age, the API's malformed "public max-age=600" included.
using http::parse_max_age;

/// How one call uses the cache.
enum class cache_mode {
  use,      ///< answer from the cache when fresh, store the new answer otherwise
  refresh,  ///< skip the lookup but store the new answer
  bypass,   ///< neither read nor write
};

struct cache_options {
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;  ///< all entries together (URL + body + headers)
  std::chrono::seconds max_ttl{3600};                     ///< longest lifetime, whatever the header says
  bool cache_not_found = true;                            ///< also keep 404 answers (the API's edge caches them too)
};

class response_cache {
 public:
  using response_ptr = std::shared_ptr<http::client_response const>;

  struct hit {
    response_ptr response;
    std::chrono::seconds expires_in{0};  ///< what max-age would say now, for poll delays
  };

  struct stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t bypassed = 0;  ///< lookups skipped by cache_mode::refresh / bypass
    std::uint64_t stores = 0;
    std::uint64_t evictions = 0;    ///< dropped to stay within max_bytes
    std::uint64_t expirations = 0;  ///< dropped because their lifetime ended
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };

  explicit response_cache(cache_options options = {}, clock const& time = clock::system());

  /// A fresh answer for `url`, or nullopt. An expired entry found on the way is dropped.
  std::optional<hit> get(std::string_view url, cache_mode mode = cache_mode::use);

  /// Stores a GET answer for as long as its Cache-Control allows (`ttl` overrides the header, as
  /// for realtime keys whose header is wrong). Never stores POST and other non-GET methods,
  /// statuses other than 200 (and 404 when allowed), a lifetime of 0, or an entry bigger than
  /// max_bytes. Returns what is now cached for the URL (the given answer, shared) or nullptr.
  response_ptr put(http::verb method, std::string_view url, http::client_response response,
                   cache_mode mode = cache_mode::use, std::optional<std::chrono::seconds> ttl = std::nullopt);

  /// Whether put() would keep an answer of that method and status (before looking at its lifetime).
  bool cacheable(http::verb method, unsigned status) const noexcept;

  void erase(std::string_view url);
  void clear();
  /// Drops every expired entry (get() drops them lazily; this frees their memory now).
  std::size_t purge_expired();

  stats statistics() const;
  cache_options const& options() const noexcept { return options_; }

 private:
  struct entry {
    std::string url;
    response_ptr response;
    clock::steady_time expires;
    std::size_t bytes = 0;
  };
  using lru_list = std::list<entry>;  // front = most recently used
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  void drop(lru_list::iterator it);  // caller holds mutex_

  cache_options options_;
  clock const& clock_;
  mutable std::mutex mutex_;
  lru_list lru_;
  std::unordered_map<std::string_view, lru_list::iterator, string_hash, std::equal_to<>>
      index_;  // views into lru_ urls
  stats stats_;
};

}  // namespace overworld::coc
