#include <overworld/server/sandbox/sandbox_service.hpp>

#include "handlers.hpp"
#include "simulation.hpp"

#include <overworld/server/sandbox/shared_keys.hpp>

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace overworld::sandbox {

namespace {

// A request that finds the world behind steps it for at most this long, then answers from what is
// published: the calendar's thread does the rest.
constexpr std::chrono::milliseconds request_budget{5};

}  // namespace

/// The calendar's own thread: it keeps the world up to its clock without holding an io thread.
struct sandbox_service::calendar_thread {
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;
};

sandbox_service::sandbox_service(std::shared_ptr<dataset const> data, sandbox_options options, clock const& time)
    : options_(std::move(options)),
      clock_(time),
      origin_ms_(unix_millis(time.now())),
      keys_(),
      maintenance_(options_.maintenance),
      faults_(options_.faults) {
  if (!data) data = std::make_shared<dataset const>();
  if (options_.time.start == 0) options_.time.start = data->made_at != 0 ? data->made_at : origin_ms_ / 1000;
  stepped_ = options_.time.start;
  simulation_ = std::make_unique<detail::simulation>();
  history_.push_back({options_.time.start, std::move(data)});
  if (options_.throttle) limiter_ = std::make_unique<policy::sliding_window_limiter>(*options_.throttle, time);
  std::size_t n = 0;
  for (auto const& [key, cidrs] : options_.keys) {
    api_key k;
    k.id = "configured-" + std::to_string(++n);
    k.name = "configured";
    k.key = key;
    k.cidrs = cidrs;
    if (!keys_.add(std::move(k))) throw std::invalid_argument("sandbox key with a bad CIDR");
  }
}

sandbox_service::~sandbox_service() { close(); }

std::int64_t sandbox_service::world_millis() const {
  auto const elapsed = static_cast<double>(unix_millis(clock_.now()) - origin_ms_);
  return options_.time.start * 1000 + static_cast<std::int64_t>(elapsed * options_.time.scale);
}

std::int64_t sandbox_service::world_time() const {
  auto const ms = world_millis();
  return ms / 1000 - (ms % 1000 < 0);
}

bool sandbox_service::in_maintenance() const {
  if (maintenance_) return true;
  auto const every = options_.time.maintenance_every.count();
  if (every <= 0) return false;
  auto const since = world_time() - options_.time.start;
  return since >= every && since % every < options_.time.maintenance_length.count();
}

void sandbox_service::set_dataset(std::shared_ptr<dataset const> data) {
  std::lock_guard writer{writer_};
  auto const now = world_time();
  simulation_ = std::make_unique<detail::simulation>();
  stepped_ = now;
  std::lock_guard lock{data_mutex_};
  history_.assign(1, published{now, std::move(data)});
}

void sandbox_service::publish(std::shared_ptr<dataset const> data, std::int64_t at) {
  std::lock_guard lock{data_mutex_};
  history_.push_back({at, std::move(data)});
  if (!moving()) {
    history_.erase(history_.begin(), history_.end() - 1);
    return;
  }
  // Keep what a cache window can still show: for each lifetime, the dataset of its window's
  // start; later windows start later, and see the newest.
  auto const now = std::max(at, world_time());
  std::vector<published> kept;
  for (auto const ttl : detail::cache_lifetimes) {
    auto const start = now - (now % ttl + ttl) % ttl;
    auto it = std::upper_bound(history_.begin(), history_.end(), start,
                               [](std::int64_t t, published const& p) { return t < p.at; });
    if (it != history_.begin()) --it;
    if (kept.empty() || kept.back().at < it->at || kept.back().data != it->data) {
      if (std::none_of(kept.begin(), kept.end(), [&](published const& p) { return p.data == it->data; })) {
        kept.push_back(*it);
      }
    }
  }
  if (kept.empty() || kept.back().data != history_.back().data) kept.push_back(history_.back());
  std::sort(kept.begin(), kept.end(), [](published const& a, published const& b) { return a.at < b.at; });
  history_ = std::move(kept);
}

sandbox_service::published sandbox_service::as_of(std::int64_t ttl, std::int64_t now) const {
  std::lock_guard lock{data_mutex_};
  if (!moving()) return {now, history_.back().data};
  auto const start = now - (now % ttl + ttl) % ttl;
  auto it = std::upper_bound(history_.begin(), history_.end(), start,
                             [](std::int64_t t, published const& p) { return t < p.at; });
  if (it != history_.begin()) --it;
  return {start, it->data};
}

bool sandbox_service::change(std::function<bool(dataset&)> const& edit) {
  std::lock_guard writer{writer_};
  if (moving()) advance_locked();
  // The copy is made from the newest dataset, which the history keeps alive until the edit is
  // done (cow.hpp relies on it).
  auto const head = data();
  auto copy = std::make_shared<dataset>(*head);
  if (!edit(*copy)) return false;
  publish(std::move(copy), moving() ? world_time() : options_.time.start);
  return true;
}

std::shared_ptr<dataset const> sandbox_service::data() const {
  std::lock_guard lock{data_mutex_};
  return history_.back().data;
}

void sandbox_service::advance() {
  if (!moving()) return;
  std::lock_guard writer{writer_};
  advance_locked();
}

bool sandbox_service::advance_locked(std::optional<std::chrono::nanoseconds> budget) {
  auto const target = world_time();
  auto const until = budget ? std::optional{clock_.steady_now() + *budget} : std::nullopt;
  // One step per world minute, each applying what happens in (from, to].
  while (stepped_ < target) {
    auto const to = std::min(target, stepped_ - (stepped_ % 60 + 60) % 60 + 60);
    if (to == stepped_) break;
    auto const head = data();
    auto copy = std::make_shared<dataset>(*head);
    if (simulation_->step(*copy, stepped_, to)) publish(std::move(copy), to);
    stepped_ = to;
    if (until && clock_.steady_now() >= *until) return stepped_ >= target;
  }
  return true;
}

void sandbox_service::start() {
  if (!moving() || calendar_) return;
  calendar_ = std::make_unique<calendar_thread>();
  calendar_->thread = std::thread{[this] { run_calendar(); }};
}

void sandbox_service::run_calendar() {
  // A world minute, in real time, but at least every 50 ms and at most every second.
  auto const period =
      std::chrono::milliseconds{static_cast<std::int64_t>(std::clamp(60'000.0 / options_.time.scale, 50.0, 1000.0))};
  auto& c = *calendar_;
  std::unique_lock lock{c.mutex};
  while (!c.stopping) {
    lock.unlock();
    bool caught_up = false;
    {
      std::lock_guard writer{writer_};
      // In slices, so that a change from the admin API waits for one slice at most.
      caught_up = advance_locked(std::chrono::milliseconds{50});
    }
    lock.lock();
    if (caught_up) c.wake.wait_for(lock, period, [&c] { return c.stopping; });
  }
}

void sandbox_service::stop() {
  if (!calendar_) return;
  std::lock_guard lock{calendar_->mutex};
  calendar_->stopping = true;
  calendar_->wake.notify_all();
}

void sandbox_service::close() {
  if (!calendar_) return;
  stop();
  if (calendar_->thread.joinable()) calendar_->thread.join();
  calendar_.reset();
}

std::optional<http::response> sandbox_service::check_key(http::request const& req, std::string_view& key,
                                                         bool& unknown) const {
  unknown = false;
  if (!options_.check_keys) {
    key = req.header("Authorization").value_or(req.client_address);
    return std::nullopt;
  }
  auto const auth = req.header("Authorization");
  if (!auth || !auth->starts_with("Bearer ")) return detail::error(403, "accessDenied", "Invalid authorization");
  key = auth->substr(7);
  switch (keys_.check(key, req.client_address)) {
    case key_registry::access::unknown_key:
      unknown = true;
      return detail::error(403, "accessDenied", "Invalid authorization");
    case key_registry::access::wrong_address:
      return detail::error(
          403, "accessDenied.invalidIp",
          "Invalid authorization: API key does not allow access from IP " + std::string{req.client_address});
    case key_registry::access::allowed:
      break;
  }
  return std::nullopt;
}

namespace {

http::response throttled() {
  return detail::error(429, "requestThrottled",
                       "Request was throttled, because amount of requests was above the threshold defined for the "
                       "used API token.");
}

/// A shared store (keys, throttle) cannot be asked: refused, never let through.
http::response store_unavailable() {
  auto r = detail::error(503, "serviceUnavailable", "The sandbox cannot reach its shared store. Try again shortly.");
  r.header("Retry-After", std::to_string(server::unavailable_retry_after));
  return r;
}

http::response maintenance_answer() {
  return detail::error(503, "inMaintenance", "Service is temporarily unavailable because of maintenance.");
}

}  // namespace

std::optional<http::response> sandbox_service::admit(http::request const& req) {
  std::string_view key;
  bool unknown = false;
  if (auto refused = check_key(req, key, unknown)) return refused;
  if (limiter_ && !limiter_->check(key).allowed) return throttled();
  if (in_maintenance()) return maintenance_answer();
  return std::nullopt;
}

boost::asio::awaitable<std::optional<http::response>> sandbox_service::admit_shared(http::request req) {
  std::string_view key;
  bool unknown = false;
  auto refused = check_key(req, key, unknown);
  if (refused && unknown && lookup_) {
    // A key made on another node since the last refresh: asked once, then in the registry.
    auto const found = co_await lookup_->find(std::string{key});
    if (!found) co_return store_unavailable();
    if (*found) refused = check_key(req, key, unknown);
  }
  if (refused) co_return refused;
  if (shared_throttle_) {
    auto const d = co_await shared_throttle_->check(std::string{key});
    if (!d) co_return store_unavailable();
    if (!d->allowed) co_return throttled();
  } else if (limiter_ && !limiter_->check(key).allowed) {
    co_return throttled();
  }
  if (in_maintenance()) co_return maintenance_answer();
  co_return std::nullopt;
}

std::optional<http::response> sandbox_service::before_admission(fault const& f) {
  if (f.drop) {
    http::response dropped;
    dropped.drop = true;
    return dropped;
  }
  if (f.error_status) return fault_response(f.error_status);
  if (moving()) {
    // The request brings the world up to date unless a step is already running elsewhere.
    std::unique_lock writer{writer_, std::try_to_lock};
    if (writer) advance_locked(request_budget);
  }
  return std::nullopt;
}

http::response sandbox_service::answer(handler_fn handler, std::int64_t ttl, http::request const& req) {
  auto const world_ms = world_millis();
  auto const shown = as_of(ttl, moving() ? world_ms / 1000 : options_.time.start);
  detail::cache_timer const cache{clock_, options_.time.scale, world_ms};
  return handler(detail::call{*shown.data, req, shown.at, cache});
}

http::response sandbox_service::serve(handler_fn handler, std::int64_t ttl, http::request const& req) {
  auto const f = faults_.next();
  auto early = before_admission(f);
  if (!early) early = admit(req);
  auto r = early ? std::move(*early) : answer(handler, ttl, req);
  r.delay = f.latency;  // the session holds the answer back; the io thread stays free
  return r;
}

boost::asio::awaitable<http::response> sandbox_service::serve_shared(handler_fn handler, std::int64_t ttl,
                                                                     http::request req) {
  auto const f = faults_.next();
  auto early = before_admission(f);
  if (!early) early = co_await admit_shared(req);
  auto r = early ? std::move(*early) : answer(handler, ttl, req);
  r.delay = f.latency;
  co_return r;
}

void sandbox_service::install(http::router& routes) {
  routes.set_error_format("/v1/", [](unsigned status, std::string_view message) {
    char const* reason = status == 404 || status == 405 ? "notFound" : status < 500 ? "badRequest" : "unknownException";
    return detail::error(status, reason, message);
  });
  struct entry {
    http::verb method;
    char const* pattern;
    detail::handler_fn fn;
    std::int64_t ttl;  ///< seconds an answer is cached (detail::cache_lifetimes)
  };
  using http::verb;
  static constexpr entry table[] = {
      {verb::get, "/v1/clans", detail::search_clans, 60},
      {verb::get, "/v1/clans/{clanTag}", detail::get_clan, 120},
      {verb::get, "/v1/clans/{clanTag}/members", detail::get_members, 120},
      {verb::get, "/v1/clans/{clanTag}/warlog", detail::get_warlog, 120},
      {verb::get, "/v1/clans/{clanTag}/currentwar", detail::get_current_war, 120},
      {verb::get, "/v1/clans/{clanTag}/currentwar/leaguegroup", detail::get_league_group, 600},
      {verb::get, "/v1/clanwarleagues/wars/{warTag}", detail::get_cwl_war, 600},
      {verb::get, "/v1/clans/{clanTag}/capitalraidseasons", detail::get_raid_seasons, 120},
      {verb::get, "/v1/players/{playerTag}", detail::get_player, 60},
      {verb::post, "/v1/players/{playerTag}/verifytoken", detail::verify_token, 60},
      {verb::get, "/v1/players/{playerTag}/battlelog", detail::get_battlelog, 60},
      {verb::get, "/v1/players/{playerTag}/leaguehistory", detail::get_league_history, 300},
      {verb::get, "/v1/leaguetiers", detail::list_league_tiers, 600},
      {verb::get, "/v1/leaguetiers/{leagueTierId}", detail::get_league_tier, 600},
      {verb::get, "/v1/leagues", detail::list_leagues, 600},
      {verb::get, "/v1/leagues/{leagueId}", detail::get_league, 600},
      {verb::get, "/v1/leagues/{leagueId}/seasons", detail::list_league_seasons, 600},
      {verb::get, "/v1/leagues/{leagueId}/seasons/{seasonId}", detail::get_league_season, 3600},
      {verb::get, "/v1/leaguegroup/{leagueGroupTag}/{leagueSeasonId}", detail::get_ranked_group, 300},
      {verb::get, "/v1/warleagues", detail::list_war_leagues, 600},
      {verb::get, "/v1/warleagues/{leagueId}", detail::get_war_league, 600},
      {verb::get, "/v1/capitalleagues", detail::list_capital_leagues, 600},
      {verb::get, "/v1/capitalleagues/{leagueId}", detail::get_capital_league, 600},
      {verb::get, "/v1/builderbaseleagues", detail::list_builder_base_leagues, 600},
      {verb::get, "/v1/builderbaseleagues/{leagueId}", detail::get_builder_base_league, 600},
      {verb::get, "/v1/locations", detail::list_locations, 60},
      {verb::get, "/v1/locations/{locationId}", detail::get_location, 600},
      {verb::get, "/v1/locations/{locationId}/rankings/clans", detail::clan_rankings, 60},
      {verb::get, "/v1/locations/{locationId}/rankings/players", detail::player_rankings, 60},
      {verb::get, "/v1/locations/{locationId}/rankings/clans-builder-base", detail::clan_builder_base_rankings, 60},
      {verb::get, "/v1/locations/{locationId}/rankings/players-builder-base", detail::player_builder_base_rankings, 60},
      {verb::get, "/v1/locations/{locationId}/rankings/capitals", detail::capital_rankings, 600},
      {verb::get, "/v1/goldpass/seasons/current", detail::gold_pass, 60},
      {verb::get, "/v1/labels/clans", detail::clan_labels, 60},
      {verb::get, "/v1/labels/players", detail::player_labels, 60},
  };
  static_assert(std::size(table) == 35, "the CoC API has 35 operations");
  for (auto const& e : table) {
    http::route_options o;
    o.group = "coc";
    o.limits = routes.default_limits();
    o.limits->body_limit = e.method == verb::post ? 4 * 1024 : 0;
    // Faults first (a slow or broken network comes before the API), then keys and throttling.
    auto const fn = e.fn;
    auto const ttl = e.ttl;
    if (shared_throttle_ || lookup_) {
      routes.add(e.method, e.pattern,
                 http::async_handler{[this, fn, ttl](http::request req) { return serve_shared(fn, ttl, req); }}, o);
    } else {
      routes.add(e.method, e.pattern,
                 http::sync_handler{[this, fn, ttl](http::request const& req) { return serve(fn, ttl, req); }}, o);
    }
  }
}

}  // namespace overworld::sandbox
