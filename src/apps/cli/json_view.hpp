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

/// The CoC API's time stamps ("20231105T080000.000Z") as "2023-11-05 08:00 UTC"; other text as is.
std::string coc_time(std::string_view stamp);
/// Epoch seconds as "2024-03-01 12:34:56 UTC".
std::string epoch_time(std::int64_t seconds);
/// A number without trailing zeros ("72.5", "100").
std::string format_number(double value);

}  // namespace overworld::cli
