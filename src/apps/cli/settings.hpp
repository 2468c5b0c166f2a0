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

/// What stdout gets (-o): a table for people, or the data for programs.
enum class output_format { table, json, jsonl, csv, yaml };

/// The APIs `overworld` speaks to; each has its own base URL.
enum class api { coc, ttr, ttcc };

/// Flags given on the command line (empty or false: not given).
struct global_flags {
  std::string config_file;
  std::string base_url;  ///< overrides the base URL of whichever API the command talks to
  std::string timeout;
  std::vector<std::string> coc_keys;
  std::string coc_key_file;
  std::string coc_email;
  std::string portal_url;
  std::string profile;  ///< --profile NAME: ~/.config/overworld/NAME.toml
  std::string output;   ///< -o table|json|jsonl|csv|yaml
  std::string fields;   ///< --fields a,b,c
  std::string color;    ///< --color always|never|auto
  bool json = false;
  bool no_color = false;
  bool verbose = false;
  bool no_pager = false;
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
  std::string ttr_password;    ///< for ttr login; asked on standard input when empty
  std::chrono::milliseconds timeout{30'000};
  output_format output = output_format::table;
  std::vector<std::string> fields;  ///< --fields: only these fields of each item
  bool json = false;                ///< output is json or jsonl (commands with their own JSON use it)
  bool color = true;                ///< colour is allowed (it is still used only on a terminal without NO_COLOR)
  /// --color always, color = "always" or FORCE_COLOR: colour even when piped.
  bool force_color = false;
  bool verbose = false;               ///< -v: log each HTTP exchange on stderr
  bool pager = true;                  ///< long tables through $PAGER on a terminal
  std::vector<std::string> warnings;  ///< printed on stderr before the command runs

  std::string const& base_url(api which) const noexcept;
};

/// `o` with the command line's timeout: for the whole request, each read, and the connection.
http::client_options with_timeouts(http::client_options o, settings const& s);

/// Every key of the config file, with its default and help text.
std::vector<config_key> cli_config_schema();

using getenv_function = std::function<char const*(char const*)>;

/// The config file to read: --config, else OVERWORLD_CLI_CONFIG, else the profile's
/// $XDG_CONFIG_HOME/overworld/NAME.toml (--profile, OVERWORLD_PROFILE), else
/// $XDG_CONFIG_HOME/overworld/cli.toml (or under ~/.config) when it exists, or always when not
/// `existing` (where `config set` writes); empty: none.
std::filesystem::path config_file_path(global_flags const& flags, getenv_function const& getenv, bool existing = true);

/// Every key's value from defaults, file, environment and flags (errc::bad_config with `why`).
result<config> load_config(global_flags const& flags, std::string& why, getenv_function getenv = nullptr);

/// Settings from defaults, file, environment and flags; errc::bad_config with `why` when a value is wrong.
result<settings> load_settings(global_flags const& flags, std::string& why, getenv_function getenv = nullptr);

}  // namespace overworld::cli
