// Logging: spdlog behind one set-up call, as text for people or JSON lines for log shippers.
#pragma once

#include <overworld/core/error.hpp>

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace overworld {

enum class log_format { text, json };

struct log_options {
  log_format format = log_format::text;
  std::string level = "info";  ///< trace, debug, info, warn, error, critical, off
  std::string file;            ///< empty: standard error
};

/// Installs the default logger. Returns errc::bad_config for an unknown level or format.
result<void> init_logging(log_options const& options);
result<log_format> parse_log_format(std::string_view text);

/// Escapes a string for a JSON string literal (no surrounding quotes).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace overworld
