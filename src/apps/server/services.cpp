#include "services.hpp"

#include "options.hpp"

#include <overworld/core/clock.hpp>
#include <overworld/core/log.hpp>
#include <overworld/http/standard_routes.hpp>
#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/files.hpp>
#include <overworld/server/launcher/launcher_service.hpp>
#include <overworld/server/sandbox/admin.hpp>
#include <overworld/server/sandbox/portal.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>
#include <overworld/server/world/world_service.hpp>

namespace overworld::app {
namespace {

/// What the builders below hand to each other.
struct build_state {
  explicit build_state(server_setup const& s) : setup(s) {}

  server_setup const& setup;
  server_parts parts;
  world::world_service* world = nullptr;
  std::shared_ptr<store::launcher_store> launcher_db;
  launcher::launcher_options launcher_opts;
  std::shared_ptr<store::redis_client> redis;  ///< redis.url's, or null: shared state stays in this process
};

/// `object` kept alive by the parts, with its lifecycle steps.
template <class T>
service_steps& add_service(build_state& b, std::shared_ptr<T> object) {
  auto steps = std::make_unique<service_steps>();
  steps->owned = std::move(object);
  auto& added = *steps;
  b.parts.services.push_back(std::move(steps));
  return added;
}

listener& add_listener(build_state& b, std::string what, std::string const& name) {
  listener l;
  l.what = std::move(what);
  l.options = b.setup.http;
  l.options.name = name;
  l.routes->set_default_limits(b.setup.limits);  // http.* limits hold on every listener
  b.parts.listeners.push_back(std::move(l));
  return b.parts.listeners.back();
}

/// The Redis of redis.url (its client on a thread of its own), first: the limiters and the
/// launcher use it, and it is closed last.
result<void> add_redis(build_state& b, std::string& why) {
  auto redis = open_redis(*b.setup.cfg, *b.setup.metrics, why);
  if (!redis) return redis.error();
  if (!*redis) return {};
  b.redis = (*redis)->client;
  add_service(b, std::shared_ptr<shared_redis>{std::move(*redis)});
  return {};
}

result<void> add_public_api(build_state& b, std::string& why) {
  auto& api = add_listener(b, "", b.setup.http.name);
  auto const& cfg = *b.setup.cfg;
  std::vector<std::pair<std::string, std::shared_ptr<server::limiter const>>> limiters;
  for (std::string const group : {"ttcc", "ttr"}) {
    auto limit = server::rate_limit_from_config(cfg, group, why);
    if (!limit) return limit.error();
    if (!*limit) continue;
    auto limiter = server::make_limiter(b.redis, group, **limit);
    server::add_rate_limit(*api.routes, group, limiter, server::ttcc_refusal);
    limiters.emplace_back(group, std::move(limiter));
  }
  server::expose_rate_limiters(*b.setup.metrics, std::move(limiters));
  return {};
}

result<void> add_world(build_state& b, std::string& why) {
  auto opts = world::world_options_from(*b.setup.cfg, why);
  if (!opts) return opts.error();
  opts->reporter_key = b.setup.reporter_key;
  if (!opts->history_db.empty() && opts->history_db.is_relative()) opts->history_db = b.setup.data / opts->history_db;
  // store.backend = "postgres": the history moves there too (world.history_db = "" still turns it off).
  auto shared = shared_database(*b.setup.cfg, why);
  if (!shared) return shared.error();
  if (!opts->history_db.empty()) opts->history_postgres = std::move(*shared);
  auto world = std::make_shared<world::world_service>(*opts, clock::system(), b.setup.metrics);
  if (auto opened = world->open_history(why); !opened) return opened.error();
  // redis.url set: a report accepted by any node is in every node's snapshot at its next tick.
  if (b.redis) world->share(std::make_shared<world::shared_reports>(b.redis, opts->tracking.max_districts));
  world->install(*b.parts.listeners.front().routes);
  b.world = world.get();
  auto& steps = add_service(b, world);
  steps.on_start = [w = world.get()](boost::asio::io_context& loop) { w->start(loop); };
  steps.on_stop = [w = world.get()] { w->stop(); };
  steps.on_close = [w = world.get()] { w->close(); };
  if (opts->simulate) {
    auto const districts = opts->simulation.districts;
    auto& api = b.parts.listeners.front();
    auto const previous = std::move(api.announce);
    api.announce = [districts, previous](http::server& s) {
      if (previous) previous(s);
      spdlog::info("district simulator: {} districts; open http://{}/ or try /api/invasions", districts,
                   s.local_addresses().front().to_string());
    };
  }
  return {};
}

result<void> add_launcher(build_state& b, std::string& why) {
  auto const& cfg = *b.setup.cfg;
  auto opts = launcher::launcher_options_from(cfg, why);
  if (!opts) return opts.error();
  opts->game_server_key = b.setup.reporter_key;
  auto db = open_launcher_store(cfg, b.setup.data, why);
  if (!db) return db.error();
  if (b.setup.demo) {
    if (auto seeded = seed_demo_account(**db, opts->passwords, why); !seeded) return seeded.error();
  }
  auto launcher = std::make_shared<launcher::launcher_service>(*opts, *db);
  if (b.redis) {
    launcher->share_login_limiter(server::make_limiter(b.redis, "login", opts->per_account));
    launcher->share_game_tokens(std::make_shared<launcher::redis_game_tokens>(b.redis, "game", opts->token_lifetime));
    launcher->share_two_step_tokens(
        std::make_shared<launcher::redis_game_tokens>(b.redis, "two_step", opts->two_step_lifetime));
  }
  launcher->install(*b.parts.listeners.front().routes);
  launcher->expose(*b.setup.metrics);
  // A login still hashing after the drain timeout posts to a stopped, not destroyed, loop.
  add_service(b, launcher).on_close = [l = launcher.get()] { l->join(); };
  b.launcher_db = *db;
  b.launcher_opts = std::move(*opts);

  auto files = files_options_from(cfg, b.setup.data, b.setup.http, b.setup.demo, why);
  if (!files) return files.error();
  if (files->root.empty()) return {};
  auto manifest = std::make_shared<launcher::manifest_service>(*files);
  if (auto started = manifest->start(why); !started) return started.error();
  manifest->install(*b.parts.listeners.front().routes);
  add_service(b, manifest);
  return {};
}

/// The admin API has a listener of its own, on loopback unless configured otherwise.
result<void> add_admin_api(build_state& b, std::string& why) {
  auto const& cfg = *b.setup.cfg;
  auto const listen = cfg.get("admin.listen");
  if (listen.empty()) return {};
  auto address = http::listen_address::parse(listen);
  if (!address) {
    why = "admin.listen: expected HOST:PORT, got '" + listen + "'";
    return errc::bad_config;
  }
  auto key = persistent_key(cfg.get("admin.key"), b.setup.data / "admin-key", why);
  if (!key) return key.error();
  auto api = std::make_shared<launcher::admin_api>(b.launcher_db, b.launcher_opts.passwords, *key,
                                                   b.setup.data / "manifest-rebuild");
  auto& admin = add_listener(b, "the admin API", "admin");
  admin.options.listen = {*address};
  admin.options.threads = 1;
  admin.options.reuse_port = false;
  api->install(*admin.routes);
  b.world->install_admin(*admin.routes, *key);  // the silly meter
  admin.announce = [key_file = (b.setup.data / "admin-key").string()](http::server& s) {
    spdlog::info("admin API on http://{}/admin/v1/ (key in {})", s.local_addresses().front().to_string(), key_file);
  };
  add_service(b, api);
  return {};
}

/// The sandbox's dataset: the configured folder (the one installed beside the program for --demo),
/// then the generated clans.
result<std::shared_ptr<sandbox::dataset>> sandbox_dataset(build_state const& b, sandbox::sandbox_options const& opts,
                                                          std::string& why) {
  std::filesystem::path folder = opts.dataset;
  if (folder.empty() && b.setup.demo) folder = b.setup.demo_seed;
  auto dataset = std::make_shared<sandbox::dataset>();
  dataset->seed = opts.seed;
  if (!folder.empty()) {
    auto loaded = sandbox::load_dataset(folder, why, opts.seed, opts.time.start);
    if (!loaded) return loaded.error();
    dataset = std::move(*loaded);
    spdlog::info("sandbox dataset from {}", folder.string());
  }
  if (opts.generate.clans > 0) sandbox::generate_into(*dataset, opts.generate);
  return dataset;
}

/// The CoC sandbox has a listener of its own: its portal's /api/login would clash with TTR's paths.
/// With redis.url: the sandbox's keys (a copy on each node, refreshed from Redis) and its
/// throttle, shared by every node. Null without Redis.
std::shared_ptr<sandbox::redis_keys> share_sandbox(build_state& b, sandbox::sandbox_service& api,
                                                   sandbox::sandbox_options const& opts) {
  if (!b.redis) return nullptr;
  auto keys = std::make_shared<sandbox::redis_keys>(b.redis, api.keys(),
                                                    sandbox::shared_key_options{opts.key_refresh, opts.key_lookups});
  api.share_keys(keys);
  keys->expose(*b.setup.metrics);
  if (opts.throttle) api.share_throttle(server::make_limiter(b.redis, "sandbox", *opts.throttle));
  return keys;
}

/// With redis.url: the developer portal's sessions, login limit and keys, shared by every node.
void share_portal(build_state& b, sandbox::developer_portal& portal, sandbox::portal_options const& o,
                  std::shared_ptr<sandbox::redis_keys> keys) {
  portal.share_sessions(std::make_shared<sandbox::redis_portal_sessions>(b.redis, o.session, o.max_sessions));
  portal.share_login_limiter(server::make_limiter(b.redis, "portal_login", o.login_limit));
  portal.share_keys(std::move(keys));
}

/// The sandbox listener's log lines once it listens: where it is, and the demo's key and account.
std::function<void(http::server&)> sandbox_announce(build_state const& b, sandbox::sandbox_service& api,
                                                    sandbox::sandbox_options const& opts) {
  return [api = &api, scale = opts.time.scale, seed = opts.seed, data = b.setup.data,
          demo = b.setup.demo](http::server& s) {
    auto const at = s.local_addresses().front().to_string();
    spdlog::info("Clash of Clans sandbox on http://{}/v1/", at);
    if (scale > 0) spdlog::info("sandbox world time runs {}x from {} (seed {})", scale, api->world_time(), seed);
    spdlog::info("sandbox admin API on http://{}/sandbox/admin/v1/ (key in {})", at,
                 (data / "sandbox-admin-key").string());
    if (demo) {
      spdlog::info("sandbox API key allowed from 127.0.0.1: {}", (data / "sandbox-api-key").string());
      spdlog::info("sandbox developer portal account: demo@example.com / demo (POST /api/login)");
    }
  };
}

result<void> add_sandbox(build_state& b, std::string& why) {
  auto const& cfg = *b.setup.cfg;
  auto const listen = cfg.get("sandbox_listen");
  if (listen.empty()) return {};
  auto address = http::listen_address::parse(listen);
  if (!address) {
    why = "sandbox_listen: expected HOST:PORT, got '" + listen + "'";
    return errc::bad_config;
  }
  auto opts = sandbox::sandbox_options_from(cfg, why);
  if (!opts) return opts.error();
  // One start time for the world: what is made up is made as of it, and time runs from it.
  if (opts->time.start == 0) opts->time.start = unix_seconds(clock::system().now());
  opts->generate.start_time = opts->time.start;
  auto data = sandbox_dataset(b, *opts, why);
  if (!data) return data.error();
  if (b.setup.demo) {
    auto demo_key = persistent_key("", b.setup.data / "sandbox-api-key", why);
    if (!demo_key) return demo_key.error();
    opts->keys[*demo_key] = {"127.0.0.1"};
  }
  auto& sb = add_listener(b, "the CoC sandbox", "sandbox");
  sb.options.listen = {*address};
  auto api = std::make_shared<sandbox::sandbox_service>(std::move(*data), *opts);
  auto shared_keys = share_sandbox(b, *api, *opts);
  api->install(*sb.routes);
  auto portal_opts = sandbox::portal_options_from(cfg, why);
  if (!portal_opts) return portal_opts.error();
  if (b.setup.demo) portal_opts->accounts.emplace("demo@example.com", "demo");
  auto portal = std::make_shared<sandbox::developer_portal>(api->keys(), *portal_opts);
  if (b.redis) share_portal(b, *portal, *portal_opts, shared_keys);
  portal->install(*sb.routes);
  auto admin_key = persistent_key(cfg.get("sandbox.admin_key"), b.setup.data / "sandbox-admin-key", why);
  if (!admin_key) return admin_key.error();
  auto admin = std::make_shared<sandbox::sandbox_admin>(*api, *admin_key);
  admin->install(*sb.routes);
  sb.announce = sandbox_announce(b, *api, *opts);
  auto& steps = add_service(b, api);
  steps.on_start = [a = api.get(), k = shared_keys](boost::asio::io_context& loop) {
    a->start();
    if (k) k->start(loop.get_executor());
  };
  steps.on_stop = [a = api.get(), k = shared_keys] {
    a->stop();
    if (k) k->stop();
  };
  steps.on_close = [a = api.get(), k = shared_keys] {
    a->close();
    if (k) k->close();
  };
  add_service(b, portal);
  add_service(b, admin);
  return {};
}

/// /healthz on the public API: draining once shutdown begins; with Redis, whether it is up and
/// whether the world's snapshot is fresh or stale (the node serving its last one).
void add_health(build_state& b) {
  auto const* stopping = b.setup.stopping;
  auto health = [stopping, redis = b.redis, world = b.world] {
    http::health_report h{!stopping->load(), {}};
    if (redis) h.checks.emplace_back("redis", redis->connected() ? "up" : "unreachable");
    if (world && redis) h.checks.emplace_back("world", world->stale() ? "stale" : "fresh");
    return h;
  };
  http::add_standard_routes(*b.parts.listeners.front().routes, *b.setup.metrics, std::move(health));
}

}  // namespace

result<server_parts> build_server(server_setup const& setup, std::string& why) {
  build_state b{setup};
  for (auto const& step : {add_redis, add_public_api, add_world, add_launcher, add_admin_api, add_sandbox}) {
    if (auto built = step(b, why); !built) return built.error();
  }
  add_health(b);
  return std::move(b.parts);
}

}  // namespace overworld::app
