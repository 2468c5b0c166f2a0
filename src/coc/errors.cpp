#include <overworld/coc/errors.hpp>

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace overworld::coc {
namespace {

struct client_error_body {
  std::string reason;
  std::string message;
};

// The API's ClientError body; nullopt when the body is not a JSON object with a string reason.
std::optional<client_error_body> parse_client_error(std::string_view body) {
  auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || body[first] != '{') return std::nullopt;
  simdjson::padded_string padded{body};
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return std::nullopt;
  simdjson::ondemand::object object;
  if (doc.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  client_error_body out;
  bool has_reason = false;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return std::nullopt;
    std::string_view text;
    if (key == "reason") {
      if (field.value().get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
      out.reason = text;
      has_reason = true;
    } else if (key == "message") {
      // A null message counts as none.
      if (field.value().get_string().get(text) == simdjson::SUCCESS) out.message = text;
    }
  }
  if (!has_reason) return std::nullopt;
  return out;
}

// The readable text of an HTML page (tags dropped, white space collapsed), at most 200 bytes.
std::string page_text(std::string_view body) {
  constexpr std::size_t limit = 200;
  std::string out;
  bool in_tag = false;
  bool pending_space = false;
  for (char c : body) {
    if (in_tag) {
      if (c == '>') {
        in_tag = false;
        pending_space = true;
      }
      continue;
    }
    if (c == '<') {
      in_tag = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    if (out.size() >= limit) break;
  }
  return out;
}

// The last segment of the path, without the query.
std::string_view last_segment(std::string_view path) {
  path = path.substr(0, path.find('?'));
  while (path.ends_with('/')) path.remove_suffix(1);
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool is_war_log_path(std::string_view path) {
  auto last = last_segment(path);
  return last == "warlog" || last == "currentwar";
}

// Beside the generic mapping: a 503 is the API's maintenance, whatever its body.
error_kind kind_from_status(unsigned status) {
  return status == 503 ? error_kind::maintenance : sdk::kind_from_status(status);
}

std::optional<error_kind> kind_from_reason(std::string_view reason) {
  if (reason == "badRequest") return error_kind::bad_request;
  if (reason == "accessDenied") return error_kind::access_denied;
  if (reason == "accessDenied.invalidIp") return error_kind::invalid_ip;
  if (reason == "accessDenied.privateWarLog") return error_kind::private_war_log;
  if (reason == "notFound") return error_kind::not_found;
  if (reason == "requestThrottled") return error_kind::throttled;
  if (reason == "inMaintenance") return error_kind::maintenance;
  if (reason == "unknownException") return error_kind::server_error;
  return std::nullopt;
}

}  // namespace

error error_from_response(unsigned status, std::string_view body, std::string_view path,
                          std::optional<std::string_view> retry_after) {
  error e;
  e.status = status;
  e.path = std::string{path};
  e.kind = kind_from_status(status);
  if (retry_after) e.retry_after = parse_retry_after(*retry_after);

  if (auto parsed = parse_client_error(body)) {
    e.reason = std::move(parsed->reason);
    e.message = std::move(parsed->message);
    if (auto k = kind_from_reason(e.reason)) e.kind = *k;
    // A private war log is a plain accessDenied without message, told apart only by the path.
    if (e.kind == error_kind::access_denied && e.reason == "accessDenied" && e.message.empty() &&
        is_war_log_path(path)) {
      e.kind = error_kind::private_war_log;
    }
  } else {
    e.message = page_text(body);
  }
  return e;
}

}  // namespace overworld::coc
