#include <overworld/server/sandbox/paging.hpp>

#include <overworld/core/base64.hpp>

#include <array>
#include <charconv>

namespace overworld::sandbox {

namespace {

std::optional<std::size_t> whole_number(std::string_view text) {
  std::size_t n = 0;
  auto const [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

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
  return std::make_shared<std::string const>(render_page(
      list.items.size(), [&](std::size_t i) -> std::string const& { return list.items[i]; }, page));
}

}  // namespace overworld::sandbox
