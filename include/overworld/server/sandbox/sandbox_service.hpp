// The Clash of Clans sandbox: the 35 operations of the CoC v1 API under /v1, served from a
// dataset, with the real API's keys and IP allow-lists, throttling, maintenance, errors and
// Cache-Control, and injected faults; plus the developer portal's key management under /api.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/core/config.hpp>
#include <overworld/http/proxy.hpp>
#include <overworld/http/router.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/common/limiter.hpp>
#include <overworld/server/sandbox/dataset.hpp>
#include <overworld/server/sandbox/faults.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace overworld::sandbox {

/// An API key as the developer portal lists it.
struct api_key {
  std::string id;
  std::string developer_id;
  std::string name;
  std::string description;
  std::string key;                 ///< what clients send as "Authorization: Bearer KEY"
  std::vector<std::string> cidrs;  ///< as given ("127.0.0.1", "10.0.0.0/8"); empty: any address
  std::vector<http::ip_network> networks;
  std::int64_t created = 0;  ///< unix milliseconds (keys made by the portal), for the order of lists
};

/// Parses the key's CIDRs into its networks; errc::bad_config for one that does not parse.
result<void> parse_networks(api_key& key);

/// The keys the sandbox accepts. Thread-safe.
class key_registry {
 public:
  /// Adds a key; errc::bad_config when a CIDR does not parse.
  result<void> add(api_key key);
  /// Adds a key unless its developer already has `max_per_developer` (checked and added under one
  /// lock, so concurrent creates never pass the limit): errc::too_large then.
  result<void> add_limited(api_key key, std::size_t max_per_developer);
  bool revoke(std::string_view id);
  /// Adds `key`, or replaces the one with the same key text (a mirror of shared keys).
  result<void> put(api_key key);
  /// Makes the portal's keys (those with a developer) exactly `keys`; configured keys stay. Keys
  /// whose CIDRs do not parse are left out.
  void replace_portal_keys(std::vector<api_key> keys);
  std::optional<api_key> find(std::string_view key) const;
  enum class access { unknown_key, wrong_address, allowed };
  /// Whether `key` may be used from `client` (checked in place: nothing is copied per request).
  access check(std::string_view key, std::string_view client) const;
  std::vector<api_key> list(std::string_view developer_id = {}) const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<api_key> keys_;
};

/// A key shaped like the portal's JWTs (header.payload.signature), whose payload names the CIDRs
/// in limits[].cidrs as the real ones do; the signature part is random.
std::string mint_key(std::string const& developer_id, std::vector<std::string> const& cidrs);

/// How the world's time runs. World time = start + (time since the service started) × scale.
struct time_options {
  double scale = 0;        ///< world seconds per real second; 0: the world stands still at `start`
  std::int64_t start = 0;  ///< unix seconds the world starts at; 0: when it was made (dataset::made_at), or now
  /// Maintenance breaks in world time: from start + every, every `every`, for `length`; 0: none.
  std::chrono::seconds maintenance_every{0}, maintenance_length{0};
};

struct sandbox_options {
  /// With redis.url: how often each node's mirror of the portal's keys is refreshed, and how
  /// many unknown keys it may look up in Redis between two refreshes.
  std::chrono::milliseconds key_refresh{1000};
  std::size_t key_lookups = 1000;
  std::optional<policy::rate_limit> throttle;            ///< per key; nullopt: never throttled
  bool check_keys = true;                                ///< false: any or no Authorization is accepted
  bool maintenance = false;                              ///< every /v1 request answers 503 inMaintenance
  std::map<std::string, std::vector<std::string>> keys;  ///< key -> CIDRs it is allowed from
  std::filesystem::path dataset;                         ///< folder of recorded responses; empty: none
  generator_options generate{0};                         ///< clans to generate beside the recorded ones
  fault_options faults;                                  ///< injected into /v1 from the start
  std::uint64_t seed = 1;                                ///< of everything made up
  time_options time;
};

namespace detail {
struct call;
class simulation;
}  // namespace detail

class key_lookup;

/// Keys under sandbox.* and ratelimit.sandbox.* that the service reads (and sandbox.admin_key,
/// which the program reads for the sandbox_admin it installs).
std::vector<config_key> sandbox_config_keys();
result<sandbox_options> sandbox_options_from(config const& cfg, std::string& why);

class sandbox_service {
 public:
  sandbox_service(std::shared_ptr<dataset const> data, sandbox_options options, clock const& time = clock::system());
  ~sandbox_service();
  sandbox_service(sandbox_service const&) = delete;
  sandbox_service& operator=(sandbox_service const&) = delete;

