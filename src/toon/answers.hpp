// How the Toontown clients turn answers into results (internal to the SDK): bodies that are not
// what a call expects, TTR's error envelope, and the clients' base URLs.
#pragma once

#include <overworld/toon/errors.hpp>

#include <string>
#include <string_view>

namespace overworld::toon::detail {

/// A 2xx body that is not what the call expects.
error decode_failure(std::string_view path, std::string_view body, std::string what, unsigned status = 200);
/// TTR's {"error":"…"} envelope in place of data.
error api_envelope(std::string path, std::string_view body, std::string message, unsigned status = 200);

/// "https://host:port" with the trailing '/' (and an "/api" the user added) removed; throws
/// std::invalid_argument when the HTTP client cannot use it. `who` names the client in the message.
std::string checked_base_url(std::string base, std::string_view who);

}  // namespace overworld::toon::detail
