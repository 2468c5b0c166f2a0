// The request target as RFC 9112 §3.2 reads it: origin-form ("/path?query"), and the absolute-form
// ("http://host/path?query") a server must accept too, routed by its path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace overworld::http::detail {

struct request_target {
  std::string_view path;       ///< before '?', not decoded; "/" when an absolute-form has none
  std::string_view query;      ///< after '?'
  std::string_view authority;  ///< absolute-form only: the host that replaces the Host header
  std::string_view origin;     ///< path and query as an origin-form target (what handlers see)
};

/// Splits `target`. An absolute-form's origin-form may need bytes of its own ("http://h?q" is
/// "/?q"): they are kept in `scratch`, which must outlive the result. nullopt: an absolute-form
/// with another scheme, no host or user information (400). Other forms ("*", "host:port") are
/// left to routing, which finds no route for them.
std::optional<request_target> parse_target(std::string_view target, std::string& scratch);

}  // namespace overworld::http::detail
