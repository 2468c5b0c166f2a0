#include "answers.hpp"

#include "json_read.hpp"

#include <stdexcept>

namespace overworld::toon::detail {
namespace {

error_kind kind_of(unsigned status) noexcept {
  if (status == 404 || status == 410) return error_kind::not_found;
  if (status == 429) return error_kind::rate_limited;
  if (status == 401 || status == 403) return error_kind::unauthorized;
  if (status >= 500) return error_kind::unavailable;
  return error_kind::bad_request;
}

// The human part of an error body: a JSON member that says it, or the text (tags dropped) cut short.
std::string message_of(std::string_view body) {
  json_doc d{body};
  od::object root;
  if (d.open() && d.doc.get_object().get(root) == simdjson::SUCCESS) {
    std::string found;
    for (auto f : root) {
      od::field field;
      std::string_view key;
      if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) break;
      if (key == "error" || key == "friendlyreason" || key == "banner" || key == "message") {
        std::string text;
        if (read_string(field.value(), text) == read::ok && found.empty()) found = std::move(text);
      }
    }
    return found;
  }
  std::string out;
  bool in_tag = false;
  for (char c : body) {
    if (c == '<')
      in_tag = true;
    else if (c == '>')
      in_tag = false;
    else if (!in_tag && c != '\r' && c != '\n')
      out.push_back(c);
    if (out.size() >= 200) break;
  }
  return out;
}

}  // namespace

std::optional<std::chrono::seconds> retry_after_seconds(std::string_view value) noexcept {
  std::int64_t n = 0;
  if (!to_int(value, n) || n < 0) return std::nullopt;
  return std::chrono::seconds{n};
}

error error_from_answer(unsigned status, std::string_view body, std::string url,
                        std::optional<std::string_view> retry_after) {
  error e;
  e.kind = kind_of(status);
  e.status = status;
  e.message = message_of(body);
  e.url = std::move(url);
  e.body.assign(body);
  if (retry_after) e.retry_after = retry_after_seconds(*retry_after);
  return e;
}

error error_from_transport(error_code code, std::string url) {
  error e;
  e.kind =
      code == errc::timeout || code == boost::system::errc::timed_out ? error_kind::timeout : error_kind::transport;
  e.code = code;
  e.message = code.message();
  e.url = std::move(url);
  return e;
}

error decode_failure(std::string url, std::string_view body, std::string what, unsigned status) {
  error e;
  e.kind = error_kind::decode;
  e.status = status;
  e.message = std::move(what);
  e.url = std::move(url);
  e.body.assign(body);
  e.code = make_error_code(errc::parse_error);
  return e;
}

error api_envelope(std::string url, std::string_view body, std::string message, unsigned status) {
  error e;
  e.kind = error_kind::unavailable;
  e.status = status;
  e.message = std::move(message);
  e.url = std::move(url);
  e.body.assign(body);
  return e;
}

std::string checked_base_url(std::string base, std::string_view who) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  // "https://www.toontownrewritten.com/api" names the same API as the host alone.
  if (base.size() >= 4 && base.compare(base.size() - 4, 4, "/api") == 0) base.resize(base.size() - 4);
  if (!http::parse_url(base)) {
    throw std::invalid_argument(std::string{who} + ": unusable base URL \"" + base + "\" (want http(s)://host[:port])");
  }
  return base;
}

http::client_options http_options(polling_options const& o) {
  auto h = o.http;
  if (!o.user_agent.empty()) h.user_agent = o.user_agent;
  return h;
}

}  // namespace overworld::toon::detail
