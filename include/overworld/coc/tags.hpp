// Clash of Clans player, clan and war tags: normalising what people type, validating it against
// the game's alphabet, encoding it for a URL path, and converting it to and from the game's
// numeric id.
#pragma once

#include <overworld/core/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace overworld::coc {

/// The 14 characters a tag is made of, in the order of their value as base-14 digits.
inline constexpr std::string_view tag_alphabet = "0289PYLQGRJCUV";
/// A tag has at least this many characters after the '#'.
inline constexpr std::size_t min_tag_length = 3;
/// Longest tag accepted: every 16-character value fits 64 bits (14^16 < 2^64 < 14^17); real tags
/// have about 8 to 10 characters.
inline constexpr std::size_t max_tag_length = 16;

/// Why a tag was refused.
enum class tag_errc {
  ok = 0,
  empty = 1,              ///< nothing but '#' and spaces
  too_short = 2,          ///< fewer than min_tag_length characters
  too_long = 3,           ///< more than max_tag_length characters: no such id exists
  invalid_character = 4,  ///< a character outside tag_alphabet
  id_out_of_range = 5,    ///< the value does not split into the game's 32-bit high/low parts
  leading_zero = 6,       ///< ids are written without leading zeros, so no tag starts with 0
};

boost::system::error_category const& tag_category() noexcept;

inline error_code make_error_code(tag_errc e) noexcept { return {static_cast<int>(e), tag_category()}; }

/// What people type made canonical: surrounding and inner white space removed, one leading '#' or
/// "%23" dropped and put back, upper case, and the letter O read as the digit 0 (players confuse
/// them; O is not in the alphabet). Does not validate: " #9yrjrj0g " -> "#9YRJRJ0G".
std::string normalize_tag(std::string_view raw);

/// True for a canonical tag: '#' then at least min_tag_length characters of tag_alphabet.
bool is_valid_tag(std::string_view tag) noexcept;

/// normalize_tag() then validation; the error says what is wrong (tag_errc).
result<std::string> parse_tag(std::string_view raw);

/// The tag as one URL path segment: "#2PP" -> "%232PP". Normalises first, so "2pp" gives the same.
/// Characters outside the unreserved set are percent-encoded, so even a bad tag cannot break out
/// of its segment.
std::string encode_tag(std::string_view tag);

/// The plain base-14 value of a tag (digits in tag_alphabet order), e.g. "#2PP" -> 452.
/// Leading '0' characters carry no value, so "#0PP" and "#PP" share a number; real tags never
/// start with '0'.
result<std::uint64_t> tag_to_number(std::string_view tag);
/// The canonical tag of a base-14 value; 0 gives "#0".
std::string tag_from_number(std::uint64_t number);

/// The game's id of an account or clan (its "LogicLong"): the tag's base-14 value split as
/// high = value % 256 and low = value >> 8.
struct tag_id {
  std::uint32_t high = 0;
  std::uint32_t low = 0;

  /// One 64-bit number, high word first: (high << 32) | low.
  constexpr std::uint64_t packed() const noexcept { return (std::uint64_t{high} << 32) | low; }
  static constexpr tag_id unpack(std::uint64_t packed) noexcept {
    return {static_cast<std::uint32_t>(packed >> 32), static_cast<std::uint32_t>(packed & 0xffff'ffffU)};
  }
  friend constexpr bool operator==(tag_id, tag_id) noexcept = default;
};

/// Tag -> game id. tag_errc::id_out_of_range when the value exceeds 40 bits (low would not fit
/// 32 bits; no real tag is that long).
result<tag_id> tag_to_id(std::string_view tag);
/// Game id -> tag: the base-14 value of (low << 8) | high. high must be below 256 for the round trip.
std::string tag_from_id(tag_id id);

}  // namespace overworld::coc

template <>
struct boost::system::is_error_code_enum<overworld::coc::tag_errc> : std::true_type {};
