// The request path every game client of the SDK shares; a game's client is its operations (paths,
// parameters, models) on top of one of these. One call goes through, in order:
//
//   cache ──▶ single-flight ──▶ pacing ──▶ request limit ──▶ key ──▶ HTTP ──▶ answer ──▶ retry
//   (fresh    (identical GETs   (per URL:   (a client-side  (token   (pool,   (mapped by  (policy and
//    answers)  share a request)  interval,   window, TTCC)   bucket   TLS)     the game)   back-off)
//                                back-off)                   per key)
//
// - the cache answers GETs that are still fresh; a stored answer with a validator makes the
//   request conditional, and a 304 renews it;
// - pacing keeps `min_interval` between requests to one URL and, with `remember_failures`,
//   pushes a failing URL back across calls (polling clients);
// - with keys, each request takes a token of the next key in turn; a 429 parks its key (for the
//   Retry-After when sent) and the call goes on with another, up to `throttle_retries` times;
// - a failure the retry policy calls transient is tried again after the back-off policy's delay
//   (a Retry-After is a floor); a wait longer than `max_wait` returns the error at once.
//
// The pipeline lives on one executor (its client's io thread): send() must run there. Every
// piece it is made of (cache, key limiter, pacer, policies, single-flight, metrics) is also usable
// on its own, for clients that poll (an events engine) or limit in their own way.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/http/client.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/sdk/backoff.hpp>
#include <overworld/sdk/cache.hpp>
#include <overworld/sdk/errors.hpp>
#include <overworld/sdk/key_limiter.hpp>
#include <overworld/sdk/metrics.hpp>
#include <overworld/sdk/pacer.hpp>
#include <overworld/sdk/retry.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overworld::sdk {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One call through the pipeline.
struct request {
  http::verb method = http::verb::get;
  std::string target{};  ///< appended to the base URL, encoded already: "/players/%232PP?limit=5"
  header_list headers{};
  std::string body{};
  std::string content_type{};  ///< sent as Content-Type when not empty
  cache_mode cache = cache_mode::use;
  /// Every answer with a status is a response, errors included (the caller reads them: a login
  /// answer's reasons); only transport failures are errors. Never retried, never cached.
  bool any_status = false;
};

/// An answer that came back as a success: 2xx (or any status, for `any_status` requests).
struct response {
  unsigned status = 0;
  std::shared_ptr<http::client_response const> response;  ///< headers and body, shared with the cache
  std::chrono::seconds max_age{0};  ///< how long the answer stays fresh from now (0: not cacheable)
  bool from_cache = false;          ///< no request was sent
  bool not_modified = false;        ///< a conditional request was answered 304: the stored answer

  std::string_view body() const noexcept { return response ? std::string_view{response->body} : std::string_view{}; }
  std::optional<std::string_view> header(std::string_view name) const noexcept {
    return response ? response->header(name) : std::nullopt;
  }
};

/// One answer a call saw, for response middleware: from the wire (each try) or from the cache.
struct response_event {
  http::verb method = http::verb::get;
  std::string_view path;  ///< the request's target (relative to the base URL, with the query)
  unsigned status = 0;    ///< 0 when no answer came (timeout, transport error)
  unsigned attempt = 0;   ///< 1 for the first try; 0 for an answer from the cache
  bool from_cache = false;
  std::chrono::nanoseconds latency{0};
  error const* failure = nullptr;  ///< the error this answer maps to, null for a success
};

/// Called on the pipeline's executor for each HTTP request about to be sent (after the key and
/// the standard headers are set; it may add headers); must not block.
using request_hook = std::function<void(http::client_request&)>;
/// Called on the pipeline's executor for each answer; must not block.
using response_hook = std::function<void(response_event const&)>;

/// Maps an answer that is not a success to the game's error (its reasons, its envelope, its
/// messages). `path` is the request's target.
using error_mapper = std::function<error(http::client_response const& answer, std::string_view path)>;

