#include <overworld/http/message.hpp>

#include <unistd.h>
#include <array>
#include <cctype>

namespace overworld::http {
namespace {
constexpr std::array<std::string_view, 8> verb_names{"GET",   "HEAD",   "POST",    "PUT",
                                                     "PATCH", "DELETE", "OPTIONS", "OTHER"};

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> header_in_block(std::string_view block, std::string_view name) {
  while (!block.empty()) {
    auto const eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    auto const colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), name)) {
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string{value};
    }
    if (eol == std::string_view::npos) break;
    block.remove_prefix(eol + 2);
  }
  return std::nullopt;
}
}  // namespace

std::string_view to_string(verb v) noexcept { return verb_names[static_cast<std::size_t>(v)]; }

verb verb_from_string(std::string_view s) noexcept {
  for (std::size_t i = 0; i + 1 < verb_names.size(); ++i) {
    if (verb_names[i] == s) return static_cast<verb>(i);
  }
  return verb::other;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string_view reason_phrase(unsigned status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char const c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int const hi = hex_value(in[i + 1]);
      int const lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view in) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size());
  for (char ch : in) {
    auto const c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::optional<std::string_view> request::header(std::string_view name) const noexcept {
  for (auto const& h : headers) {
    if (iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

std::string_view request::param(std::string_view name) const noexcept {
  for (auto const& p : params) {
    if (p.name == name) return p.value;
  }
  return {};
}

std::optional<std::string> request::query_param(std::string_view name) const { return form_value(query, name); }

std::optional<std::string> form_value(std::string_view encoded, std::string_view name) {
  std::string_view q = encoded;
  while (!q.empty()) {
    auto const amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    auto const eq = pair.find('=');
    auto const key = percent_decode(pair.substr(0, eq), true);
    if (key && *key == name) {
      return eq == std::string_view::npos ? std::optional<std::string>{std::string{}}
                                          : percent_decode(pair.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

file_body::~file_body() {
  if (fd_ >= 0) ::close(fd_);
}

response response::json(unsigned status, std::string body) {
  response r{status};
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

response response::text(unsigned status, std::string body) {
  response r{status};
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

response& response::header(std::string_view name, std::string_view value) {
  headers_.append(name);
  headers_ += ": ";
  headers_.append(value);
  headers_ += "\r\n";
  return *this;
}

std::optional<std::string> response::get_header(std::string_view name) const {
  if (iequals(name, "Content-Type") && !content_type.empty()) return content_type;
  if (auto v = header_in_block(headers_, name)) return v;
  if (shared_headers) return header_in_block(*shared_headers, name);
  return std::nullopt;
}

namespace {
class status_category_impl final : public boost::system::error_category {
 public:
  char const* name() const noexcept override { return "overworld.http.status"; }
  std::string message(int ev) const override {
    return "HTTP " + std::to_string(ev) + " " + std::string{reason_phrase(static_cast<unsigned>(ev))};
  }
};
}  // namespace

boost::system::error_category const& status_category() noexcept {
  static status_category_impl const instance;
  return instance;
}

}  // namespace overworld::http
