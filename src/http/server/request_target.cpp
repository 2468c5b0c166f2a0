#include "request_target.hpp"

#include <overworld/http/message.hpp>

namespace overworld::http::detail {
namespace {

request_target split_origin(std::string_view origin) {
  request_target out;
  auto const qmark = origin.find('?');
  out.path = origin.substr(0, qmark);
  if (qmark != std::string_view::npos) out.query = origin.substr(qmark + 1);
  out.origin = origin;
  return out;
}

/// "http://" or "https://" in any case; the length of the prefix, 0 when neither.
std::size_t scheme_length(std::string_view target) {
  for (std::string_view const scheme : {std::string_view{"http://"}, std::string_view{"https://"}}) {
    if (target.size() >= scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) return scheme.size();
  }
  return 0;
}

}  // namespace

std::optional<request_target> parse_target(std::string_view target, std::string& scratch) {
  if (target.starts_with('/')) return split_origin(target);
  std::size_t const scheme = scheme_length(target);
  if (scheme == 0) {
    // "*" (OPTIONS), "host:port" (CONNECT) or a bare word: no route has such a path.
    if (target.find("://") != std::string_view::npos) return std::nullopt;
    return split_origin(target);
  }
  std::string_view rest = target.substr(scheme);
  auto const end = rest.find_first_of("/?");
  std::string_view const authority = rest.substr(0, end);
  // RFC 9110 §4.2.4: user information in an http(s) URI is an error, not a login.
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view origin = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (!origin.starts_with('/')) {
    scratch = "/";
    scratch += origin;
    origin = scratch;
  }
  request_target out = split_origin(origin);
  out.authority = authority;
  return out;
}

}  // namespace overworld::http::detail
