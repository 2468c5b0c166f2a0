// The Clash of Clans API client: the SDK's request pipeline (sdk/pipeline.hpp) with the API's
// keys, errors and operations. Every call goes through the response cache (GET only, keyed by the
// full URL, for as long as the answer's max-age says), single-flight (identical GETs in flight
// share one request), the key limiter (a key with a free token, or a wait until one has one; a key
// that got 429 is parked and the call moves on to another key) and the retry and back-off
// policies (idempotent calls, transient failures only). Answers come back as raw JSON bytes in
// api_result; the typed models are built on top of this (api.hpp).
//
// The client owns one io_context thread where all of its work runs. The coroutine forms can be
// awaited from any executor (the work hops to the client's thread and the result comes back to the
// caller's executor); wait() is the blocking form for scripts and must not be called from the
// client's own thread. Destroy the client when no call is in flight: calls still pending are
// abandoned.
#pragma once

#include <overworld/coc/errors.hpp>
#include <overworld/coc/keys.hpp>
#include <overworld/coc/operation_list.hpp>
#include <overworld/core/clock.hpp>
#include <overworld/http/client.hpp>
#include <overworld/sdk/pipeline.hpp>
#include <overworld/sdk/runtime.hpp>

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

namespace overworld::coc {

enum class op;  // operations.hpp
namespace detail {
struct op_request;  // operations.cpp
}

using sdk::backoff_policy;
using sdk::cache_mode;
using sdk::cache_options;
using sdk::client_metrics;
using sdk::key_limiter;
using sdk::key_limiter_options;
using sdk::metrics_snapshot;
using sdk::request_hook;
using sdk::response_cache;
using sdk::response_event;
using sdk::response_hook;
using sdk::retry_policy;

/// A successful (2xx) answer: status, headers and body (shared with the cache), its remaining
/// max_age and whether it came from_cache.
using raw_response = sdk::response;

struct client_options {
  std::string base_url = "https://api.clashofclans.com/v1";  ///< without a trailing '/'
  /// Each is sent as "Authorization: Bearer KEY". At least one, unless `portal` is set: then the
  /// client provisions its keys through the developer portal before the first request.
  std::vector<std::string> keys;
  /// Key management: with portal accounts the client makes (or reuses) keys for its current IP
  /// address, and does it again when the API answers accessDenied.invalidIp.
  std::optional<portal_options> portal;
  /// Timeouts (connect, read, total), TLS, pool and size limits of the HTTP client.
  http::client_options http;
  std::string user_agent = "overworld-coc/0.1";  ///< replaces http.user_agent when not empty
  bool cache_enabled = true;
  cache_options cache;          ///< max_bytes, max_ttl, whether 404 answers are kept
  key_limiter_options limiter;  ///< rate and burst per key, back-off of parked keys
  retry_policy retry;           ///< how many tries (3), for which failures
  backoff_policy backoff;       ///< the delay between tries: 100 ms, 200 ms, … up to 5 s, full jitter
  /// How many 429 answers one call absorbs by parking the key and trying again (with another key
  /// when there is one) before it reports error_kind::throttled.
  unsigned throttle_retries = 3;
  clock const* time = nullptr;             ///< for the cache and the limiter; nullptr: clock::system()
  std::vector<request_hook> on_request;    ///< middleware, in order
  std::vector<response_hook> on_response;  ///< middleware, in order
};

/// Query parameters, unencoded; the client percent-encodes names and values.
using query_params = std::vector<std::pair<std::string, std::string>>;

/// One request to the API. `path` starts with '/' and is relative to the base URL, segments
/// already encoded (tags as %23…).
struct raw_request {
  http::verb method = http::verb::get;
  std::string path;
  query_params query;
  std::string body;  ///< sent as application/json when not empty or when the method is POST
  cache_mode cache = cache_mode::use;
};

/// Paging of list operations: `limit` caps the page; `after` or `before` (one of them) is a cursor
/// from the previous page's paging.cursors.
struct paging {
  std::optional<unsigned> limit{};
  std::string after{};
  std::string before{};
};

/// The filters of GET /clans; at least one filter is required by the API (paging is not a filter).
struct clan_search {
  std::string name{};           ///< at least 3 characters, wildcard match
  std::string war_frequency{};  ///< always, moreThanOncePerWeek, oncePerWeek, lessThanOncePerWeek, never, unknown, any
  std::optional<std::int64_t> location_id{};
  std::optional<unsigned> min_members{};
  std::optional<unsigned> max_members{};
  std::optional<std::int64_t> min_clan_points{};
  std::optional<unsigned> min_clan_level{};
  std::vector<std::int64_t> label_ids{};
  paging page{};
};

/// A location of the rankings: a numeric id (32000007) or the global rankings.
class location_ref {
 public:
  location_ref(std::int64_t id) : segment_(std::to_string(id)) {}  // NOLINT(google-explicit-constructor)
  static location_ref global() { return location_ref{std::string{"global"}}; }
  std::string const& segment() const noexcept { return segment_; }

