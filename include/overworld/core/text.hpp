// Text from outside: strict UTF-8 checks and the rule every name taken from a path or a body
// follows before it is stored or published (docs/security.md, "Names").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace overworld {

/// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800 to
/// U+DFFF), nothing above U+10FFFF, no truncated sequence.
bool valid_utf8(std::string_view text) noexcept;

/// Why a name is refused; `ok` when it is accepted.
enum class name_problem { ok, empty, too_long, invalid_utf8, control_character };

/// The rule for names (districts, accounts, news fields, key names…): 1 to `max_bytes` bytes of
/// well-formed UTF-8 without control characters (U+0000–U+001F, U+007F–U+009F).
name_problem check_name(std::string_view name, std::size_t max_bytes) noexcept;
/// The rule for longer text (a news summary): as a name, but tab, line feed and carriage return
/// are allowed.
name_problem check_text(std::string_view text, std::size_t max_bytes) noexcept;
/// "is empty", "is longer than N bytes", "is not valid UTF-8", "has control characters".
std::string describe(name_problem problem, std::size_t max_bytes);

/// `text` with A–Z made a–z (keys of per-name limits: "Flippy" and "flippy" are one account).
std::string ascii_lower(std::string_view text);

/// The length of the well-formed UTF-8 sequence at the start of `text`, or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text) noexcept;

}  // namespace overworld
