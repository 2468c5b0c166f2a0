// The request head, written by hand: the client sends few headers, and a string that keeps its
// capacity from one request to the next costs nothing per request (Beast's fields allocate one
// node per header).
#include "exchange.hpp"

#include <charconv>

namespace overworld::http::detail {
namespace {

bool is_token_char(char c) noexcept {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

/// Whether a header of `name` comes later in `headers` than index `i` (then the later one wins).
bool replaced_later(client_request const& req, std::size_t i, std::string_view name) noexcept {
  for (std::size_t j = i + 1; j < req.headers.size(); ++j) {
    if (iequals(req.headers[j].first, name)) return true;
  }
  return false;
}

bool caller_sets(client_request const& req, std::string_view name) noexcept {
  for (auto const& h : req.headers) {
    if (iequals(h.first, name)) return true;
  }
  return false;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

bool valid_header(std::string_view name, std::string_view value) noexcept {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_token_char(c)) return false;
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool valid_target(std::string_view target) noexcept {
  if (target.empty()) return false;
  for (char c : target) {
    auto const u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

error_code write_head(std::string& out, verb method, std::string_view target, std::string_view host,
                      client_options const& options, bool accept_encoding, client_request const& req) {
  if (method == verb::other || !valid_target(target)) return errc::invalid_argument;
  for (auto const& [name, value] : req.headers) {
    if (!valid_header(name, value)) return errc::invalid_argument;
  }
  out.clear();
  out += to_string(method);
  out += ' ';
  out += target;
  out += " HTTP/1.1\r\n";
  if (!caller_sets(req, "Host")) append_field(out, "Host", host);
  if (!caller_sets(req, "User-Agent") && !options.user_agent.empty()) {
    if (!valid_header("User-Agent", options.user_agent)) return errc::invalid_argument;
    append_field(out, "User-Agent", options.user_agent);
  }
  if (accept_encoding && !caller_sets(req, "Accept-Encoding")) append_field(out, "Accept-Encoding", "gzip, deflate");
  for (std::size_t i = 0; i < req.headers.size(); ++i) {
    auto const& [name, value] = req.headers[i];
    // The client frames the body itself.
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding")) continue;
    if (replaced_later(req, i, name)) continue;
    append_field(out, name, value);
  }
  if (!req.body.empty() || method == verb::post || method == verb::put || method == verb::patch) {
    char digits[24];
    auto const end = std::to_chars(digits, digits + sizeof digits, req.body.size()).ptr;
    append_field(out, "Content-Length", std::string_view{digits, static_cast<std::size_t>(end - digits)});
  }
  out += "\r\n";
  return {};
}

}  // namespace overworld::http::detail
