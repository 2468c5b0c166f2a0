#include "answers.hpp"

#include "json_read.hpp"

#include <overworld/http/client.hpp>
#include <overworld/toon/poller.hpp>

#include <stdexcept>

namespace overworld::toon {
namespace {

using namespace detail;

// The human part of an error body: a JSON member that says it, or the text (tags dropped) cut short.
std::string message_of(std::string_view body) {
  json_doc d{body};
  std::string found;
  bool members = false;
  bool const object = read_root_members(d, [&](std::string_view key, od::value value) {
    members = true;
    if (key == "error" || key == "friendlyreason" || key == "banner" || key == "message") {
      std::string text;
      if (read_string(value, text) == read::ok && found.empty()) found = std::move(text);
    }
    return true;
  });
  if (object || members) return found;
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

error error_from_answer(http::client_response const& answer, std::string_view path) {
  error e;
  e.kind = sdk::kind_from_status(answer.status);
  e.status = answer.status;
  e.message = message_of(answer.body);
  e.path = std::string{path};
  e.body = answer.body;
  if (auto ra = answer.header("Retry-After")) e.retry_after = sdk::parse_retry_after(*ra);
  return e;
}

namespace detail {

error decode_failure(std::string_view path, std::string_view body, std::string what, unsigned status) {
  error e = sdk::decode_error(path, std::move(what), status);
  e.body.assign(body);
  return e;
}

error api_envelope(std::string path, std::string_view body, std::string message, unsigned status) {
  error e;
  e.kind = error_kind::server_error;
  e.status = status;
  e.message = std::move(message);
  e.path = std::move(path);
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

}  // namespace detail
}  // namespace overworld::toon
