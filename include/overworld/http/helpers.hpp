// Small response helpers shared by every API: CORS, conditional GET, HTTP dates.
#pragma once

#include <overworld/http/message.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::http {

/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::string http_date(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

/// The current Date header value, formatted at most once per second per thread.
std::string_view cached_http_date() noexcept;

/// A strong ETag (quoted) for a body: a 64-bit hash in hex.
std::string make_etag(std::string_view body);

/// True when an If-None-Match header value (a list, `W/` weak tags, or `*`) matches `etag`.
bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept;

/// If the request's If-None-Match matches `etag` (or, without it, If-Modified-Since is not older
/// than `last_modified`), returns the 304 to send (with ETag and any `extra` headers copied).
std::optional<response> not_modified(request const& req, std::string_view etag,
                                     std::optional<std::chrono::system_clock::time_point> last_modified = {});

struct cors_options {
  std::string allow_origin = "*";
  std::string allow_methods = "GET, POST, OPTIONS";
  std::string allow_headers = "Authorization, Content-Type, If-None-Match";
  std::string max_age = "86400";
};

/// Adds Access-Control-Allow-Origin (and Vary: Origin when it is not "*").
void add_cors(response& res, cors_options const& options = {});
/// The answer to a CORS preflight (OPTIONS) request.
response cors_preflight(cors_options const& options = {});

}  // namespace overworld::http
