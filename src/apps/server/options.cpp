#include "options.hpp"

#include <overworld/server/launcher/launcher_service.hpp>
#include <overworld/server/sandbox/portal.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>
#include <overworld/server/world/world_service.hpp>
#include <overworld/store/postgres.hpp>

#include <openssl/rand.h>
#include <sys/resource.h>

#include <fstream>

namespace overworld::app {

std::vector<config_key> server_config_schema() {
  std::vector<config_key> keys{
      {"listen", "127.0.0.1:8080", "address of the public API (HOST:PORT)"},
      {"sandbox_listen", "127.0.0.1:8081", "address of the Clash of Clans sandbox (HOST:PORT)"},
      {"data", "./var", "folder for the database and other state"},
      {"threads", "1", "server threads, each with its own event loop"},
      {"demo", "false", "run the district simulator and the sandbox dataset"},
      {"reuse_port", "false", "one listening socket per thread (SO_REUSEPORT)"},
      {"log.format", "text", "log format: text or json"},
      {"log.level", "info", "trace, debug, info, warn, error, critical or off"},
      {"log.file", "", "log to this file instead of standard error"},
      {"http.idle_timeout", "30s", "how long a keep-alive connection may wait for its next request"},
      {"http.read_timeout", "10s", "how long a client may take to send a whole request"},
      {"http.write_timeout", "30s", "how long a client may take to read a response"},
      {"http.drain_timeout", "10s", "how long shutdown waits for requests in flight"},
      {"http.max_connections", "10000", "connections beyond this are closed at once"},
      {"http.max_connections_per_address", "256",
       "connections one client address may hold open; more are closed at once (0: no cap)"},
      {"http.header_limit", "8KiB", "largest request head"},
      {"http.body_limit", "1MiB", "largest request body (routes may set less)"},
      {"http.trusted_proxies", "", "CIDRs of load balancers whose X-Forwarded-For is believed"},
      {"http.proxy_protocol", "false", "expect a PROXY protocol v1/v2 header on each connection"},
      {"admin.listen", "127.0.0.1:8082", "address of the admin API (HOST:PORT; empty: none)"},
      {"admin.key", "", "Bearer key of the admin API; empty: kept in <data>/admin-key"},
      {"store.backend", "sqlite",
       "where accounts, news and settings live: sqlite (files in the data folder) or postgres"},
      {"store.postgres", "", "libpq connection string or URL of the PostgreSQL database (store.backend = postgres)"},
      {"store.postgres_pool_size", "4", "PostgreSQL connections each node may open at the most"},
      {"redis.url", "",
       "Redis shared by every node (redis://[user:password@]host:port/db or unix:///path?db=N): rate limits "
       "and game tokens; empty: kept in this process"},
  };
  for (auto& k : world::world_config_keys()) keys.push_back(std::move(k));
  for (auto& k : launcher::launcher_config_keys()) keys.push_back(std::move(k));
  for (auto& k : sandbox::sandbox_config_keys()) keys.push_back(std::move(k));
  for (auto& k : sandbox::portal_config_keys()) keys.push_back(std::move(k));
  return keys;
}

result<http::server_options> http_options(config const& cfg, std::string& why) {
  http::server_options o;
  auto listen = http::listen_address::parse(cfg.get("listen"));
  if (!listen) {
    why = "listen: expected HOST:PORT, got '" + cfg.get("listen") + "'";
    return errc::bad_config;
  }
  o.listen = {*listen};
  auto threads = cfg.get_int("threads");
  if (!threads || *threads < 1 || *threads > 256) {
    why = "threads: expected a number from 1 to 256";
    return errc::bad_config;
  }
  o.threads = static_cast<std::size_t>(*threads);
  auto const flag = [&](char const* key, bool& out) -> bool {
    auto v = cfg.get_bool(key);
    if (!v)
      why = std::string{key} + ": expected true or false";
    else
      out = *v;
    return v.has_value();
  };
  auto const duration = [&](char const* key, std::chrono::milliseconds& out) -> bool {
    auto v = cfg.get_duration(key);
    if (!v || v->count() <= 0) {
      why = std::string{key} + ": expected a duration such as 500ms, 10s or 5m";
      return false;
    }
    out = *v;
    return true;
  };
  if (!flag("reuse_port", o.reuse_port) || !flag("http.proxy_protocol", o.proxy_protocol) ||
      !duration("http.idle_timeout", o.idle_timeout) || !duration("http.write_timeout", o.write_timeout) ||
      !duration("http.drain_timeout", o.drain_timeout)) {
    return errc::bad_config;
  }
  auto max_conn = cfg.get_int("http.max_connections");
  if (!max_conn || *max_conn < 1) {
    why = "http.max_connections: expected a positive number";
    return errc::bad_config;
  }
  o.max_connections = static_cast<std::size_t>(*max_conn);
  auto per_address = cfg.get_int("http.max_connections_per_address");
  if (!per_address || *per_address < 0) {
    why = "http.max_connections_per_address: expected a number, 0 for no cap";
    return errc::bad_config;
  }
  o.max_connections_per_address = static_cast<std::size_t>(*per_address);
  auto const proxies = cfg.get_list("http.trusted_proxies");
  auto networks = http::parse_networks(proxies);
  if (!networks) {
    why = "http.trusted_proxies: expected CIDRs such as 10.0.0.0/8 or ::1";
    return errc::bad_config;
  }
  o.trusted_proxies = std::move(*networks);
  return o;
}

result<http::route_limits> default_route_limits(config const& cfg, std::string& why) {
  http::route_limits l;
  auto header = cfg.get_size("http.header_limit");
  auto body = cfg.get_size("http.body_limit");
  auto read = cfg.get_duration("http.read_timeout");
  if (!header || *header < 256 || *header > 1024ul * 1024ul) {
    why = "http.header_limit: expected a size from 256 to 1MiB, such as 8KiB";
    return errc::bad_config;
  }
  if (!body) {
    why = "http.body_limit: expected a size such as 1MiB";
    return errc::bad_config;
  }
  if (!read || read->count() <= 0) {
    why = "http.read_timeout: expected a duration such as 10s";
    return errc::bad_config;
  }
  l.header_limit = static_cast<std::size_t>(*header);
  l.body_limit = *body;
  l.read_timeout = *read;
  return l;
}

void raise_descriptor_limit(std::size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) (void)::getrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < wanted) {
    spdlog::warn(
        "open files are limited to {} (ulimit -n), less than http.max_connections allows ({}): connections "
        "beyond it wait in the listen backlog",
        lim.rlim_cur, wanted);
  }
}