struct pipeline_options {
  std::string base_url;  ///< prefix of every target, without a trailing '/' (may be empty: targets are URLs)
  http::client_options http{};
  std::string user_agent{};                ///< replaces http.user_agent when not empty
  std::string accept{"application/json"};  ///< the Accept header; empty: none
  bool cache_enabled = true;
  cache_options cache{};
  /// Answer GETs from the cache while fresh; false: every GET asks (conditionally when it can).
  bool honour_max_age = true;
  bool conditional_requests = true;  ///< If-None-Match / If-Modified-Since from stored validators
  /// Each sent as "Authorization: Bearer KEY", in turn through the key limiter. None: no header.
  std::vector<std::string> keys{};
  /// Calls wait for a key even while there is none (keys given later through keys().replace_keys,
  /// after provisioning them).
  bool keys_required = false;
  key_limiter_options limiter{};
  /// How many 429 answers one call absorbs by parking its key and trying again (with another key
  /// when there is one) before it reports error_kind::throttled. Without keys, a 429 is retried
  /// like a transient failure.
  unsigned throttle_retries = 3;
  retry_policy retry{};
  backoff_policy backoff{};
  /// Pacing per URL (request_pacer): the least time between two requests to one URL, and whether
  /// a failing URL stays pushed back across calls.
  std::chrono::milliseconds min_interval{0};
  bool remember_failures = false;
  /// A limit on every request of this pipeline, held client-side (TTCC: 10 per 60 s); nullopt: none.
  std::optional<policy::rate_limit> request_limit{};
  /// The longest a call sleeps before a try (pacing, back-off, Retry-After, the request limit,
  /// parked keys); a longer wait returns the error at once.
  std::chrono::milliseconds max_wait = std::chrono::milliseconds::max();
  clock const* time = nullptr;               ///< for the cache, the pacing and the limiters; nullptr: clock::system()
  std::vector<request_hook> on_request{};    ///< middleware, in order
  std::vector<response_hook> on_response{};  ///< middleware, in order
};

/// The options every game client has under the same names (its HTTP client, User-Agent, cache,
/// retry and back-off policies, clock), as pipeline options; the game's client adds its own.
template <class ClientOptions>
pipeline_options common_pipeline_options(ClientOptions const& o) {
  pipeline_options p;
  p.http = o.http;
  p.user_agent = o.user_agent;
  p.cache = o.cache;
  p.retry = o.retry;
  p.backoff = o.backoff;
  p.time = o.time;
  return p;
}

class pipeline {
 public:
  using call = boost::asio::awaitable<api_result<response>>;

  struct stats {
    std::uint64_t calls = 0;         ///< calls asked of the pipeline
    std::uint64_t sent = 0;          ///< HTTP requests sent (tries included)
    std::uint64_t cache_hits = 0;    ///< calls answered from the cache
    std::uint64_t not_modified = 0;  ///< 304 answers that renewed a stored answer
    std::uint64_t joined = 0;        ///< calls that shared another call's request (single-flight)
    std::uint64_t retries = 0;       ///< tries after a transient failure
    std::uint64_t throttled = 0;     ///< 429 answers
  };

  /// Throws std::invalid_argument for a base URL the HTTP client cannot use or a limiter setting
  /// that makes no sense.
  pipeline(boost::asio::any_io_executor executor, pipeline_options options, error_mapper map);
  ~pipeline();
  pipeline(pipeline const&) = delete;
  pipeline& operator=(pipeline const&) = delete;

  /// Sends one call through cache, single-flight, pacing, limits, key and retries. Must run on
  /// the pipeline's executor.
  call send(request req);

  /// The URL of a target.
  std::string url_of(std::string_view target) const;
  /// How long until a GET of `target` would send a request (0: now): the rest of its cached
  /// answer's freshness, its pacing. What a poll loop sleeps.
  std::chrono::milliseconds wait_before(std::string_view target);

  stats statistics() const noexcept;
  /// Requests, errors by kind, latency percentiles, cache hit rate and per-key use.
  metrics_snapshot metrics() const;
  /// The same as Prometheus text (metric names start with `prefix`).
  std::string prometheus_text(std::string_view prefix) const;
  /// The recorder behind metrics(), for what a game's client counts itself (key provisioning).
  client_metrics& recorder() noexcept;

  response_cache& cache() noexcept;
  key_limiter& keys() noexcept;
  request_pacer& pacer() noexcept;
  http::client& http() noexcept;
  pipeline_options const& options() const noexcept;
  boost::asio::any_io_executor executor() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::sdk
