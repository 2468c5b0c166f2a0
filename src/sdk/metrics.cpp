#include <overworld/sdk/metrics.hpp>

namespace overworld::sdk {
namespace {

std::chrono::microseconds micros(double seconds) {
  return std::chrono::microseconds{static_cast<std::int64_t>(seconds * 1e6)};
}

}  // namespace

void client_metrics::request(std::chrono::nanoseconds latency) noexcept {
  requests_.inc();
  latency_.observe(std::chrono::duration<double>(latency).count());
}

void client_metrics::failed(error_kind kind) noexcept {
  auto const i = static_cast<std::size_t>(kind);
  if (i < errors_.size()) errors_[i].inc();
}

metrics_snapshot client_metrics::snapshot(std::vector<std::string> const& keys,
                                          std::vector<key_limiter::key_state> const& states) const {
  metrics_snapshot s;
  s.calls = calls_.value();
  s.requests = requests_.value();
  s.cache_hits = cache_hits_.value();
  s.cache_misses = cache_misses_.value();
  s.rekeys = rekeys_.value();
  for (std::size_t i = 1; i < errors_.size(); ++i) {
    if (auto const n = errors_[i].value()) {
      s.errors += n;
      s.errors_by_kind.emplace_back(static_cast<error_kind>(i), n);
    }
  }
  s.latency_p50 = micros(latency_.quantile(0.50));
  s.latency_p90 = micros(latency_.quantile(0.90));
  s.latency_p99 = micros(latency_.quantile(0.99));
  for (std::size_t i = 0; i < keys.size() && i < states.size(); ++i) {
    key_usage u;
    u.key_suffix = keys[i].size() > 8 ? keys[i].substr(keys[i].size() - 8) : keys[i];
    u.requests = states[i].granted;
    u.throttled = states[i].throttled;
    u.parked = states[i].parked_for.count() > 0;
    s.keys.push_back(std::move(u));
  }
  return s;
}

std::string client_metrics::render(metrics_snapshot const& s, std::string_view prefix) const {
  std::string out;
  std::string const p{prefix};
  auto simple = [&](std::string_view name, std::string_view type, std::string_view help, std::uint64_t v) {
    render_help(out, p + std::string{name}, type, help);
    render_sample(out, p + std::string{name}, "", v);
  };
  simple("_calls_total", "counter", "Calls asked of the client.", s.calls);
  simple("_requests_total", "counter", "HTTP requests sent, retries included.", s.requests);
  simple("_cache_hits_total", "counter", "Calls answered from the cache.", s.cache_hits);
  simple("_cache_misses_total", "counter", "Cacheable calls the cache could not answer.", s.cache_misses);
  simple("_rekeys_total", "counter", "Key provisioning runs through the developer portal.", s.rekeys);

  render_help(out, p + "_errors_total", "counter", "Calls that ended in an error, by kind.");
  for (auto const& [kind, n] : s.errors_by_kind) {
    render_sample(out, p + "_errors_total", "kind=\"" + std::string{metric_name(kind)} + "\"", n);
  }
  render_help(out, p + "_request_duration_seconds", "histogram", "Latency of HTTP requests to the API.");
  latency_.render(out, p + "_request_duration_seconds", "");

  render_help(out, p + "_key_requests_total", "counter",
              "Requests sent with each key (named by its last 8 characters).");
  for (auto const& k : s.keys) {
    render_sample(out, p + "_key_requests_total", "key=\"" + escape_label(k.key_suffix) + "\"", k.requests);
  }
  render_help(out, p + "_key_throttled_total", "counter", "429 answers per key.");
  for (auto const& k : s.keys) {
    render_sample(out, p + "_key_throttled_total", "key=\"" + escape_label(k.key_suffix) + "\"", k.throttled);
  }
  render_help(out, p + "_key_parked", "gauge", "1 while the key is parked after a 429.");
  for (auto const& k : s.keys) {
    render_sample(out, p + "_key_parked", "key=\"" + escape_label(k.key_suffix) + "\"",
                  std::uint64_t{k.parked ? 1U : 0U});
  }
  return out;
}

}  // namespace overworld::sdk
