// The API's times as std::chrono values. The models keep each time as the string the API sent
// (so that to_json() writes it back byte for byte); these read it: war, raid and gold-pass times
// in ISO 8601 basic form ("20230511T092258.000Z"), league seasons' creation time in extended form
// ("2026-03-11T18:14:44Z"). Both are UTC.
//
//   auto ends = coc::to_time(war.end_time);            // optional<coc::timestamp>
//   if (ends) std::cout << std::chrono::round<std::chrono::seconds>(*ends - now) << " left\n";
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::coc {

/// A time of the API, to the millisecond, in UTC.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// "20230511T092258.000Z", "20230511T092258Z", "2023-05-11T09:22:58.000Z" or
/// "2023-05-11T09:22:58Z"; nullopt for anything else (a field out of range included).
std::optional<timestamp> parse_time(std::string_view text) noexcept;
/// The same for a model's optional field; nullopt when absent.
std::optional<timestamp> to_time(std::optional<std::string> const& text) noexcept;
/// The API's basic form: "20230511T092258.000Z".
std::string format_time(timestamp t);

}  // namespace overworld::coc
