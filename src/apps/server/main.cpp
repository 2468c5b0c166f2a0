// overworld-server: the launcher, world-status and Clash of Clans sandbox APIs from one binary.
#include "admin.hpp"
#include "options.hpp"

#include <overworld/core/signals.hpp>
#include <overworld/core/version.hpp>
#include <overworld/http/standard_routes.hpp>
#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/launcher_service.hpp>
#include <overworld/server/sandbox/admin.hpp>
#include <overworld/server/sandbox/portal.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>
#include <overworld/server/world/world_service.hpp>

#include <filesystem>
#include <optional>

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>

namespace {

using namespace overworld;

struct flag_values {
  std::string config_file;
  // Set when given, even to "" (--sandbox-listen "" turns the sandbox off).
  std::optional<std::string> listen, sandbox_listen, data, log_format, log_level;
  int threads = 0;
  bool demo = false;
  bool reuse_port = false;
};

int fail(std::string const& message) {
  std::fprintf(stderr, "overworld-server: %s\n", message.c_str());
  return 2;
}

/// The dataset --demo serves: the installed copy beside the program (<prefix>/bin/.. /share/…),
/// else the source tree's (a program run from its build tree).
std::filesystem::path demo_seed_folder() {
  std::error_code ec;
  auto const program = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = program.parent_path().parent_path() / OVERWORLD_INSTALLED_SEED_DIR;
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  return OVERWORLD_SANDBOX_SEED_DIR;
}

int serve(config const& cfg, sigset_t const& signals) {
  std::string why;
  auto logging = app::logging_options(cfg, why);
  if (!logging) return fail(why);
  if (!init_logging(*logging)) return fail("log.level: unknown level '" + logging->level + "'");
  auto options = app::http_options(cfg, why);
  if (!options) return fail(why);

  auto limits = app::default_route_limits(cfg, why);
  if (!limits) return fail(why);

  std::filesystem::path const data = cfg.get("data");
  if (auto made = app::prepare_data_folder(data, why); !made) return fail(why);
  auto const demo_flag = cfg.get_bool("demo");
  if (!demo_flag) return fail("demo: expected true or false");
  bool const demo = *demo_flag;
  config effective = cfg;
  if (demo) {
    // The demo needs live districts and a reporter key a newcomer can find.
    (void)effective.set("world.simulate", "true", config_source::defaults);
    (void)effective.set("world.sillymeter.tally", "10s", config_source::defaults);  // a meter seen to move
  }
  auto reporter_key = app::persistent_key(effective.get("world.reporter_key"), data / "reporter-key", why);
  if (!reporter_key) return fail(why);
  auto world_opts = world::world_options_from(effective, why);
  if (!world_opts) return fail(why);
  world_opts->reporter_key = *reporter_key;
  if (!world_opts->history_db.empty() && world_opts->history_db.is_relative()) {
    world_opts->history_db = data / world_opts->history_db;
  }

  metrics_registry metrics;
  std::atomic<bool> stopping{false};
  auto routes = std::make_shared<http::router>();
  routes->set_default_limits(*limits);
  http::add_standard_routes(*routes, metrics, [&stopping] { return !stopping.load(); });
  std::vector<std::pair<std::string, std::shared_ptr<policy::sliding_window_limiter const>>> limiters;
  for (std::string const group : {"ttcc", "ttr"}) {
    auto limit = server::rate_limit_from_config(effective, group, why);
    if (!limit) return fail(why);
    if (*limit)
      limiters.emplace_back(group, server::add_rate_limit(*routes, group, **limit, server::ttcc_too_many_requests));
  }
  server::expose_rate_limiters(metrics, std::move(limiters));
  world::world_service world{*world_opts, clock::system(), &metrics};
  if (auto opened = world.open_history(why); !opened) return fail(why);
  world.install(*routes);

  auto launcher_opts = launcher::launcher_options_from(effective, why);
  if (!launcher_opts) return fail(why);
  launcher_opts->game_server_key = *reporter_key;
  auto launcher_db = app::open_launcher_store(effective, data, why);
  if (!launcher_db) return fail(why);
  if (demo) {
    if (auto seeded = app::seed_demo_account(**launcher_db, launcher_opts->passwords, why); !seeded) return fail(why);
  }
  launcher::launcher_service launcher{*launcher_opts, *launcher_db};
  launcher.install(*routes);
  auto files_opts = app::files_options_from(effective, data, *options, demo, why);
  if (!files_opts) return fail(why);
  std::optional<launcher::manifest_service> manifest;
  if (!files_opts->root.empty()) {
    manifest.emplace(*files_opts);
    if (auto started = manifest->start(why); !started) return fail(why);
    manifest->install(*routes);
  }

  // The admin API has a listener of its own, on loopback unless configured otherwise.
  std::optional<http::server> admin_server;
  std::optional<launcher::admin_api> admin_api;
  auto admin_routes = std::make_shared<http::router>();
  admin_routes->set_default_limits(*limits);  // http.* limits hold on every listener
  if (auto const admin_listen = effective.get("admin.listen"); !admin_listen.empty()) {
    auto address = http::listen_address::parse(admin_listen);
    if (!address) return fail("admin.listen: expected HOST:PORT, got '" + admin_listen + "'");
    auto admin_key = app::persistent_key(effective.get("admin.key"), data / "admin-key", why);
    if (!admin_key) return fail(why);
    admin_api.emplace(*launcher_db, launcher_opts->passwords, *admin_key, data / "manifest-rebuild");
    admin_api->install(*admin_routes);
    world.install_admin(*admin_routes, *admin_key);  // the silly meter
    http::server_options admin_options = *options;
    admin_options.listen = {*address};
    admin_options.threads = 1;
    admin_options.reuse_port = false;
    admin_options.name = "admin";
    admin_server.emplace(admin_options, admin_routes, &metrics);
  }

  // The CoC sandbox has a listener of its own: its portal's /api/login would clash with TTR's paths.
  std::optional<http::server> sandbox_server;
  std::unique_ptr<sandbox::sandbox_service> sandbox_api;
  std::unique_ptr<sandbox::developer_portal> sandbox_portal;
  std::unique_ptr<sandbox::sandbox_admin> sandbox_admin;
  auto sandbox_routes = std::make_shared<http::router>();
  double sandbox_opts_scale = 0;
  std::uint64_t sandbox_seed = 0;
  if (auto const sandbox_listen = effective.get("sandbox_listen"); !sandbox_listen.empty()) {
    auto address = http::listen_address::parse(sandbox_listen);
    if (!address) return fail("sandbox_listen: expected HOST:PORT, got '" + sandbox_listen + "'");
    auto sandbox_opts = sandbox::sandbox_options_from(effective, why);
    if (!sandbox_opts) return fail(why);
    std::filesystem::path folder = sandbox_opts->dataset;
    if (folder.empty() && demo) folder = demo_seed_folder();
    // One start time for the world: what is made up is made as of it, and time runs from it.
    if (sandbox_opts->time.start == 0) sandbox_opts->time.start = unix_seconds(clock::system().now());
    sandbox_opts->generate.start_time = sandbox_opts->time.start;
    std::shared_ptr<sandbox::dataset> dataset = std::make_shared<sandbox::dataset>();
    dataset->seed = sandbox_opts->seed;
    if (!folder.empty()) {
      auto loaded = sandbox::load_dataset(folder, why, sandbox_opts->seed, sandbox_opts->time.start);
      if (!loaded) return fail(why);
      dataset = std::move(*loaded);
      spdlog::info("sandbox dataset from {}", folder.string());
    }
    if (sandbox_opts->generate.clans > 0) sandbox::generate_into(*dataset, sandbox_opts->generate);
    if (demo) {
      auto demo_key = app::persistent_key("", data / "sandbox-api-key", why);
      if (!demo_key) return fail(why);
      sandbox_opts->keys[*demo_key] = {"127.0.0.1"};
    }
    sandbox_opts_scale = sandbox_opts->time.scale;
    sandbox_seed = sandbox_opts->seed;
    sandbox_api = std::make_unique<sandbox::sandbox_service>(std::move(dataset), *sandbox_opts);
    sandbox_routes->set_default_limits(*limits);
    sandbox_api->install(*sandbox_routes);
    auto portal_opts = sandbox::portal_options_from(effective, why);
    if (!portal_opts) return fail(why);
    if (demo) portal_opts->accounts.emplace("demo@example.com", "demo");
    sandbox_portal = std::make_unique<sandbox::developer_portal>(sandbox_api->keys(), *portal_opts);
    sandbox_portal->install(*sandbox_routes);
    auto sandbox_admin_key = app::persistent_key(effective.get("sandbox.admin_key"), data / "sandbox-admin-key", why);
    if (!sandbox_admin_key) return fail(why);
    sandbox_admin = std::make_unique<sandbox::sandbox_admin>(*sandbox_api, *sandbox_admin_key);
    sandbox_admin->install(*sandbox_routes);
    http::server_options sandbox_options = *options;
    sandbox_options.listen = {*address};
    sandbox_options.name = "sandbox";
    sandbox_server.emplace(sandbox_options, sandbox_routes, &metrics);
  }

  app::raise_descriptor_limit(options->max_connections + 64);
  http::server server{*options, routes, &metrics};
  if (auto started = server.start(); !started) return fail("cannot start: " + started.error().message());
  if (admin_server) {
    if (auto started = admin_server->start(); !started)
      return fail("cannot start the admin API: " + started.error().message());
    spdlog::info("admin API on http://{}/admin/v1/ (key in {})", admin_server->local_addresses().front().to_string(),
                 (data / "admin-key").string());
  }
  if (sandbox_server) {
    if (auto started = sandbox_server->start(); !started)
      return fail("cannot start the CoC sandbox: " + started.error().message());
    spdlog::info("Clash of Clans sandbox on http://{}/v1/", sandbox_server->local_addresses().front().to_string());
    if (sandbox_opts_scale > 0) {
      spdlog::info("sandbox world time runs {}x from {} (seed {})", sandbox_opts_scale, sandbox_api->world_time(),
                   sandbox_seed);
    }
    spdlog::info("sandbox admin API on http://{}/sandbox/admin/v1/ (key in {})",
                 sandbox_server->local_addresses().front().to_string(), (data / "sandbox-admin-key").string());
    if (demo) {
      spdlog::info("sandbox API key allowed from 127.0.0.1: {}", (data / "sandbox-api-key").string());
      spdlog::info("sandbox developer portal account: demo@example.com / demo (POST /api/login)");
    }
  }
  for (auto const& a : server.local_addresses()) {
    std::printf("overworld-server serving http://%s/\n", a.to_string().c_str());
  }
  world.start(server.context(0));
  if (sandbox_api) sandbox_api->start();
  for (auto const& a : server.local_addresses()) std::printf("listening on %s\n", a.to_string().c_str());
  std::fflush(stdout);
  spdlog::info("started: {} thread(s), data folder {}", options->threads, data.string());
  spdlog::info("district reporter key (also the game servers' key for token redemption): {}",
               (data / "reporter-key").string());
  if (demo) spdlog::info("launcher account for the demo: demo / demo (POST /api/v1/login/)");
  if (world_opts->simulate) {
    spdlog::info("district simulator: {} districts; open {}/ or try /api/invasions", world_opts->simulation.districts,
                 "http://" + server.local_addresses().front().to_string());
  }

  int const sig = wait_for_stop_signal(signals);
  stopping = true;
  spdlog::info("{} received: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
  world.stop();
  if (sandbox_api) sandbox_api->stop();
  if (admin_server) admin_server->shutdown();
  if (sandbox_server) sandbox_server->shutdown();
  server.shutdown();
  server.join();
  if (admin_server) admin_server->join();
  if (sandbox_server) sandbox_server->join();
  launcher.join();  // a login still hashing after the drain timeout posts to a stopped, not destroyed, loop
  world.close();
  if (sandbox_api) sandbox_api->close();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists (server, database): only the main thread may take SIGINT/SIGTERM.
  sigset_t const signals = block_stop_signals();
  CLI::App cli{"overworld-server: launcher, world-status and Clash of Clans sandbox APIs", "overworld-server"};
  flag_values flags;
  cli.add_option("--config", flags.config_file, "TOML configuration file (also OVERWORLD_CONFIG)");
  cli.add_option("--listen", flags.listen, "public API address HOST:PORT (default 127.0.0.1:8080)");
  cli.add_option("--sandbox-listen", flags.sandbox_listen,
                 "CoC sandbox address HOST:PORT (default 127.0.0.1:8081; \"\" turns the sandbox off)");
  cli.add_option("--data", flags.data, "folder for the database and state (default ./var)");
  cli.add_option("--threads", flags.threads, "server threads (default 1)")->check(CLI::Range(1, 256));
  cli.add_flag("--demo", flags.demo, "run with live demo data: district simulator and sandbox dataset");
  cli.add_flag("--reuse-port", flags.reuse_port, "one listening socket per thread (SO_REUSEPORT)");
  cli.add_option("--log-format", flags.log_format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cli.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error, critical, off");
  cli.set_version_flag("--version", version_line("overworld-server"), "print the version and git revision");
  app::admin_commands admin{cli};
  cli.footer(
      "Every option is also a config key and an OVERWORLD_* environment variable;\n"
      "precedence: defaults < config file < environment < flags.");
  try {
    cli.parse(argc, argv);
  } catch (CLI::ParseError const& e) {
    return cli.exit(e);
  }
  if (admin.requested()) {
    (void)init_logging(log_options{log_format::text, "warn", ""});  // stdout is for results (ids)
    return admin.run();
  }

  config cfg{app::server_config_schema()};
  std::string config_file = flags.config_file;
  if (config_file.empty()) {
    if (char const* env = std::getenv("OVERWORLD_CONFIG")) config_file = env;
  }
  if (!config_file.empty()) {
    std::string why;
    if (!cfg.merge_toml_file(config_file, &why)) return fail(why);
  }
  cfg.merge_environment();
  auto const set_flag = [&](char const* key, std::optional<std::string> const& value) {
    if (value) (void)cfg.set(key, *value, config_source::flag);
  };
  set_flag("listen", flags.listen);
  set_flag("sandbox_listen", flags.sandbox_listen);
  set_flag("data", flags.data);
  set_flag("log.format", flags.log_format);
  set_flag("log.level", flags.log_level);
  if (flags.threads > 0) set_flag("threads", std::to_string(flags.threads));
  if (flags.demo) set_flag("demo", "true");
  if (flags.reuse_port) set_flag("reuse_port", "true");
  return serve(cfg, signals);
}
