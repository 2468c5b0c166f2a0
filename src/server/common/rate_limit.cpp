#include <overworld/server/common/rate_limit.hpp>

#include <boost/asio/awaitable.hpp>

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

namespace {

http::response refusal(refusal_body const& body, unsigned status, std::int64_t seconds) {
  http::response r = body(status, seconds);
  r.status = status;
  r.header("Retry-After", std::to_string(seconds));
  return r;
}

/// The filter of a shared limiter (a coroutine taking its arguments by value).
boost::asio::awaitable<std::optional<http::response>> ask_limiter(std::shared_ptr<limiter> l, refusal_body body,
                                                                  http::request req) {
  std::string client{req.client_address};  // its own statement: no temporary in a co_await
  auto const d = co_await l->check(std::move(client));
  if (!d) co_return refusal(body, 503, unavailable_retry_after);
  if (d->allowed) co_return std::nullopt;
  co_return refusal(body, 429, retry_after_seconds(*d));
}

}  // namespace

void add_rate_limit(http::router& routes, std::string const& group, std::shared_ptr<limiter> limiter,
                    refusal_body body) {
  if (auto* local = dynamic_cast<local_limiter*>(limiter.get())) {
    routes.add_filter(group, http::sync_filter{[limiter, local, body = std::move(body)](
                                                   http::request const& req) -> std::optional<http::response> {
                        auto const d = local->check_now(req.client_address);
                        if (d.allowed) return std::nullopt;
                        return refusal(body, 429, retry_after_seconds(d));
                      }});
    return;
  }
  routes.add_filter(group, http::async_filter{[limiter, body = std::move(body)](http::request req) {
                      return ask_limiter(limiter, body, std::move(req));
                    }});
}

void expose_rate_limiters(metrics_registry& metrics,
                          std::vector<std::pair<std::string, std::shared_ptr<limiter const>>> all) {
  std::vector<std::pair<std::string, std::shared_ptr<limiter const>>> limiters;
  for (auto& l : all)
    if (l.second->local()) limiters.push_back(std::move(l));
  if (limiters.empty()) return;
  metrics.add([limiters = std::move(limiters)](std::string& out) {
    render_help(out, "overworld_ratelimit_tracked_keys", "gauge", "Keys a rate limiter remembers now");
    for (auto const& [name, limiter] : limiters) {
      render_sample(out, "overworld_ratelimit_tracked_keys", "limiter=\"" + escape_label(name) + "\"",
                    static_cast<std::uint64_t>(limiter->local()->tracked_keys()));
    }
    render_help(out, "overworld_ratelimit_evictions_total", "counter",
                "Keys a rate limiter forgot at its cap to make room for a new one");
    for (auto const& [name, limiter] : limiters) {
      render_sample(out, "overworld_ratelimit_evictions_total", "limiter=\"" + escape_label(name) + "\"",
                    limiter->local()->evictions());
    }
  });
}

std::int64_t retry_after_seconds(policy::decision const& d) noexcept {
  return std::max<std::int64_t>(1, (d.retry_after.count() + 999) / 1000);
}

http::response ttcc_refusal(unsigned status, std::int64_t retry_after) {
  std::string const seconds = std::to_string(retry_after);
  std::string const text = status == 429 ? "You are being rate limited. Try again in " + seconds + " seconds."
                                         : "The service is unavailable. Try again in " + seconds + " seconds.";
  return http::response::json(status, R"({"status":false,"reason":)" + std::to_string(status) +
                                          R"(,"friendlyreason":")" + text + R"(","token":""})");
}

}  // namespace overworld::server
