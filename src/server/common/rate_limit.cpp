#include <overworld/server/common/rate_limit.hpp>

namespace overworld::server {

std::vector<config_key> rate_limit_config_keys(std::string const& group, std::string const& limit,
                                               std::string const& window) {
  std::string const p = "ratelimit." + group + ".";
  return {
      {p + "limit", limit, "requests allowed per client in one window (0: no limit)"},
      {p + "window", window, "length of the sliding window"},
      {p + "block_after", "5", "rejections within a window before the client is blocked (0: never)"},
      {p + "block_base", "5m", "first block; each next one doubles"},
      {p + "max_tracked", "100000", "clients remembered at most; beyond, the least recent unblocked one is forgotten"},
  };
}

result<std::optional<policy::rate_limit>> rate_limit_from_config(config const& cfg, std::string const& group,
                                                                 std::string& why) {
  std::string const p = "ratelimit." + group + ".";
  auto limit = cfg.get_int(p + "limit");
  auto window = cfg.get_duration(p + "window");
  auto block_after = cfg.get_int(p + "block_after");
  auto block_base = cfg.get_duration(p + "block_base");
  auto max_tracked = cfg.get_int(p + "max_tracked");
  if (!limit || *limit < 0) {
    why = p + "limit: expected a number of requests (0 for none)";
    return errc::bad_config;
  }
  if (!window || window->count() <= 0) {
    why = p + "window: expected a duration such as 60s";
    return errc::bad_config;
  }
  if (!block_after || *block_after < 0 || !block_base) {
    why = p + "block_after / block_base: expected a count and a duration";
    return errc::bad_config;
  }
  if (!max_tracked || *max_tracked < 16 || *max_tracked > 100'000'000) {
    why = p + "max_tracked: expected a number of clients from 16 to 100000000";
    return errc::bad_config;
  }
  if (*limit == 0) return std::optional<policy::rate_limit>{};
  policy::rate_limit r;
  r.limit = static_cast<std::size_t>(*limit);
  r.window = *window;
  r.block_after = static_cast<std::size_t>(*block_after);
  r.block_base = *block_base;
  r.max_tracked = static_cast<std::size_t>(*max_tracked);
  return std::optional<policy::rate_limit>{r};
}

std::shared_ptr<policy::sliding_window_limiter> add_rate_limit(http::router& routes, std::string const& group,
                                                               policy::rate_limit limit, too_many_requests_body body,
                                                               clock const& time) {
  auto limiter = std::make_shared<policy::sliding_window_limiter>(limit, time);
  routes.add_filter(group,
                    [limiter, body = std::move(body)](http::request const& req) -> std::optional<http::response> {
                      auto const d = limiter->check(req.client_address);
                      if (d.allowed) return std::nullopt;
                      auto const seconds = retry_after_seconds(d);
                      http::response r = body(seconds);
                      r.status = 429;
                      r.header("Retry-After", std::to_string(seconds));
                      return r;
                    });
  return limiter;
}

void expose_rate_limiters(
    metrics_registry& metrics,
    std::vector<std::pair<std::string, std::shared_ptr<policy::sliding_window_limiter const>>> limiters) {
  if (limiters.empty()) return;
  metrics.add([limiters = std::move(limiters)](std::string& out) {
    render_help(out, "overworld_ratelimit_tracked_keys", "gauge", "Keys a rate limiter remembers now");
    for (auto const& [name, limiter] : limiters) {
      render_sample(out, "overworld_ratelimit_tracked_keys", "limiter=\"" + escape_label(name) + "\"",
                    static_cast<std::uint64_t>(limiter->tracked_keys()));
    }
    render_help(out, "overworld_ratelimit_evictions_total", "counter",
                "Keys a rate limiter forgot at its cap to make room for a new one");
    for (auto const& [name, limiter] : limiters) {
      render_sample(out, "overworld_ratelimit_evictions_total", "limiter=\"" + escape_label(name) + "\"",
                    limiter->evictions());
    }
  });
}

std::int64_t retry_after_seconds(policy::decision const& d) noexcept {
  return std::max<std::int64_t>(1, (d.retry_after.count() + 999) / 1000);
}

http::response ttcc_too_many_requests(std::int64_t retry_after) {
  return http::response::json(
      429, R"({"status":false,"reason":429,"friendlyreason":"You are being rate limited. Try again in )" +
               std::to_string(retry_after) + R"( seconds.","token":""})");
}

}  // namespace overworld::server
