// overworld-server: the launcher, world-status and Clash of Clans sandbox APIs from one binary.
#include "admin.hpp"
#include "options.hpp"
#include "services.hpp"

#include <overworld/core/log.hpp>
#include <overworld/core/metrics.hpp>
#include <overworld/core/signals.hpp>
#include <overworld/core/version.hpp>

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

/// Starts every listener, then every service; false with the reason when a listener cannot start.
bool start_all(app::server_parts& parts, metrics_registry& metrics, std::string& why) {
  for (auto& l : parts.listeners) {
    l.server = std::make_unique<http::server>(l.options, l.routes, &metrics);
    if (auto started = l.server->start(); !started) {
      why = "cannot start" + (l.what.empty() ? std::string{} : " " + l.what) + ": " + started.error().message();
      return false;
    }
    if (&l != &parts.listeners.front() && l.announce) l.announce(*l.server);
  }
  auto& api = *parts.listeners.front().server;
  for (auto const& a : api.local_addresses())
    std::printf("overworld-server serving http://%s/\n", a.to_string().c_str());
  for (auto& s : parts.services) s->start(api.context(0));
  for (auto const& a : api.local_addresses()) std::printf("listening on %s\n", a.to_string().c_str());
  std::fflush(stdout);
  return true;
}

/// The reverse of start_all: services stop, listeners drain and join, services close.
void stop_all(app::server_parts& parts) {
  for (auto it = parts.services.rbegin(); it != parts.services.rend(); ++it) (*it)->stop();
  for (auto it = parts.listeners.rbegin(); it != parts.listeners.rend(); ++it) it->server->shutdown();
  for (auto it = parts.listeners.rbegin(); it != parts.listeners.rend(); ++it) it->server->join();
  for (auto it = parts.services.rbegin(); it != parts.services.rend(); ++it) (*it)->close();
}

/// The setup the parts are built from: logging on, the data folder made, --demo's defaults applied.
result<app::server_setup> prepare(config& effective, std::string& why) {
  auto logging = app::logging_options(effective, why);
  if (!logging) return logging.error();
  if (!init_logging(*logging)) {
    why = "log.level: unknown level '" + logging->level + "'";
    return errc::bad_config;
  }
  app::server_setup setup;
  auto options = app::http_options(effective, why);
  if (!options) return options.error();
  setup.http = *options;
  auto limits = app::default_route_limits(effective, why);
  if (!limits) return limits.error();
  setup.limits = *limits;
  setup.data = effective.get("data");
  if (auto made = app::prepare_data_folder(setup.data, why); !made) return made.error();
  auto const demo = effective.get_bool("demo");
  if (!demo) {
    why = "demo: expected true or false";
    return errc::bad_config;
  }
  setup.demo = *demo;
  if (setup.demo) {
    // The demo needs live districts and a reporter key a newcomer can find.
    (void)effective.set("world.simulate", "true", config_source::defaults);
    (void)effective.set("world.sillymeter.tally", "10s", config_source::defaults);  // a meter seen to move
    setup.demo_seed = demo_seed_folder();
  }
  auto reporter_key = app::persistent_key(effective.get("world.reporter_key"), setup.data / "reporter-key", why);
  if (!reporter_key) return reporter_key.error();
  setup.reporter_key = *reporter_key;
  setup.cfg = &effective;
  return setup;
}

int serve(config const& cfg, sigset_t const& signals) {
  std::string why;
  config effective = cfg;
  auto setup = prepare(effective, why);
  if (!setup) return fail(why);
  metrics_registry metrics;
  std::atomic<bool> stopping{false};
  setup->metrics = &metrics;
  setup->stopping = &stopping;
  auto parts = app::build_server(*setup, why);
  if (!parts) return fail(why);
  app::raise_descriptor_limit(setup->http.max_connections + 64);
  if (!start_all(*parts, metrics, why)) return fail(why);
  spdlog::info("started: {} thread(s), data folder {}", setup->http.threads, setup->data.string());
  spdlog::info("district reporter key (also the game servers' key for token redemption): {}",
               (setup->data / "reporter-key").string());
  if (setup->demo) spdlog::info("launcher account for the demo: demo / demo (POST /api/v1/login/)");
  if (auto& api = parts->listeners.front(); api.announce) api.announce(*api.server);

  int const sig = wait_for_stop_signal(signals);
  stopping = true;
  spdlog::info("{} received: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
  stop_all(*parts);
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
