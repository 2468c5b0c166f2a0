// Rate limits per route group as router filters: the limiter of policy/, the 429 of each API.
#pragma once

#include <overworld/core/config.hpp>
#include <overworld/core/metrics.hpp>
#include <overworld/http/router.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/common/limiter.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace overworld::server {

/// Builds a refusal in an API's own format: 429 (over the limit) or 503 (a shared limiter cannot be
/// asked); `retry_after` is in whole seconds.
using refusal_body = std::function<http::response(unsigned status, std::int64_t retry_after)>;

/// Config keys of a group: ratelimit.<group>.limit (0 = none), .window, .block_after, .block_base,
/// .max_tracked.
std::vector<config_key> rate_limit_config_keys(std::string const& group, std::string const& limit,
                                               std::string const& window);
/// Reads a group's limit; nullopt when the group has none (limit 0). errc::bad_config with `why`.
result<std::optional<policy::rate_limit>> rate_limit_from_config(config const& cfg, std::string const& group,
                                                                 std::string& why);

/// Adds a filter to `group` that answers 429 + Retry-After once a client (request::client_address)
/// is over the limit, and 503 + Retry-After (unavailable_retry_after) when a shared limiter cannot
/// be asked: never lets a request through undecided. The limiter is shared by every route of the
/// group. An in-process limiter is asked synchronously (no coroutine on the request path).
void add_rate_limit(http::router& routes, std::string const& group, std::shared_ptr<limiter> limiter,
                    refusal_body body);

/// Publishes the in-process limiters' sizes on /metrics (shared ones have none here), labelled by name:
/// overworld_ratelimit_tracked_keys (keys remembered now, at most max_tracked) and overworld_ratelimit_evictions_total
/// (keys forgotten at the cap to make room for a new one).
void expose_rate_limiters(metrics_registry& metrics,
                          std::vector<std::pair<std::string, std::shared_ptr<limiter const>>> limiters);

/// A refusal's Retry-After in whole seconds (rounded up, at least 1).
std::int64_t retry_after_seconds(policy::decision const& d) noexcept;

/// The TTCC body: {"status":false,"reason":429,"friendlyreason":"…","token":""} (or 503).
http::response ttcc_refusal(unsigned status, std::int64_t retry_after);

}  // namespace overworld::server
