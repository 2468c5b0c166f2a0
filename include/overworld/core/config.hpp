// Layered configuration with one precedence order:
//   built-in defaults < TOML file < OVERWORLD_* environment variables < command-line flags.
// Keys are dotted ("log.format"); a TOML table [log] with format = "json" sets "log.format", and so does
// OVERWORLD_LOG_FORMAT=json or --log-format json. Keys are declared up front, so a misspelt key in a file
// is an error, not a silently ignored setting.
#pragma once

#include <overworld/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld {

/// Where a configuration value came from; a higher source overrides a lower one.
enum class config_source { defaults = 0, file = 1, environment = 2, flag = 3 };

/// One declared key. A key ending in ".*" declares a table of free-form keys (e.g. per-district secrets).
struct config_key {
  std::string key;
  std::string default_value;
  std::string help;
};

class config {
 public:
  explicit config(std::vector<config_key> schema);

  /// The environment variable a key maps to: OVERWORLD_ + upper case, '.' and '-' become '_'.
  static std::string env_name(std::string_view key);

  /// Merges a TOML document. Unknown keys are reported as errc::bad_config with a message in `why`.
  result<void> merge_toml_file(std::filesystem::path const& file, std::string* why = nullptr);
  result<void> merge_toml_string(std::string_view text, std::string* why = nullptr);
  /// Merges OVERWORLD_* variables for the declared keys; `getenv` is injectable for tests.
  void merge_environment(std::function<char const*(char const*)> getenv = nullptr);
  /// Sets one value if `source` is at least as strong as the one already there.
  result<void> set(std::string_view key, std::string value, config_source source);

  bool has(std::string_view key) const;
  std::string get(std::string_view key) const;  ///< empty when unset
  config_source source_of(std::string_view key) const;

  result<std::int64_t> get_int(std::string_view key) const;
  result<bool> get_bool(std::string_view key) const;
  /// Durations: "250ms", "30s", "5m", "2h", or a bare number of seconds.
  result<std::chrono::milliseconds> get_duration(std::string_view key) const;
  /// Sizes: "4KiB", "1MiB", "512", "2MB".
  result<std::uint64_t> get_size(std::string_view key) const;
  /// Comma-separated values (TOML arrays are stored this way), trimmed, empty items dropped.
  std::vector<std::string> get_list(std::string_view key) const;
  /// Every key under a declared "prefix.*" table, with the prefix removed.
  std::map<std::string, std::string> get_table(std::string_view prefix) const;

  std::vector<config_key> const& schema() const noexcept { return schema_; }

 private:
  bool declared(std::string_view key) const;

  struct entry {
    std::string value;
    config_source source;
  };
  std::vector<config_key> schema_;
  std::map<std::string, entry, std::less<>> values_;
};

/// Parsers shared by config and command-line code.
result<std::chrono::milliseconds> parse_duration(std::string_view text);
result<std::uint64_t> parse_size(std::string_view text);
result<bool> parse_bool(std::string_view text);

}  // namespace overworld
