// Setting one key of a TOML file by editing its text, so that comments, blank lines, key order
// and the other values stay as the user wrote them (a parse-and-print round trip loses them).
#pragma once

#include <overworld/core/error.hpp>

#include <string>
#include <string_view>

namespace overworld::cli {

/// The text with `key` ("timeout", or "coc.base_url" for the key base_url of [coc]) set to the
/// string `value`: an existing value is replaced in place (a comment after it on the same line
/// stays); a new key goes at the end of its table, a new table at the end of the file, a new
/// top-level key before the first table. Fails with a message in `why` when `text` is not TOML or
/// the key's table is something else than a table.
result<std::string> set_toml_string(std::string_view text, std::string_view key, std::string_view value,
                                    std::string& why);

}  // namespace overworld::cli
