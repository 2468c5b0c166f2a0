// Polite polling, shared by the TTR and TTCC clients and the watcher: the options of the SDK's
// request pipeline (sdk/pipeline.hpp) as the Toontown APIs want them.
//  - a GET while the last answer is fresh (Cache-Control max-age) is answered from memory;
//  - after that, the request is conditional (If-None-Match / If-Modified-Since) and a 304 reuses
//    the stored body;
//  - failures (5xx, timeouts, dropped connections) and 429s push the URL's next request back
//    (the back-off policy's full jitter, or the server's Retry-After when longer), across calls;
//    a call waits that out and tries again, up to retry.max_attempts, unless the wait is longer
//    than `max_wait`, in which case it returns the error at once;
//  - an optional client-side limit (TTCC documents 10 requests per 60 s) holds requests back
//    before the server has to refuse them;
//  - every request carries a descriptive User-Agent, as both games ask.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/http/client.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/sdk/pipeline.hpp>
#include <overworld/toon/errors.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::toon {

/// The User-Agent sent unless the options say otherwise.
inline constexpr std::string_view default_user_agent =
    "overworld-toon/0.1 (liboverworld Toontown SDK; +https://github.com/overworld/overworld)";

struct polling_options {
  std::string user_agent{default_user_agent};  ///< replaces http.user_agent
  http::client_options http;                   ///< timeouts, TLS, pool and size limits
  /// No two requests to one URL closer than this, whatever max-age says (TTCC asks 5 s for its
  /// districts). 0: only max-age counts.
  std::chrono::milliseconds min_interval{0};
  sdk::retry_policy retry{};  ///< tries per call for GETs that failed transiently or got 429 (3)
  /// The delay after the n-th failure of a URL in a row: 1 s, 2 s, … up to 5 min, full jitter.
  sdk::backoff_policy backoff{.initial = std::chrono::seconds{1}, .max = std::chrono::minutes{5}};
  /// The longest a call sleeps (back-off, Retry-After, the client-side limit) before a try; a
  /// longer wait returns the error instead.
  std::chrono::milliseconds max_wait{30'000};
  /// A limit on every request this client sends to the API's host; nullopt: none.
  std::optional<policy::rate_limit> rate_limit;
  /// Answer fresh GETs from memory (conditional requests are made either way).
  bool honour_max_age = true;
  sdk::cache_options cache{.max_bytes = std::size_t{32} * 1024 * 1024};  ///< TTR's news list is several MiB
  clock const* time = nullptr;                                           ///< nullptr: clock::system()
  /// Called for each answer (method, path, status, latency, cache hit), e.g. a request log.
  std::vector<sdk::response_hook> on_response{};
};

/// The pipeline a Toontown client stands on: these options, `base_url` in front of every path,
/// no API keys, answers mapped to errors as the Toontown APIs word them.
sdk::pipeline_options pipeline_options_of(polling_options const& o, std::string base_url);

/// A Toontown API's answer that is not a success, as an error (see errors.hpp).
error error_from_answer(http::client_response const& answer, std::string_view path);

}  // namespace overworld::toon
