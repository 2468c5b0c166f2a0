#include <overworld/server/common/secrets.hpp>
#include <overworld/server/world/world_service.hpp>

#include "json_error.hpp"
#include "status_assets.hpp"

#include <overworld/core/log.hpp>
#include <overworld/http/helpers.hpp>
#include <overworld/server/common/rate_limit.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <charconv>

namespace overworld::world {

namespace asio = boost::asio;

std::vector<config_key> world_config_keys() {
  std::vector<config_key> keys{
      {"world.tick", "1s", "how often a new snapshot is published"},
      {"world.offline_after", "30s", "a district silent this long is shown offline"},
      {"world.drop_after", "5m", "a district silent this long is forgotten"},
      {"world.max_districts", "1000", "districts tracked at once; a report from a new one beyond is refused (422)"},
      {"world.reporter_key", "", "shared key district servers send as 'Authorization: Bearer KEY'"},
      {"world.district_secrets.*", "", "per-district keys: [world.district_secrets] \"Name\" = \"key\""},
      {"world.districts", "", "districts allowed to report besides those with a secret (comma-separated)"},
      {"world.allow_unknown_districts", "true",
       "accept reports (with the shared key) from districts not named in world.districts or world.district_secrets"},
      {"world.open", "true", "TTR /api/status open, TTCC production_closed"},
      {"world.banner", "", "maintenance banner"},
      {"world.version", "v1.0.0", "game version for TTCC game_info"},
      {"world.simulate", "false", "feed the tracker from the district simulator"},
      {"world.simulated_districts", "12", "districts of the simulator"},
      {"world.max_population", "100000", "largest population a report may claim"},
      {"world.heartbeat", "15s", "Server-Sent Events heartbeat on /api/v2/invasions/stream"},
      {"world.history_db", "world.sqlite",
       "SQLite file of ended invasions, relative to the data folder (empty: none); with store.backend = postgres "
       "the history is there instead"},
      {"world.sillymeter.max_hp", "5000000", "Silly Meter: the hp at which the leading team wins"},
      {"world.sillymeter.tally", "1m", "Silly Meter: how often reported silly points are added to hp"},
      {"world.sillymeter.reward", "48h", "Silly Meter: how long the winning team's reward lasts"},
      {"world.sillymeter.inactive", "24h", "Silly Meter: the cool-down before the meter fills again"},
      {"world.status_page", "true", "serve the live status page at / and /status"},
  };
  for (auto& k : server::rate_limit_config_keys("ttcc", "10", "60s")) keys.push_back(std::move(k));
  for (auto& k : server::rate_limit_config_keys("ttr", "0", "60s")) keys.push_back(std::move(k));
  return keys;
}

result<world_options> world_options_from(config const& cfg, std::string& why) {
  world_options o;
  auto tick = cfg.get_duration("world.tick");
  auto offline = cfg.get_duration("world.offline_after");
  auto drop = cfg.get_duration("world.drop_after");
  if (!tick || tick->count() < 10) {
    why = "world.tick: expected a duration of at least 10ms";
    return errc::bad_config;
  }
  if (!offline || !drop || offline->count() <= 0 || *drop < *offline) {
    why = "world.offline_after / world.drop_after: expected durations with drop_after >= offline_after";
    return errc::bad_config;
  }
  auto max_districts = cfg.get_int("world.max_districts");
  if (!max_districts || *max_districts < 1 || *max_districts > 100'000) {
    why = "world.max_districts: expected 1 to 100000";
    return errc::bad_config;
  }
  o.tracking.max_districts = static_cast<std::size_t>(*max_districts);
  o.tick = *tick;
  o.tracking.offline_after = *offline;
  o.tracking.drop_after = *drop;
  o.reporter_key = cfg.get("world.reporter_key");
  o.district_secrets = cfg.get_table("world.district_secrets");
  for (auto& name : cfg.get_list("world.districts")) o.districts.insert(std::move(name));
  auto open = cfg.get_bool("world.open");
  auto simulate = cfg.get_bool("world.simulate");
  auto allow_unknown = cfg.get_bool("world.allow_unknown_districts");
  auto count = cfg.get_int("world.simulated_districts");
  auto max_pop = cfg.get_int("world.max_population");
  if (!open || !simulate || !allow_unknown) {
    why = "world.open / world.simulate / world.allow_unknown_districts: expected true or false";
    return errc::bad_config;
  }
  if (!count || *count < 1 || *count > 200) {
    why = "world.simulated_districts: expected 1 to 200";
    return errc::bad_config;
  }
  if (!max_pop || *max_pop < 1) {
    why = "world.max_population: expected a positive number";
    return errc::bad_config;
  }
  auto heartbeat = cfg.get_duration("world.heartbeat");
  if (!heartbeat || heartbeat->count() < 100) {
    why = "world.heartbeat: expected a duration of at least 100ms";
    return errc::bad_config;
  }
  o.heartbeat = *heartbeat;
  auto max_hp = cfg.get_int("world.sillymeter.max_hp");
  auto tally = cfg.get_duration("world.sillymeter.tally");
  auto reward = cfg.get_duration("world.sillymeter.reward");
  auto inactive = cfg.get_duration("world.sillymeter.inactive");
  if (!max_hp || *max_hp < 1 || *max_hp > 1'000'000'000) {
    why = "world.sillymeter.max_hp: expected 1 to 1000000000";
    return errc::bad_config;
  }
  if (!tally || !reward || !inactive || tally->count() < 1000 || reward->count() < 1000 || inactive->count() < 1000) {
    why = "world.sillymeter.tally / reward / inactive: expected durations of at least 1s";
    return errc::bad_config;
  }
  o.silly.max_hp = *max_hp;
  o.silly.tally = std::chrono::duration_cast<std::chrono::seconds>(*tally);
  o.silly.reward = std::chrono::duration_cast<std::chrono::seconds>(*reward);
  o.silly.inactive = std::chrono::duration_cast<std::chrono::seconds>(*inactive);
  auto status_page = cfg.get_bool("world.status_page");
  if (!status_page) {
    why = "world.status_page: expected true or false";
    return errc::bad_config;
  }
  o.status_page = *status_page;
  o.history_db = cfg.get("world.history_db");
  o.game.open = *open;
  o.game.banner = cfg.get("world.banner");
  o.game.version = cfg.get("world.version");
  o.allow_unknown_districts = *allow_unknown;
  o.simulate = *simulate;
  o.simulation.districts = static_cast<std::size_t>(*count);
  o.limits.max_population = *max_pop;
  return o;
}

struct world_service::timers {
  asio::steady_timer tick;
  asio::steady_timer sim;
  explicit timers(asio::io_context& ioc) : tick(ioc), sim(ioc) {}
};

world_service::world_service(world_options options, clock const& time, metrics_registry* metrics)
    : options_(std::move(options)),
      clock_(time),
      metrics_(metrics),
      tracker_(options_.tracking, time),
      silly_(options_.silly, time),
      events_(std::make_shared<event_ring>(options_.event_history)) {
  if (options_.simulate) {
    auto sim = options_.simulation;
    if (sim.silly_teams.empty()) {
      for (auto const& t : options_.silly.teams) sim.silly_teams.push_back(t.name);
    }
    simulator_.emplace(sim, time);
    simulator_->start_invasions(options_.simulation.districts / 2);
    for (auto const& [name, report] : simulator_->step(0)) apply(name, report);
  }
  publish();
  if (metrics_) {
    metrics_id_ = metrics_->add([this](std::string& out) {
      auto const snap = current();
      render_help(out, "overworld_world_reports_total", "counter", "District reports, by outcome.");
      render_sample(out, "overworld_world_reports_total", "outcome=\"accepted\"", reports_accepted_.value());
      render_sample(out, "overworld_world_reports_total", "outcome=\"rejected\"", reports_rejected_.value());
      render_help(out, "overworld_world_districts", "gauge", "Districts known to the tracker.");
      render_sample(out, "overworld_world_districts", "", static_cast<std::uint64_t>(tracker_.size()));
      render_help(out, "overworld_world_stale", "gauge",
                  "1 while the shared district reports cannot be reached (the last snapshot is served).");
      render_sample(out, "overworld_world_stale", "", static_cast<std::uint64_t>(stale_.load()));
      render_help(out, "overworld_world_snapshot_sequence", "counter", "Snapshots published.");
      render_sample(out, "overworld_world_snapshot_sequence", "", snap ? snap->sequence : 0);
    });
  }
}

world_service::~world_service() {
  if (history_) history_->flush();
  if (metrics_) metrics_->remove(metrics_id_);
}

std::shared_ptr<snapshot const> world_service::current() const {
  std::lock_guard lock{current_mutex_};
  return current_;
}

bool world_service::apply(std::string const& district, district_report const& report) {
  return apply(district, report, clock_.now());
}

bool world_service::apply(std::string const& district, district_report const& report, clock::wall_time at) {
  if (!tracker_.apply(district, report, at)) return false;
  silly_.report(district, report.silly);
  return true;
}

void world_service::publish() {
  auto const previous = current();
  silly_.advance();
  auto views = tracker_.collect();
  events_->append(diff_views(last_views_, views));
  auto ended = ends_.update(last_views_, views, unix_seconds(clock_.now()));
  if (history_) history_->record(std::move(ended));
  auto const next = clock_.steady_now() + options_.tick;
  if (history_) {
    if (auto meter = silly_.saved(); meter != meter_saved_) {
      history_->save_meter(meter);
      meter_saved_ = std::move(meter);
    }
  }
  auto fresh = build_snapshot(views, options_.game, clock_.now(), next, previous.get(), silly_.json());
  if (previous) {
    // Game-wide bodies that changed are events too, their data the body as served.
    std::vector<world_event> changed;
    for (auto [e, type] : {std::pair{endpoint::ttr_fieldoffices, "fieldoffices.changed"},
                           std::pair{endpoint::ttr_sillymeter, "sillymeter.changed"}}) {
      if (fresh->get(e).etag != previous->get(e).etag) changed.push_back({0, type, *fresh->get(e).body});
    }
    events_->append(std::move(changed));
  }
  swap_in(std::move(fresh));
  last_views_ = std::move(views);
}

void world_service::swap_in(std::shared_ptr<snapshot const> fresh) {
  std::lock_guard lock{current_mutex_};
  current_.swap(fresh);
}

result<void> world_service::open_history(std::string& why) {
  if (!options_.history_postgres && options_.history_db.empty()) return {};
  auto h = options_.history_postgres ? open_postgres_history(*options_.history_postgres, why)
                                     : open_sqlite_history(options_.history_db, why);
  if (!h) return h.error();
  history_ = std::move(*h);
  if (auto meter = history_->load_meter(); meter && silly_.restore(*meter)) {
    meter_saved_ = *meter;
    spdlog::info("silly meter restored: {}, hp {}", to_string(meter->state), meter->hp);
  }
  publish();
  return {};
}

boost::asio::awaitable<http::response> world_service::history_page(http::request req) {
  if (!history_) co_return http::response::json(503, R"({"error":"invasion history is not enabled"})");
  std::int64_t limit = 50;
  std::optional<std::int64_t> before;
  auto const number = [](std::string const& text, std::int64_t& out) {
    auto const [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && p == text.data() + text.size();
  };
  if (auto l = req.query_param("limit")) {
    if (!number(*l, limit) || limit < 1 || limit > 200) {
      co_return http::response::json(400, R"({"error":"limit must be from 1 to 200"})");
    }
  }
  if (auto b = req.query_param("before")) {
    std::int64_t id = 0;
    if (!number(*b, id) || id < 1)
      co_return http::response::json(400, R"({"error":"before must be a cursor from next"})");
    before = id;
  }
  auto page = co_await history_->page(limit, before);
  if (!page) {
    // The database cannot be reached (a PostgreSQL outage) or is damaged: ask again in a moment.
    auto r = http::response::json(503, R"({"error":"invasion history is unavailable"})");
    r.header("Retry-After", "5");
    r.header("Cache-Control", "no-store");
    r.header("Access-Control-Allow-Origin", "*");
    co_return r;
  }
  std::string body = to_json(*page);
  std::string const etag = http::make_etag(body);
  auto const inm = req.header("If-None-Match");
  http::response r{200};
  if (inm && http::etag_matches(*inm, etag)) {
    r.status = 304;
  } else {
    r = http::response::json(200, std::move(body));
  }
  r.header("ETag", etag);
  r.header("Access-Control-Allow-Origin", "*");
  // Ended invasions are written at the tick, so a page is as fresh as the snapshot.
  r.header("Cache-Control", cache_control(*current()));
  co_return r;
}

http::response world_service::stream(http::request const& req) const {
  std::uint64_t after = events_->last_id();
  auto resume = req.header("Last-Event-ID");
  std::optional<std::string> query;
  if (!resume) {
    query = req.query_param("lastEventId");  // EventSource polyfills that cannot set headers
    if (query) resume = *query;
  }
  if (resume) {
    std::uint64_t id = 0;
    auto const [p, ec] = std::from_chars(resume->data(), resume->data() + resume->size(), id);
    if (ec != std::errc{} || p != resume->data() + resume->size()) {
      return http::response::json(400, R"({"error":"Last-Event-ID must be an event id"})");
    }
    after = id;
  }
  http::response r{200};
  r.content_type = "text/event-stream";
  r.header("Cache-Control", "no-cache");
  r.header("Access-Control-Allow-Origin", "*");
  r.header("X-Accel-Buffering", "no");  // nginx in front must not buffer the stream
  r.stream = make_event_stream(events_, after, options_.heartbeat);
  return r;
}

void world_service::start(asio::io_context& ioc) {
  timers_ = std::make_unique<timers>(ioc);
  publish();
  // The loop may already be running on other threads: the timers are armed, like they are
  // re-armed and cancelled, only on the loop's own thread.
  asio::post(ioc, [this] { arm_timers(); });
}

void world_service::arm_timers() {
  // Plain completion handlers, not coroutines: two timers, no captures beyond `this`.
  struct stepper {
    world_service* self;
    void operator()(boost::system::error_code ec) const {
      if (ec || self->stopped_ || !self->timers_) return;
      auto const step = std::chrono::duration<double>(self->options_.simulation_step).count();
      for (auto const& [name, report] : self->simulator_->step(step)) self->apply(name, report);
      self->timers_->sim.expires_after(self->options_.simulation_step);
      self->timers_->sim.async_wait(*this);
    }
  };
  if (!timers_ || stopped_) return;
  arm_tick();
  if (simulator_) {
    timers_->sim.expires_after(options_.simulation_step);
    timers_->sim.async_wait(stepper{this});
  }
}

void world_service::arm_tick() {
  if (!timers_ || stopped_) return;
  timers_->tick.expires_after(options_.tick);
  timers_->tick.async_wait([this](boost::system::error_code ec) { on_tick(ec); });
}

void world_service::on_tick(boost::system::error_code ec) {
  if (ec || stopped_ || !timers_) return;
  if (!shared_) {
    publish();
    arm_tick();
    return;
  }
  // The shared reports are read from Redis first; the next tick is armed once this one is done.
  asio::co_spawn(timers_->tick.get_executor(), refresh(), [this](std::exception_ptr const&) { arm_tick(); });
}

void world_service::stop() {
  // A tick already due runs even after cancel(): the flag stops it from re-arming.
  stopped_ = true;
  if (history_) history_->flush();
  if (!timers_) return;
  // The timers belong to the loop's thread: cancel them there.
  asio::post(timers_->tick.get_executor(), [t = timers_.get()] {
    t->tick.cancel();
    t->sim.cancel();
  });
}

void world_service::close() {
  timers_.reset();
  if (history_) history_->flush();
}

http::response world_service::serve(endpoint e, http::request const& req) const {
  auto const snap = current();
  auto const& p = snap->get(e);
  std::string const cache = cache_control(*snap);
  auto const inm = req.header("If-None-Match");
  if (inm && http::etag_matches(*inm, p.etag)) {
    http::response r{304};
    r.shared_headers = p.headers;
    r.header("Cache-Control", cache);
    return r;
  }
  http::response r{200};
  r.content_type = "application/json";
  r.shared_body = p.body;
  r.shared_headers = p.headers;
  r.header("Cache-Control", cache);
  return r;
}

std::string world_service::cache_control(snapshot const& snap) const {
  auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(snap.next - clock_.steady_now());
  auto const max_age = std::max<std::int64_t>(0, (left.count() + 999) / 1000);
  return "public, max-age=" + std::to_string(max_age);
}

bool world_service::known(std::string const& district) const {
  return options_.allow_unknown_districts || options_.districts.contains(district) ||
         options_.district_secrets.contains(district);
}

bool world_service::authorised(std::string const& district, http::request const& req) const {
  auto const key = server::bearer_token(req);
  if (server::same_secret(key, options_.reporter_key)) return true;
  auto it = options_.district_secrets.find(district);
  return it != options_.district_secrets.end() && server::same_secret(key, it->second);
}

world_service::checked_report world_service::check_report(std::string const& name, http::request const& req) {
  checked_report out;
  auto const refuse = [&](http::response r) {
    reports_rejected_.inc();
    out.refusal = std::move(r);
    return std::move(out);
  };
  if (!valid_district_name(name, options_.limits.max_name_length))
    return refuse(json_error(400, "invalid district name"));
  if (!authorised(name, req)) {
    http::response r = json_error(401, "missing or wrong reporter key");
    r.header("WWW-Authenticate", "Bearer");
    return refuse(std::move(r));
  }
  // Checked after the key, so that only reporters learn which districts exist.
  if (!known(name)) return refuse(json_error(404, "unknown district"));
  auto const type = req.header("Content-Type").value_or("");
  if (!type.starts_with("application/json")) return refuse(json_error(415, "reports are application/json"));
  std::string why;
  auto report = parse_report(req.body, options_.limits, unix_seconds(clock_.now()), why);
  if (!report) return refuse(json_error(report.error() == errc::parse_error ? 400 : 422, why));
  out.report = std::move(*report);
  return out;
}

http::response world_service::too_many_districts() {
  reports_rejected_.inc();
  return json_error(422, "too many districts: at most " + std::to_string(options_.tracking.max_districts) +
                             " are tracked (world.max_districts)");
}

http::response world_service::applied(std::string const& name, district_report const& report, clock::wall_time at) {
  if (!apply(name, report, at)) return too_many_districts();
  reports_accepted_.inc();
  return http::response::json(200, "{\"accepted\":true}");
}

http::response world_service::accept_report(http::request const& req) {
  std::string const name{req.param("name")};
  auto checked = check_report(name, req);
  if (!checked.report) return std::move(checked.refusal);
  return applied(name, *checked.report, clock_.now());
}

void world_service::install(http::router& routes) {
  struct get_route {
    char const* path;
    endpoint e;
    char const* group;
  };
  static constexpr get_route gets[] = {
      {"/api/invasions", endpoint::ttr_invasions, "ttr"},
      {"/api/population", endpoint::ttr_population, "ttr"},
      {"/api/status", endpoint::ttr_status, "ttr"},
      {"/api/v1/districts/", endpoint::ttcc_districts_v1, "ttcc"},
      {"/api/v1/districts", endpoint::ttcc_districts_v1, "ttcc"},
      {"/api/v1/districts.js", endpoint::ttcc_districts_js, "ttcc"},
      {"/api/v1/game_info.js", endpoint::ttcc_game_info, "ttcc"},
      {"/api/v2/districts", endpoint::v2_districts, "overworld"},
      {"/api/v2/invasions", endpoint::v2_invasions, "overworld"},
      {"/api/fieldoffices", endpoint::ttr_fieldoffices, "ttr"},
      {"/api/sillymeter", endpoint::ttr_sillymeter, "ttr"},
      {"/api/doodles", endpoint::ttr_doodles, "ttr"},
  };
  for (auto const& g : gets) {
    http::route_options o;
    o.group = g.group;
    o.limits = routes.default_limits();
    o.limits->body_limit = 0;
    routes.get(g.path, http::sync_handler{[this, e = g.e](http::request const& req) { return serve(e, req); }}, o);
  }
  http::route_options streaming;
  streaming.group = "overworld";
  streaming.limits = routes.default_limits();
  streaming.limits->body_limit = 0;
  routes.get("/api/v2/invasions/stream", http::sync_handler{[this](http::request const& req) { return stream(req); }},
             streaming);

  routes.get("/api/v2/invasions/history", http::async_handler{[this](http::request req) { return history_page(req); }},
             streaming);

  if (options_.status_page) install_status_page(routes);

  http::route_options report;
  report.group = "internal";
  report.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{64} * 1024, std::chrono::seconds{10}};
  if (shared_) {
    routes.post("/internal/v1/districts/{name}/report",
                http::async_handler{[this](http::request req) { return accept_shared(std::move(req)); }}, report);
  } else {
    routes.post("/internal/v1/districts/{name}/report",
                http::sync_handler{[this](http::request const& req) { return accept_report(req); }}, report);
  }
}

}  // namespace overworld::world
