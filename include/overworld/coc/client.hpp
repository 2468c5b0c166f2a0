// The Clash of Clans API client: every call goes through the response cache (GET only, keyed by
// the full URL, for as long as the answer's max-age says), single-flight (identical GETs in flight
// share one request), the key limiter (a key with a free token, or a wait until one has one; a key
// that got 429 is parked and the call moves on to another key) and the retry policy (idempotent
// calls, transient failures only). Answers come back as raw JSON bytes in api_result; typed models
// are built on top of this.
//
// The client owns one io_context thread where all of its work runs. The coroutine forms can be
// awaited from any executor (the work hops to the client's thread and the result comes back to the
// caller's executor); wait() is the blocking form for scripts and must not be called from the
// client's own thread. Destroy the client when no call is in flight: calls still pending are
// abandoned.
#pragma once

#include <overworld/coc/cache.hpp>
#include <overworld/coc/errors.hpp>
#include <overworld/coc/key_limiter.hpp>
#include <overworld/coc/keys.hpp>
#include <overworld/coc/metrics.hpp>
#include <overworld/coc/retry.hpp>
#include <overworld/core/clock.hpp>
#include <overworld/http/client.hpp>

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

/// One answer a call saw, for response middleware: from the wire (each try) or from the cache.
struct response_event {
  http::verb method = http::verb::get;
  std::string_view path;  ///< relative to the base URL, with the query
  unsigned status = 0;    ///< 0 when no answer came (timeout, transport error)
  unsigned attempt = 0;   ///< 1 for the first try; 0 for an answer from the cache
  bool from_cache = false;
  std::chrono::nanoseconds latency{0};
  error const* failure = nullptr;  ///< the error this answer maps to, null for a 2xx
};

/// Called on the client's thread for each HTTP request about to be sent (after the key and the
/// standard headers are set; it may add headers); must not block.
using request_hook = std::function<void(http::client_request&)>;
/// Called on the client's thread for each answer; must not block.
using response_hook = std::function<void(response_event const&)>;

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
  retry_policy retry;
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

/// A successful (2xx) answer.
struct raw_response {
  unsigned status = 0;
  std::shared_ptr<http::client_response const> response;  ///< headers and body, shared with the cache
  std::chrono::seconds max_age{0};  ///< how long the answer stays fresh from now (0: not cacheable)
  bool from_cache = false;

  std::string_view body() const noexcept { return response ? std::string_view{response->body} : std::string_view{}; }
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

  struct stats {
    std::uint64_t calls = 0;       ///< requests asked of the client
    std::uint64_t sent = 0;        ///< HTTP requests sent (tries included)
    std::uint64_t cache_hits = 0;  ///< calls answered from the cache
    std::uint64_t joined = 0;      ///< calls that shared another call's request (single-flight)
    std::uint64_t retries = 0;     ///< tries after a transient failure
    std::uint64_t throttled = 0;   ///< 429 answers (each parked a key)
  };

  /// Throws std::invalid_argument without keys or with an unusable base URL or limiter setting.
  explicit client(client_options options);
  ~client();
  client(client const&) = delete;
  client& operator=(client const&) = delete;

  /// Sends one request through cache, single-flight, limiter and retries.
  call send(raw_request req);
  /// A GET of `path` (relative to the base URL, segments encoded) with `query`.
  call get_raw(std::string path, query_params query = {}, cache_mode mode = cache_mode::use);

  /// Blocks until `op` (any call of this client) is done. Throws std::logic_error on the client's
  /// own thread, where it would wait for itself.
  api_result<raw_response> wait(call op);

  // Clans
  call search_clans(clan_search filters);
  call clan(std::string tag);
  call clan_members(std::string tag, paging page = {});
  call war_log(std::string tag, paging page = {});
  call current_war(std::string tag);
  call league_group(std::string clan_tag);  ///< the clan's Clan War League group
  call cwl_war(std::string war_tag);
  call raid_seasons(std::string tag, paging page = {});
  // Players
  call player(std::string tag);
  call verify_token(std::string tag, std::string token);  ///< POST, never cached
  call battle_log(std::string tag);
  call league_history(std::string tag);
  // Leagues
  call league_tiers(paging page = {});
  call league_tier(std::int64_t id);
  call leagues(paging page = {});
  call league(std::int64_t id);
  call league_seasons(std::int64_t league_id, paging page = {});
  call league_season_rankings(std::int64_t league_id, std::string season_id, paging page = {});
  /// A ranked league group, from the player's currentLeagueGroupTag and currentLeagueSeasonId.
  call ranked_league_group(std::string group_tag, std::string season_id, std::string player_tag = {});
  call war_leagues(paging page = {});
  call war_league(std::int64_t id);
  call capital_leagues(paging page = {});
  call capital_league(std::int64_t id);
  call builder_base_leagues(paging page = {});
  call builder_base_league(std::int64_t id);
  // Locations and rankings
  call locations(paging page = {});
  call location(std::int64_t id);
  call clan_rankings(location_ref where, paging page = {});
  call player_rankings(location_ref where, paging page = {});
  call clan_builder_base_rankings(location_ref where, paging page = {});
  call player_builder_base_rankings(location_ref where, paging page = {});
  call capital_rankings(location_ref where, paging page = {});
  // Gold pass and labels
  call gold_pass();
  call clan_labels(paging page = {});
  call player_labels(paging page = {});

  /// Provisions keys through the developer portal now (client_options::portal must be set) and
  /// uses them from the next request on.
  boost::asio::awaitable<api_result<key_provision>> refresh_keys();

  stats statistics() const noexcept;
  /// Requests, errors by kind, latency percentiles, cache hit rate and per-key use.
  metrics_snapshot metrics() const;
  /// The same as Prometheus text (metric names start with `prefix`).
  std::string prometheus_text(std::string_view prefix = "overworld_coc") const;
  response_cache::stats cache_statistics() const;
  std::vector<std::string> keys() const;
  std::vector<key_limiter::key_state> key_states() const;
  /// True after an inMaintenance answer, false again after the next successful one.
  bool in_maintenance() const noexcept;
  /// Forgets every cached answer.
  void clear_cache();
  client_options const& options() const noexcept;
  /// The client's own thread, as an executor: coroutines spawned there (a bot's loop, a batch)
  /// call the client without hopping between threads.
  boost::asio::any_io_executor executor() const noexcept;

 private:
  struct impl;
  call tag_get(std::string_view prefix, std::string_view tag, std::string_view suffix, query_params query = {});
  std::unique_ptr<impl> impl_;
};

/// The query parameters of `page` (limit, after, before), appended to `query`.
void append_paging(query_params& query, paging const& page);

/// "?a=1&b=x%20y" (empty without parameters), names and values percent-encoded.
std::string encode_query(query_params const& query);

}  // namespace overworld::coc
