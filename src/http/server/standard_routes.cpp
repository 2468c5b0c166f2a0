#include <overworld/http/standard_routes.hpp>

namespace overworld::http {

void add_standard_routes(router& r, metrics_registry& metrics, std::function<bool()> healthy) {
  route_options small;
  small.limits = r.default_limits();
  small.limits->body_limit = 0;
  small.name = "/healthz";
  r.get("/healthz", sync_handler{[healthy = std::move(healthy)](request const&) {
          bool const ok = !healthy || healthy();
          response res = response::json(ok ? 200 : 503, ok ? R"({"status":"ok"})" : R"({"status":"draining"})");
          res.header("Cache-Control", "no-store");
          return res;
        }},
        small);
  small.name = "/metrics";
  r.get("/metrics", sync_handler{[&metrics](request const&) {
          response res{200};
          res.content_type = "text/plain; version=0.0.4; charset=utf-8";
          res.body = metrics.render();
          res.header("Cache-Control", "no-store");
          return res;
        }},
        small);
}

}  // namespace overworld::http
