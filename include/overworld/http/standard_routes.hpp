// Routes every Overworld server has: /healthz for load balancers and /metrics for Prometheus.
#pragma once

#include <overworld/core/metrics.hpp>
#include <overworld/http/router.hpp>

#include <functional>

namespace overworld::http {

/// GET /healthz answers 200 {"status":"ok"} (503 {"status":"draining"} once `healthy` says no);
/// GET /metrics renders `metrics` in Prometheus text format.
void add_standard_routes(router& r, metrics_registry& metrics, std::function<bool()> healthy = nullptr);

}  // namespace overworld::http
