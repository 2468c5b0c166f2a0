#include <overworld/server/sandbox/paging.hpp>

#include <array>
#include <charconv>

namespace overworld::sandbox {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::optional<std::size_t> whole_number(std::string_view text) {
  std::size_t n = 0;
  auto const [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::string base64url_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    auto const v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (auto const rest = in.size() - i; rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);  // tolerate padding
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    int const v = sextet(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string encode_cursor(std::size_t pos) { return base64url_encode("{\"pos\":" + std::to_string(pos) + "}"); }

std::optional<std::size_t> decode_cursor(std::string_view cursor) {
  auto text = base64url_decode(cursor);
  if (!text) return std::nullopt;
  std::string_view t = *text;
  constexpr std::string_view head = "{\"pos\":";
  if (!t.starts_with(head) || !t.ends_with('}')) return std::nullopt;
  return whole_number(t.substr(head.size(), t.size() - head.size() - 1));
}

std::optional<page_request> parse_page_request(std::optional<std::string> const& limit,
                                               std::optional<std::string> const& after,
                                               std::optional<std::string> const& before, std::string& why) {
  page_request page;
  if (after && before) {
    why = "Only after or before can be specified for a request, not both.";
    return std::nullopt;
  }
  if (limit) {
    auto n = whole_number(*limit);
    if (!n || *n == 0) {
      why = "Invalid value for parameter limit";
      return std::nullopt;
    }
    page.limit = n;
  }
  if (after) {
    page.after = decode_cursor(*after);
    if (!page.after) {
      why = "Invalid value for parameter after";
      return std::nullopt;
    }
  }
  if (before) {
    page.before = decode_cursor(*before);
    if (!page.before) {
      why = "Invalid value for parameter before";
      return std::nullopt;
    }
  }
  return page;
}

std::string render_page(std::size_t count, std::function<std::string const&(std::size_t)> const& item,
                        page_request const& page) {
  std::size_t first = 0;
  std::size_t last = count;
  if (page.before) {
    last = std::min(*page.before, count);
    first = page.limit ? last - std::min(*page.limit, last) : 0;
  } else {
    first = std::min(page.after.value_or(0), count);
    if (page.limit) last = first + std::min(*page.limit, count - first);
  }
  std::size_t bytes = 40;
  for (std::size_t i = first; i < last; ++i) bytes += item(i).size() + 1;
  std::string out;
  out.reserve(bytes);
  out += "{\"items\":[";
  for (std::size_t i = first; i < last; ++i) {
    if (i != first) out += ',';
    out += item(i);
  }
  out += "],\"paging\":{\"cursors\":{";
  if (first > 0) out += "\"before\":\"" + encode_cursor(first) + "\"";
  if (last < count) {
    if (first > 0) out += ',';
    out += "\"after\":\"" + encode_cursor(last) + "\"";
  }
  out += "}}}";
  return out;
}

std::shared_ptr<std::string const> render_page(paged_list const& list, page_request const& page) {
  if (!page.paged() && list.whole) return list.whole;
  return std::make_shared<std::string const>(
      render_page(list.items.size(), [&](std::size_t i) -> std::string const& { return list.items[i]; }, page));
}

}  // namespace overworld::sandbox
