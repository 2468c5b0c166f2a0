// Reading the APIs' JSON for tables: simdjson's DOM with forgiving accessors, because a table
// shows what is there and leaves a blank for what is not (--json prints the body untouched).
#pragma once

#include <overworld/core/error.hpp>

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

using json = simdjson::dom::element;

/// A parsed document; `root()` lives as long as this object.
class json_document {
 public:
  /// errc::parse_error (with simdjson's message in `why`) when `body` is not JSON.
  result<json> parse(std::string_view body, std::string& why);

 private:
  simdjson::dom::parser parser_;
};

/// The element at a JSON pointer ("/clan/name"; "" is the element itself), if any.
std::optional<json> at(json e, std::string_view pointer);

/// A string, number or boolean at `pointer` as text ("" when missing or null, objects and arrays too).
std::string text(json e, std::string_view pointer = "");
std::optional<std::int64_t> integer(json e, std::string_view pointer);
std::optional<double> number(json e, std::string_view pointer);
std::optional<bool> boolean(json e, std::string_view pointer);

/// Elements of the array at `pointer` (none when it is missing or not an array).
std::vector<json> array(json e, std::string_view pointer);

/// Appends `"name":value` to the JSON object being built in `out` (a comma first unless it is
/// just opened); `value` is quoted and escaped when `quote`, else written as it is (a number,
/// true, null, a nested object).
void json_member(std::string& out, std::string_view name, std::string_view value, bool quote);

/// The CoC API's time stamps ("20231105T080000.000Z") as epoch_time() shows them; other text as is.
std::string coc_time(std::string_view stamp);
/// Unix seconds of a CoC time stamp, if it is one.
std::optional<std::int64_t> coc_seconds(std::string_view stamp);
/// Epoch seconds in the local time zone (TZ) with the time from now:
/// "2024-03-01 12:34 CET (in 7h)", "2024-03-01 12:34 UTC (3d ago)".
std::string epoch_time(std::int64_t seconds);
/// Epoch seconds as local clock time, "12:34:56" (watch lines).
std::string clock_time(std::int64_t seconds);
/// A time from now in words: "in 7h", "3d ago", "in 45s", "now" (within 5 s).
std::string relative_time(std::int64_t seconds, std::int64_t now);
/// A number without trailing zeros ("72.5", "100").
std::string format_number(double value);
/// A percentage with one decimal: "72.5%", "100.0%"; "" when missing.
std::string format_percent(std::optional<double> value);

}  // namespace overworld::cli
