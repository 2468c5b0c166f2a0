// Builds what overworld-server runs from its configuration: every listener with its routes and
// every service, in the order they start. Stores are chosen here, in one place.
#pragma once

#include "service.hpp"

#include <overworld/core/config.hpp>
#include <overworld/core/metrics.hpp>

#include <atomic>
#include <filesystem>
#include <string>

namespace overworld::app {

/// What the parts are built from besides the configuration.
struct server_setup {
  config const* cfg = nullptr;  ///< with --demo's defaults applied
  std::filesystem::path data;
  bool demo = false;
  std::filesystem::path demo_seed;  ///< the dataset --demo serves
  std::string reporter_key;
  http::server_options http;  ///< the public listener's; the others start from it
  http::route_limits limits;  ///< http.* limits, on every listener
  metrics_registry* metrics = nullptr;
  std::atomic<bool> const* stopping = nullptr;  ///< /readyz answers 503 once set
};

/// The public API (world status, launcher, files), the admin API and the CoC sandbox as the
/// configuration asks. On failure `why` says what is wrong.
result<server_parts> build_server(server_setup const& setup, std::string& why);

}  // namespace overworld::app
