#include <overworld/coc/tags.hpp>

#include <overworld/http/message.hpp>

#include <algorithm>
#include <array>
#include <limits>

namespace overworld::coc {
namespace {

class tag_category_impl final : public boost::system::error_category {
 public:
  char const* name() const noexcept override { return "coc.tag"; }
  std::string message(int ev) const override {
    switch (static_cast<tag_errc>(ev)) {
      case tag_errc::ok:
        return "valid tag";
      case tag_errc::empty:
        return "the tag is empty";
      case tag_errc::too_short:
        return "a tag has at least 3 characters after '#'";
      case tag_errc::too_long:
        return "a tag has at most 16 characters after '#'";
      case tag_errc::invalid_character:
        return "a tag contains only the characters 0289PYLQGRJCUV";
      case tag_errc::id_out_of_range:
        return "the tag's value does not fit the game's id";
      case tag_errc::leading_zero:
        return "a tag never starts with 0 (after '#')";
    }
    return "unknown tag error";
  }
};

// Value of each character as a base-14 digit, -1 for characters outside the alphabet.
constexpr std::array<signed char, 256> digit_table() {
  std::array<signed char, 256> t{};
  for (auto& v : t) v = -1;
  for (std::size_t i = 0; i < tag_alphabet.size(); ++i) {
    t[static_cast<unsigned char>(tag_alphabet[i])] = static_cast<signed char>(i);
  }
  return t;
}
constexpr auto digits = digit_table();

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr char to_upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

tag_errc check_canonical(std::string_view tag) noexcept {
  if (tag.empty() || tag.front() != '#') return tag_errc::invalid_character;
  auto body = tag.substr(1);
  if (body.empty()) return tag_errc::empty;
  for (char c : body) {
    if (digits[static_cast<unsigned char>(c)] < 0) return tag_errc::invalid_character;
  }
  if (body.size() < min_tag_length) return tag_errc::too_short;
  if (body.size() > max_tag_length) return tag_errc::too_long;
  if (body.front() == '0') return tag_errc::leading_zero;
  return tag_errc::ok;
}

}  // namespace

boost::system::error_category const& tag_category() noexcept {
  static tag_category_impl const instance;
  return instance;
}

std::string normalize_tag(std::string_view raw) {
  while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
  if (raw.starts_with('#')) {
    raw.remove_prefix(1);
  } else if (raw.size() >= 3 && raw[0] == '%' && raw[1] == '2' && raw[2] == '3') {
    raw.remove_prefix(3);
  }
  std::string out;
  out.reserve(raw.size() + 1);
  out.push_back('#');
  for (char c : raw) {
    if (is_space(c)) continue;
    c = to_upper(c);
    out.push_back(c == 'O' ? '0' : c);
  }
  return out;
}

bool is_valid_tag(std::string_view tag) noexcept { return check_canonical(tag) == tag_errc::ok; }

result<std::string> parse_tag(std::string_view raw) {
  auto tag = normalize_tag(raw);
  if (auto e = check_canonical(tag); e != tag_errc::ok) return make_error_code(e);
  return tag;
}

std::string encode_tag(std::string_view tag) { return http::percent_encode(normalize_tag(tag)); }

result<std::uint64_t> tag_to_number(std::string_view tag) {
  auto canonical = normalize_tag(tag);
  if (auto e = check_canonical(canonical); e != tag_errc::ok) {
    // Short tags still have a value ("#0" is what unscheduled league wars carry).
    if (e != tag_errc::too_short) return make_error_code(e);
  }
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t value = 0;
  for (char c : std::string_view{canonical}.substr(1)) {
    // Every character passed check_canonical: its digit is 0 … 13.
    auto d = static_cast<std::uint64_t>(static_cast<unsigned char>(digits[static_cast<unsigned char>(c)]));
    if (value > (max - d) / 14) return make_error_code(tag_errc::too_long);
    value = value * 14 + d;
  }
  return value;
}

std::string tag_from_number(std::uint64_t number) {
  std::array<char, 24> buffer{};  // 17 digits at most (14^17 > 2^64)
  std::size_t n = 0;
  do {
    buffer[n++] = tag_alphabet[number % 14];
    number /= 14;
  } while (number != 0);
  std::string out;
  out.reserve(n + 1);
  out.push_back('#');
  while (n > 0) out.push_back(buffer[--n]);
  return out;
}

result<tag_id> tag_to_id(std::string_view tag) {
  auto value = tag_to_number(tag);
  if (!value) return value.error();
  if ((*value >> 8) > std::numeric_limits<std::uint32_t>::max()) return make_error_code(tag_errc::id_out_of_range);
  return tag_id{static_cast<std::uint32_t>(*value % 256), static_cast<std::uint32_t>(*value >> 8)};
}

std::string tag_from_id(tag_id id) {
  return tag_from_number((std::uint64_t{id.low} << 8) | (std::uint64_t{id.high} & 0xffU));
}

}  // namespace overworld::coc
