// Routes every Overworld server has: /healthz for load balancers and /metrics for Prometheus.
#pragma once

#include <overworld/core/metrics.hpp>
#include <overworld/http/router.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace overworld::http {

/// What /healthz says of a server.
struct health_report {
  bool serving = true;  ///< false: 503 {"status":"draining"}
  /// The state of what the server depends on, shown beside the status ({"redis":"up"}): names and
  /// values are the server's own words (plain ASCII, never outside input).
  std::vector<std::pair<std::string, std::string>> checks;
};

/// GET /healthz answers 200 {"status":"ok", checks…} (503 {"status":"draining", checks…} once
/// `health` says it is not serving); GET /metrics renders `metrics` in Prometheus text format.
void add_standard_routes(router& r, metrics_registry& metrics, std::function<health_report()> health = nullptr);

}  // namespace overworld::http
