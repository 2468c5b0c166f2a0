// Comparing keys and passwords a client sends with the configured ones, without telling by the
// time taken how much of a wrong one was right.
#pragma once

#include <overworld/http/message.hpp>

#include <string_view>

namespace overworld::server {

/// True when `given` equals `expected`, in time that depends only on the length; an empty
/// `expected` (no key configured) never matches.
bool same_secret(std::string_view given, std::string_view expected) noexcept;

/// The KEY of `Authorization: Bearer KEY`; empty when the header is missing or of another kind.
std::string_view bearer_token(http::request const& req) noexcept;

/// A request carrying `Authorization: Bearer <expected>`.
inline bool bearer_matches(http::request const& req, std::string_view expected) noexcept {
  return same_secret(bearer_token(req), expected);
}

}  // namespace overworld::server