  /// Before install(): the per-key throttle shared by every node (server::make_limiter); when it
  /// cannot be asked, /v1 answers 503, never unthrottled.
  void share_throttle(std::shared_ptr<server::limiter> throttle) { shared_throttle_ = std::move(throttle); }
  /// Before install(): where a key the registry does not know is looked up (keys made on other
  /// nodes) before the 403; when it cannot be asked, /v1 answers 503.
  void share_keys(std::shared_ptr<key_lookup> lookup) { lookup_ = std::move(lookup); }

  /// Registers the /v1 routes (group "coc") and their error format. Call before the server starts.
  /// With a shared throttle or key lookup the handlers are coroutines; else plain functions.
  void install(http::router& routes);
  /// When the world's time moves, runs its calendar on a thread of its own as time passes
  /// (requests also step a world that is behind, for a few milliseconds at most, so a sandbox
  /// without the thread still moves).
  void start();
  /// Asks the calendar's thread to stop; safe from any thread.
  void stop();
  /// Stops and joins the calendar's thread (the destructor does too).
  void close();

  key_registry& keys() noexcept { return keys_; }
  void set_maintenance(bool on) noexcept { maintenance_ = on; }
  bool maintenance() const noexcept { return maintenance_; }
  /// Whether /v1 answers 503 inMaintenance now: switched on, or in a scheduled break.
  bool in_maintenance() const;
  /// Swaps in a new dataset; requests in flight finish with the old one. The calendar goes on
  /// from now with the new one.
  void set_dataset(std::shared_ptr<dataset const> data);
  /// The newest dataset (what the next cache window will show).
  std::shared_ptr<dataset const> data() const;
  /// Runs `edit` on a copy of the dataset and swaps the copy in when it returns true, so that
  /// readers see all of a change or none of it. Changes run one at a time, after the calendar has
  /// caught up with the world's time; the copy shares every piece `edit` does not touch.
  bool change(std::function<bool(dataset&)> const& edit);

  /// The world's time (unix seconds).
  std::int64_t world_time() const;
  /// World seconds per real second (0: the world stands still).
  double time_scale() const noexcept { return options_.time.scale; }
  /// Brings the world up to its time: each world minute's events, in order.
  void advance();

  /// The faults of /v1 requests (initially sandbox_options::faults).
  fault_injector& faults() noexcept { return faults_; }

 private:
  struct calendar_thread;
  struct published {
    std::int64_t at;  ///< world time
    std::shared_ptr<dataset const> data;
  };
  using handler_fn = http::response (*)(detail::call const&);
  /// The 403 of a request without a key it may use; `key` is set to what the throttle counts,
  /// `unknown` when the registry does not know the key.
  std::optional<http::response> check_key(http::request const& req, std::string_view& key, bool& unknown) const;
  std::optional<http::response> admit(http::request const& req);
  boost::asio::awaitable<std::optional<http::response>> admit_shared(http::request req);
  /// The injected fault's answer, if the fault is one; else the world is stepped if it is behind.
  std::optional<http::response> before_admission(fault const& f);
  http::response answer(handler_fn handler, std::int64_t ttl, http::request const& req);
  http::response serve(handler_fn handler, std::int64_t ttl, http::request const& req);
  boost::asio::awaitable<http::response> serve_shared(handler_fn handler, std::int64_t ttl, http::request req);
  void publish(std::shared_ptr<dataset const> data, std::int64_t at);
  /// Steps the world towards its time, for at most `budget` of the service clock's steady time
  /// (at least one step; none: until it is there). Whether it got there.
  bool advance_locked(std::optional<std::chrono::nanoseconds> budget = std::nullopt);
  void run_calendar();
  std::int64_t world_millis() const;
  /// The dataset an answer cached for `ttl` seconds shows at world time `now`: the one of the
  /// start of its cache window.
  published as_of(std::int64_t ttl, std::int64_t now) const;
  bool moving() const noexcept { return options_.time.scale > 0; }

  std::mutex writer_;  // held by change(), set_dataset() and the calendar's steps
  mutable std::mutex data_mutex_;
  std::vector<published> history_;  // oldest first; only what a cache window can still show
  sandbox_options options_;
  clock const& clock_;
  std::int64_t origin_ms_;  // the service clock when the world started
  std::int64_t stepped_;    // world time the calendar has reached
  std::unique_ptr<detail::simulation> simulation_;
  key_registry keys_;
  std::unique_ptr<policy::sliding_window_limiter> limiter_;
  std::shared_ptr<server::limiter> shared_throttle_;
  std::shared_ptr<key_lookup> lookup_;
  std::atomic<bool> maintenance_;
  fault_injector faults_;
  std::unique_ptr<calendar_thread> calendar_;
};

}  // namespace overworld::sandbox
