// overworld-server's settings: the declared configuration keys and how they become server options.
#pragma once

#include <overworld/core/config.hpp>
#include <overworld/core/log.hpp>
#include <overworld/http/router.hpp>
#include <overworld/http/server.hpp>
#include <overworld/server/launcher/files.hpp>
#include <overworld/server/launcher/passwords.hpp>
#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>
#include <overworld/store/redis.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace overworld::app {

/// Every key overworld-server understands, with its default and help text.
std::vector<config_key> server_config_schema();

/// Options of the public HTTP server from a loaded configuration; `why` explains a bad value.
result<http::server_options> http_options(config const& cfg, std::string& why);
/// Limits of routes that set none of their own (http.header_limit, http.body_limit, http.read_timeout).
result<http::route_limits> default_route_limits(config const& cfg, std::string& why);
result<log_options> logging_options(config const& cfg, std::string& why);

/// Every connection holds a descriptor: raises the soft RLIMIT_NOFILE to the hard limit, and warns
/// when even that is below `wanted` (the connections a listener allows, and some for files).
void raise_descriptor_limit(std::size_t wanted);

/// Creates the data folder if needed (errc::io_error with `why` when it cannot).
result<void> prepare_data_folder(std::filesystem::path const& data, std::string& why);

/// A secret from the config value `configured` if set, else the one kept in `file`, else a new
/// random one written there (mode 0600). Used for the reporter key and the admin key.
result<std::string> persistent_key(std::string configured, std::filesystem::path const& file, std::string& why);

/// The configuration an admin command works with: the server's keys, then `file` (if not
/// empty), the environment, and `data` as if given by --data.
result<void> load_admin_config(config& cfg, std::string const& data, std::string const& file, std::string& why);

/// The PostgreSQL database of store.postgres when store.backend is "postgres", nullopt for
/// "sqlite"; errc::bad_config with `why` for another backend or a bad pool size.
result<std::optional<store::postgres_options>> shared_database(config const& cfg, std::string& why);
/// The launcher store at launcher.db (relative to the data folder).
result<std::shared_ptr<store::launcher_store>> open_launcher_store(config const& cfg, std::filesystem::path const& data,
                                                                   std::string& why);
/// The Redis every node shares (redis.url), its client on a thread of its own; connects in the
/// background and again after each loss. Stops the client and the thread when destroyed.
class shared_redis {
 public:
  shared_redis() = default;
  ~shared_redis();
  shared_redis(shared_redis const&) = delete;
  shared_redis& operator=(shared_redis const&) = delete;
  std::shared_ptr<store::redis_client> client;

 private:
  friend result<std::unique_ptr<shared_redis>> open_redis(config const&, metrics_registry&, std::string&);
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ = boost::asio::make_work_guard(io_);
  std::thread thread_;
};
/// nullptr when redis.url is empty; errc::bad_config with `why` for a URL that cannot be read.
result<std::unique_ptr<shared_redis>> open_redis(config const& cfg, metrics_registry& metrics, std::string& why);

/// The account demo / demo, created when missing.
result<void> seed_demo_account(store::launcher_store& db, launcher::password_policy const& policy, std::string& why);

/// Where the game files are and how they are announced; with --demo and no folder configured, a
/// small sample folder is made under the data folder.
result<launcher::files_options> files_options_from(config const& cfg, std::filesystem::path const& data,
                                                   http::server_options const& server, bool demo, std::string& why);

}  // namespace overworld::app
