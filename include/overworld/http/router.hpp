// Routes: method + path pattern -> handler, with per-route limits. Patterns are literal segments,
// "{name}" (one segment) and a final "{name...}" (the rest of the path). A path that matches with
// another method answers 405 with `Allow`; nothing matching answers 404.
#pragma once

#include <overworld/http/message.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace overworld::http {

struct route_limits {
  /// Bytes of request line and headers, and of chunk extensions and trailer with them (431 beyond).
  std::size_t header_limit = std::size_t{8} * 1024;
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;  ///< bytes of body (413 beyond)
  std::chrono::milliseconds read_timeout{10'000};         ///< to receive the whole request once it started
};

using sync_handler = std::function<response(request const&)>;
using async_handler = std::function<boost::asio::awaitable<response>(request)>;
using handler = std::variant<sync_handler, async_handler>;

/// Runs before a route's handler; returning a response short-circuits it (rate limits, auth).
/// Filters see the request head only: they run before the body is read (`request::body` is
/// empty), so a refused client never gets to send it. A client that waits for "100 Continue" gets
/// the filter's answer at once; otherwise the body is read and dropped within the route's limits.
/// A filter that must ask something outside the process (a rate limit shared through Redis) is a
/// coroutine; it gets its own copy of the head.
using sync_filter = std::function<std::optional<response>(request const&)>;
using async_filter = std::function<boost::asio::awaitable<std::optional<response>>(request)>;
using filter = std::variant<sync_filter, async_filter>;

/// Builds the body of errors the HTTP layer itself produces (400, 404, 405, 413, 431, 500) in the
/// format of the API a path belongs to.
using error_formatter = std::function<response(unsigned status, std::string_view message)>;

struct route_options {
  std::optional<route_limits> limits;  ///< the router's defaults when not given
  std::string name;                    ///< label in metrics; defaults to the pattern
  std::string group;                   ///< filters registered for this group run before the handler
};

struct route {
  verb method;
  std::string pattern;
  handler fn;
  route_options options;
  route_limits limits;                // options.limits or the router's defaults
  std::vector<std::string> segments;  // parsed pattern
  std::string literal_prefix;         // the pattern up to its first '{': every matching path starts so
  std::vector<filter> const* filters = nullptr;
};

class router {
 public:
  router();
  router(router const&) = delete;
  router& operator=(router const&) = delete;

  route& add(verb method, std::string_view pattern, handler fn, route_options options = {});
  route& get(std::string_view pattern, handler fn, route_options options = {}) {
    return add(verb::get, pattern, std::move(fn), std::move(options));
  }
  route& post(std::string_view pattern, handler fn, route_options options = {}) {
    return add(verb::post, pattern, std::move(fn), std::move(options));
  }

  /// Limits of routes added later without limits of their own (config: http.header_limit, …).
  void set_default_limits(route_limits limits) { default_limits_ = limits; }
  route_limits const& default_limits() const noexcept { return default_limits_; }

  /// Filters of a route group, in the order added.
  void add_filter(std::string const& group, filter f);
  /// Error bodies for paths that start with `prefix` (the longest prefix wins).
  void set_error_format(std::string prefix, error_formatter f);
  response make_error(std::string_view path, unsigned status, std::string_view message) const;

  struct match {
    route const* found = nullptr;  ///< route for this method and path
    bool path_exists = false;      ///< some route has this path (for 405)
    std::string allow;             ///< methods allowed on the path, for 405
  };
  /// Finds the route; fills `params` with decoded path parameters. A HEAD falls back to GET.
  match find(verb method, std::string_view path, std::vector<path_param>& params) const;

  /// The largest limits of any route: what a connection allows for the request head, before it
  /// knows the route (so the read timeout of the head is the longest of any route).
  route_limits max_limits() const;
  std::vector<std::unique_ptr<route>> const& routes() const noexcept { return routes_; }

 private:
  bool match_route(route const& r, std::string_view path, std::vector<path_param>& params) const;

  route_limits default_limits_;
  std::vector<std::unique_ptr<route>> routes_;
  std::unordered_map<std::string, std::vector<filter>> filters_;
  std::vector<std::pair<std::string, error_formatter>> error_formats_;
};

/// `{"error":"<message>"}` with the status given: the default error body.
response default_error(unsigned status, std::string_view message);

}  // namespace overworld::http
