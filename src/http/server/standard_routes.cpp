#include <overworld/http/standard_routes.hpp>

namespace overworld::http {

namespace {

std::string health_body(health_report const& h) {
  std::string out = h.serving ? R"({"status":"ok")" : R"({"status":"draining")";
  for (auto const& [name, value] : h.checks) out += ",\"" + name + "\":\"" + value + "\"";
  out += '}';
  return out;
}

}  // namespace

void add_standard_routes(router& r, metrics_registry& metrics, std::function<health_report()> health) {
  route_options small;
  small.limits = r.default_limits();
  small.limits->body_limit = 0;
  small.name = "/healthz";
  r.get("/healthz", sync_handler{[health = std::move(health)](request const&) {
          auto const h = health ? health() : health_report{};
          response res = response::json(h.serving ? 200 : 503, health_body(h));
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
