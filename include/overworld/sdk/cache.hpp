// The SDK's response cache. An API says how long an answer stays the same (`Cache-Control:
// max-age=N`, counting down at its edge cache), so a repeat call inside that time is answered
// from memory instead of spending the key's quota. An answer past its lifetime that carries an
// ETag or Last-Modified is kept (until evicted) so that the next request can be conditional: a
// 304 then gives the stored answer a new lifetime (refresh). Keyed by the full URL, bounded by
// total bytes with least-recently-used eviction, expiry on the injectable clock. Thread-safe.
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

namespace overworld::sdk {

/// Cache-Control's max-age, the API's malformed "public max-age=600" included.
using http::parse_max_age;

/// How one call uses the cache.
enum class cache_mode {
  use,      ///< answer from the cache when fresh, store the new answer otherwise
  refresh,  ///< ask the server (conditionally when a stored answer has a validator) and store the answer
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

  /// A stored answer to revalidate: its ETag and Last-Modified (either may be empty).
  struct validators {
    response_ptr response;
    std::string etag;
    std::string last_modified;
  };

  struct stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t bypassed = 0;  ///< lookups skipped by cache_mode::refresh / bypass
    std::uint64_t stores = 0;
    std::uint64_t refreshed = 0;    ///< stored answers a 304 renewed
    std::uint64_t evictions = 0;    ///< dropped to stay within max_bytes
    std::uint64_t expirations = 0;  ///< dropped because their lifetime ended
    std::size_t entries = 0;
    std::size_t bytes = 0;
  };

  explicit response_cache(cache_options options = {}, clock const& time = clock::system());

  /// A fresh answer for `url`, or nullopt. An expired entry found on the way is dropped, unless
  /// it can be revalidated.
  std::optional<hit> get(std::string_view url, cache_mode mode = cache_mode::use);

  /// How long the answer stored for `url` stays fresh (0 when none is, or it has expired); no
  /// statistics are counted, nothing is dropped.
  std::chrono::milliseconds fresh_for(std::string_view url) const;

  /// The stored answer for `url` that has an ETag or Last-Modified, fresh or not: what a
  /// conditional request sends (If-None-Match, If-Modified-Since).
  std::optional<validators> revalidation(std::string_view url);

  /// Stores a GET answer for as long as its Cache-Control allows (`ttl` overrides the header, as
  /// for realtime keys whose header is wrong); an answer with a validator is stored even with a
  /// lifetime of 0, for revalidation. Never stores POST and other non-GET methods, statuses other
  /// than 200 (and 404 when allowed), an answer with neither lifetime nor validator, or an entry
  /// bigger than max_bytes. Returns true when stored. The answer is shared, never copied.
  bool put(http::verb method, std::string_view url, response_ptr response, cache_mode mode = cache_mode::use,
           std::optional<std::chrono::seconds> ttl = std::nullopt);

  /// A 304 for `url`: the stored answer lives again for the 304's max-age (0 without one).
  /// Returns the stored answer and its new lifetime, or nullopt when nothing is stored any more.
  std::optional<hit> refresh(std::string_view url, http::client_response const& not_modified);

  /// Whether put() would keep an answer of that method and status (before looking at its lifetime).
  bool cacheable(http::verb method, unsigned status) const noexcept;

  void erase(std::string_view url);
  void clear();
  /// Drops every expired entry, those kept for revalidation included (get() drops the others
  /// lazily; this frees their memory now).
  std::size_t purge_expired();

  stats statistics() const;
  cache_options const& options() const noexcept { return options_; }

 private:
  struct entry {
    std::string url;
    response_ptr response;
    clock::steady_time expires;
    std::size_t bytes = 0;
    bool revalidatable = false;  // has an ETag or Last-Modified
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

}  // namespace overworld::sdk