 private:
  explicit location_ref(std::string segment) : segment_(std::move(segment)) {}
  std::string segment_;
};

class client {
 public:
  using call = boost::asio::awaitable<api_result<raw_response>>;
  /// calls, sent, cache_hits, not_modified, joined, retries, throttled.
  using stats = sdk::pipeline::stats;

  /// Throws std::invalid_argument without keys or with an unusable base URL or limiter setting.
  explicit client(client_options options);
  ~client();
  client(client const&) = delete;
  client& operator=(client const&) = delete;

  /// Sends one request through cache, single-flight, limiter and retries (from any executor).
  call send(raw_request req);
  /// A GET of `path` (relative to the base URL, segments encoded) with `query`.
  call get_raw(std::string path, query_params query = {}, cache_mode mode = cache_mode::use);

  /// Blocks until `op` (any awaitable, a call of this client or a coroutine built on its calls)
  /// is done, running it on the client's thread. Throws std::logic_error on the client's own
  /// thread, where it would wait for itself.
  template <class T>
  T wait(boost::asio::awaitable<T> op) {
    return runtime().wait(std::move(op));
  }

  /// The operations, one call each (coc/operation_list.hpp has their parameters, paths and
  /// answers): `clan(tag)`, `clan_members(tag, page)`, `league(id)`, `clan_rankings(where, page)`,
  /// `search_clans(filters)`, `verify_token(tag, token)` (POST, never cached), … A tag that cannot
  /// exist fails as invalidTag without a request.
#define OVERWORLD_COC_RAW_CALL(name, method, route, shape, query, pg, model) \
  call name(OVERWORLD_COC_PARAMS(shape, pg, OVERWORLD_COC_DEFAULT));
  OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_RAW_CALL)
#undef OVERWORLD_COC_RAW_CALL

  /// Provisions keys through the developer portal now (client_options::portal must be set) and
  /// uses them from the next request on.
  boost::asio::awaitable<api_result<key_provision>> refresh_keys();

  stats statistics() const noexcept;
  /// Requests, errors by kind, latency percentiles, cache hit rate and per-key use.
  metrics_snapshot metrics() const;
  /// The same as Prometheus text (metric names start with `prefix`).
  std::string prometheus_text(std::string_view prefix = "overworld_coc") const;
  sdk::response_cache::stats cache_statistics() const;
  std::vector<std::string> keys() const;
  std::vector<sdk::key_limiter::key_state> key_states() const;
  /// True after an inMaintenance answer, false again after the next successful one.
  bool in_maintenance() const noexcept;
  /// Forgets every cached answer.
  void clear_cache();
  client_options const& options() const noexcept;
  /// The client's own thread, as an executor: coroutines spawned there (a bot's loop, a batch)
  /// call the client without hopping between threads.
  boost::asio::any_io_executor executor() const noexcept;
  /// The thread the client runs on, and the blocking bridge to it.
  sdk::io_thread& runtime() noexcept;
  /// The request path the client is made of.
  sdk::pipeline& pipeline() noexcept;

 private:
  struct impl;
  /// Sends the request of operation `id`, or fails it when its arguments cannot be sent.
  call send_op(op id, detail::op_request request);
  std::unique_ptr<impl> impl_;
};

/// The query parameters of `page` (limit, after, before), appended to `query`.
void append_paging(query_params& query, paging const& page);

/// "?a=1&b=x%20y" (empty without parameters), names and values percent-encoded.
std::string encode_query(query_params const& query);

}  // namespace overworld::coc
