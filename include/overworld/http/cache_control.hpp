// Reading Cache-Control, shared by every client of the SDK (CoC cache, Toontown polling).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace overworld::http {

/// The max-age of a Cache-Control value. Accepts the standard "max-age=60", "public, max-age=60"
/// and the CoC API's malformed "public max-age=600" (space instead of comma); directive names are
/// case-insensitive. no-store and no-cache give 0. nullopt when there is no max-age.
std::optional<std::chrono::seconds> parse_max_age(std::string_view cache_control) noexcept;

}  // namespace overworld::http