result<log_options> logging_options(config const& cfg, std::string& why) {
  log_options o;
  auto format = parse_log_format(cfg.get("log.format"));
  if (!format) {
    why = "log.format: expected text or json";
    return errc::bad_config;
  }
  o.format = *format;
  o.level = cfg.get("log.level");
  o.file = cfg.get("log.file");
  return o;
}

}  // namespace overworld::app

namespace overworld::app {

result<void> prepare_data_folder(std::filesystem::path const& data, std::string& why) {
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  if (ec || !std::filesystem::is_directory(data)) {
    why = "data: cannot create folder " + data.string() + (ec ? ": " + ec.message() : "");
    return errc::io_error;
  }
  return {};
}

result<std::string> persistent_key(std::string configured, std::filesystem::path const& file, std::string& why) {
  std::string key = std::move(configured);
  if (key.empty()) {
    std::ifstream in{file};
    std::getline(in, key);
  }
  if (key.empty()) {
    unsigned char raw[24];
    if (RAND_bytes(raw, sizeof raw) != 1) {
      why = "cannot generate a key for " + file.string();
      return errc::io_error;
    }
    static constexpr char hex[] = "0123456789abcdef";
    for (unsigned char b : raw) {
      key += hex[b >> 4];
      key += hex[b & 15];
    }
  }
  // Keep the file in step with the key in use, readable by the owner only.
  std::string current;
  {
    std::ifstream in{file};
    std::getline(in, current);
  }
  if (current != key) {
    std::ofstream out{file, std::ios::trunc};
    out << key << "\n";
    if (!out) {
      why = "cannot write " + file.string();
      return errc::io_error;
    }
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  return key;
}

}  // namespace overworld::app

namespace overworld::app {

result<void> load_admin_config(config& cfg, std::string const& data, std::string const& file, std::string& why) {
  if (!file.empty() && !cfg.merge_toml_file(file, &why)) return errc::bad_config;
  cfg.merge_environment();
  (void)cfg.set("data", data, config_source::flag);
  return {};
}

result<std::optional<store::postgres_options>> shared_database(config const& cfg, std::string& why) {
  std::string const backend = cfg.get("store.backend");
  if (backend == "sqlite") return std::optional<store::postgres_options>{};
  if (backend != "postgres") {
    why = "store.backend: \"" + backend + "\" is neither sqlite nor postgres";
    return errc::bad_config;
  }
  store::postgres_options o;
  o.conninfo = cfg.get("store.postgres");
  auto const pool = cfg.get_int("store.postgres_pool_size");
  if (!pool || *pool < 1 || *pool > 1000) {
    why = "store.postgres_pool_size: a number from 1 to 1000 is required";
    return errc::bad_config;
  }
  o.pool_size = static_cast<std::size_t>(*pool);
  return std::optional<store::postgres_options>{std::move(o)};
}

result<std::shared_ptr<store::launcher_store>> open_launcher_store(config const& cfg, std::filesystem::path const& data,
                                                                   std::string& why) {
  auto shared = shared_database(cfg, why);
  if (!shared) return shared.error();
  if (*shared) {
    auto opened = store::open_postgres_launcher_store(**shared, why);
    if (!opened) return opened.error();
    return std::shared_ptr<store::launcher_store>{std::move(*opened)};
  }
  std::filesystem::path file = cfg.get("launcher.db");
  if (file.empty()) {
    why = "launcher.db: a file name is required";
    return errc::bad_config;
  }
  if (file.is_relative()) file = data / file;
  auto opened = store::open_sqlite_launcher_store(file, why);
  if (!opened) return opened.error();
  return std::shared_ptr<store::launcher_store>{std::move(*opened)};
}

result<void> seed_demo_account(store::launcher_store& db, launcher::password_policy const& policy, std::string& why) {
  if (db.find_account("demo")) return {};
  auto hash = launcher::hash_password("demo", policy);
  if (!hash || !db.create_account("demo", *hash)) {
    why = "cannot create the demo account";
    return errc::io_error;
  }
  return {};
}

}  // namespace overworld::app

namespace overworld::app {

result<launcher::files_options> files_options_from(config const& cfg, std::filesystem::path const& data,
                                                   http::server_options const& server, bool demo, std::string& why) {
  launcher::files_options o;
  o.root = cfg.get("launcher.files");
  o.serve_path = cfg.get("launcher.files_path");
  o.rebuild_trigger = data / "manifest-rebuild";
  auto poll = cfg.get_duration("launcher.files_poll");
  if (!poll || poll->count() < 10) {
    why = "launcher.files_poll: expected a duration such as 5s";
    return errc::bad_config;
  }
  o.poll = *poll;
  if (!o.serve_path.empty() && o.serve_path.front() != '/') {
    why = "launcher.files_path: must start with /";
    return errc::bad_config;
  }
  if (o.root.empty() && demo) {
    // Something for a newcomer's launcher to download.
    o.root = data / "files";
    std::error_code ec;
    for (auto const& [path, text] : {std::pair{"win32/readme.txt", "Windows files of the demo game\n"},
                                     std::pair{"game/demo.bin", "demo game binary\n"},
                                     std::pair{"darwin/readme.txt", "macOS files of the demo game\n"},
                                     std::pair{"resources/phase_3.mf", "demo resources\n"}}) {
      auto const file = o.root / path;
      if (std::filesystem::exists(file, ec)) continue;
      std::filesystem::create_directories(file.parent_path(), ec);
      std::ofstream{file} << text;
    }
  }
  o.base_url = cfg.get("launcher.files_base");
  if (o.base_url.empty() && !server.listen.empty()) {
    auto const& a = server.listen.front();
    std::string host = a.host == "0.0.0.0" || a.host == "::" ? "127.0.0.1" : a.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    std::string path = o.serve_path.empty() ? std::string{"/"} : o.serve_path;
    if (path.back() != '/') path += '/';
    // A port chosen by the system (0) is not known yet: the base is then the path alone, which
    // clients resolve against the manifest's own URL.
    o.base_url = a.port == 0 ? path : "http://" + host + ":" + std::to_string(a.port) + path;
  }
  return o;
}

}  // namespace overworld::app

namespace overworld::app {

shared_redis::~shared_redis() {
  if (client) client->stop();
  guard_.reset();
  if (thread_.joinable()) thread_.join();
  // The client's timers belong to io_: the client goes first (members are destroyed in reverse
  // order, and `client` is declared before io_).
  client.reset();
}

result<std::unique_ptr<shared_redis>> open_redis(config const& cfg, metrics_registry& metrics, std::string& why) {
  std::string const url = cfg.get("redis.url");
  if (url.empty()) return std::unique_ptr<shared_redis>{};
  auto r = std::make_unique<shared_redis>();
  store::redis_options o;
  o.url = url;
  auto client = store::redis_client::create(r->io_.get_executor(), o, why);
  if (!client) return client.error();
  r->client = std::move(*client);
  r->client->expose(metrics, "shared");
  r->client->start();
  r->thread_ = std::thread{[io = &r->io_] { io->run(); }};
  spdlog::info("shared state in Redis at {}", r->client->endpoint().describe());
  return r;
}

}  // namespace overworld::app
