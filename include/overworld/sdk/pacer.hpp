// Polite pacing per URL, for clients that poll: after a success the next request to a URL waits
// `min_interval` (TTCC asks 5 s for its districts); after a failure it waits the back-off of the
// URL's failures so far (the back-off policy's full jitter), or the server's Retry-After when
// that is longer — so a failing endpoint is asked less and less often, across calls, until it
// answers again. Bounded: at most `max_urls` URLs are remembered (the longest-settled go first).
// Not thread-safe: it lives on its client's executor. Time comes from the injectable clock.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/sdk/backoff.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace overworld::sdk {

struct pacer_options {
  std::chrono::milliseconds min_interval{0};  ///< between two requests to one URL; 0: none
  bool remember_failures = true;              ///< push a failing URL back across calls
  backoff_policy backoff;                     ///< the delay after the n-th failure in a row
  std::size_t max_urls = 4096;
};

class request_pacer {
 public:
  explicit request_pacer(pacer_options options = {}, clock const& time = clock::system());

  /// How long until a request to `url` may go (0: now).
  std::chrono::milliseconds wait_before(std::string_view url) const;
  /// The URL answered: its failures are forgotten, the next request waits min_interval.
  void succeeded(std::string_view url);
  /// A failure another try may fix: the URL waits the back-off of its failures in a row (the
  /// `attempt`-th delay when failures are not remembered), at least `retry_after`. Returns the wait.
  std::chrono::milliseconds failed(std::string_view url, unsigned attempt,
                                   std::optional<std::chrono::seconds> retry_after = std::nullopt);
  /// A failure another try would not fix (a 404): the URL waits min_interval, like a success.
  void refused(std::string_view url) { succeeded(url); }
  /// Whether it tracks anything at all (a client without min_interval nor remembered failures
  /// keeps no state per URL).
  bool tracking() const noexcept { return options_.min_interval.count() > 0 || options_.remember_failures; }
  void clear() { urls_.clear(); }
  pacer_options const& options() const noexcept { return options_; }

 private:
  struct state {
    clock::steady_time not_before{};
    unsigned failures = 0;
  };
  state& at(std::string_view url);

  pacer_options options_;
  clock const& clock_;
  std::unordered_map<std::string, state> urls_;
};

}  // namespace overworld::sdk
