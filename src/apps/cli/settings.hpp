// What `overworld` runs with: built-in defaults < TOML config file < OVERWORLD_* environment
// variables < flags, through core's layered configuration (the same order as overworld-server).
#pragma once

#include <overworld/core/config.hpp>
#include <overworld/http/client.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace overworld::cli {

/// The APIs `overworld` speaks to; each has its own base URL.
enum class api { coc, ttr, ttcc };

/// Flags given on the command line (empty or false: not given).
struct global_flags {
  std::string config_file;
  std::string base_url;  ///< overrides the base URL of whichever API the command talks to
  std::string timeout;
  std::vector<std::string> coc_keys;
  std::string coc_email;
  std::string portal_url;
  bool json = false;
  bool no_color = false;
};

struct settings {
  std::string coc_base_url;
  std::string ttr_base_url;
  std::string ttcc_base_url;
  std::vector<std::string> coc_keys;
  std::string coc_email;  ///< developer portal account (coc keys)
  std::string coc_password;
  std::string coc_portal_url;  ///< derived from coc_base_url when not configured
  std::string ttcc_password;   ///< for ttcc login; asked on standard input when empty
  std::chrono::milliseconds timeout{30'000};
  bool json = false;
  bool color = true;  ///< colour is allowed (it is still used only on a terminal without NO_COLOR)

  std::string const& base_url(api which) const noexcept;
};

/// `o` with the command line's timeout: for the whole request, each read, and the connection.
http::client_options with_timeouts(http::client_options o, settings const& s);

/// Every key of the config file, with its default and help text.
std::vector<config_key> cli_config_schema();

using getenv_function = std::function<char const*(char const*)>;

/// The config file to read: --config, else OVERWORLD_CLI_CONFIG, else
/// $XDG_CONFIG_HOME/overworld/cli.toml (or ~/.config/overworld/cli.toml) when it exists; empty: none.
std::filesystem::path config_file_path(global_flags const& flags, getenv_function const& getenv);

/// Settings from defaults, file, environment and flags; errc::bad_config with `why` when a value is wrong.
result<settings> load_settings(global_flags const& flags, std::string& why, getenv_function getenv = nullptr);

}  // namespace overworld::cli
