// Unpadded base64url (RFC 4648 §5): the alphabet of JWT parts and of the CoC API's paging cursors.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace overworld {

std::string base64url_encode(std::string_view in);
/// The decoded bytes; nullopt on characters outside the alphabet or an impossible length.
/// Trailing '=' padding is tolerated.
std::optional<std::string> base64url_decode(std::string_view in);

}  // namespace overworld
