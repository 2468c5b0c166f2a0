#include "errors.hpp"

#include "json_view.hpp"
#include "text_width.hpp"

#include <overworld/core/log.hpp>

#include <cstdio>

namespace overworld::cli {
namespace {

bool errors_as_json = false;

void write_line(std::string const& line) {
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

struct report {
  int code = exit_api_error;
  std::string kind;
  std::string text;  ///< the whole line for people
  std::string message;
  unsigned status = 0;
  std::string reason;
  std::string url;
};

void emit(report const& r) {
  if (!errors_as_json) {
    write_line("overworld: " + r.text + "\n");
    return;
  }
  std::string o = "{";
  json_member(o, "exit", std::to_string(r.code), false);
  json_member(o, "kind", r.kind, true);
  if (r.status != 0) json_member(o, "status", std::to_string(r.status), false);
  if (!r.reason.empty()) json_member(o, "reason", r.reason, true);
  json_member(o, "message", r.message, true);
  if (!r.url.empty()) json_member(o, "url", r.url, true);
  o += '}';
  write_line("{\"error\":" + o + "}\n");
}

std::string kind_of_code(int code) {
  switch (code) {
    case exit_usage:
      return "usage";
    case exit_network:
      return "network";
    case exit_auth:
      return "authentication";
    case exit_unavailable:
      return "unavailable";
    default:
      return "error";
  }
}

}  // namespace

void set_errors_as_json(bool json) noexcept { errors_as_json = json; }

int fail(int code, std::string_view message) {
  if (code == exit_ok) {  // a notice, never JSON: scripts read stdout
    write_line("overworld: " + std::string{message} + "\n");
    return code;
  }
  report r;
  r.code = code;
  r.kind = kind_of_code(code);
  r.text = r.message = std::string{message};
  emit(r);
  return code;
}

int fail(int code, std::string_view message, std::string_view url) {
  report r;
  r.code = code;
  r.kind = kind_of_code(code);
  r.message = std::string{message};
  r.url = std::string{url};
  r.text = r.message + " (" + r.url + ")";
  emit(r);
  return code;
}

std::string describe_kind(sdk::error const& e) {
  using sdk::error_kind;
  switch (e.kind) {
    case error_kind::bad_request:
      return e.status == 0 ? "refused before sending" : "the API refused the request";
    case error_kind::access_denied:
      return "the key or credentials were refused (missing, wrong or revoked)";
    case error_kind::invalid_ip:
      return "the API key is not allowed from this IP address";
    case error_kind::not_found:
      return "not found";
    case error_kind::throttled:
      return "rate limited, try again later";
    case error_kind::maintenance:
      return "the API is down for maintenance, try again later";
    case error_kind::server_error:
      return "the server failed";
    case error_kind::gateway:
      return "the gateway in front of the API got no answer from it";
    case error_kind::timeout:
      return "no answer in time";
    case error_kind::transport:
      return "cannot reach the server";
    case error_kind::decode:
      return "the answer is not what the API sends";
    case error_kind::private_war_log:
      return "the clan's war log is private: only its members can see its wars";
  }
  return "failed";
}

int fail(sdk::error const& e, error_words const& words) {
  report r;
  r.code = exit_code_of(e);
  r.kind = std::string{sdk::metric_name(e.kind)};
  r.status = e.status;
  r.reason = e.reason;
  // One line, bounded: a portal or proxy may answer with a whole page.
  r.message = truncate_to(sanitize(e.message.empty() && e.code ? e.code.message() : e.message), 300);
  r.url = e.path.empty() || e.path.starts_with("http") ? e.path : words.base_url + e.path;
  std::string what =
      e.kind == sdk::error_kind::not_found && !words.not_found.empty() ? words.not_found : describe_kind(e);
  if (!r.message.empty() && r.message != what) what += ": " + r.message;
  if (e.retry_after) what += " (retry after " + std::to_string(e.retry_after->count()) + " s)";
  std::string where;
  if (e.status != 0) where = std::to_string(e.status) + (e.reason.empty() ? "" : " " + e.reason);
  if (!r.url.empty()) where += (where.empty() ? "" : ", ") + r.url;
  r.text = where.empty() ? what : what + " (" + where + ")";
  if (words.coc && e.kind == sdk::error_kind::not_found && !words.base_url.ends_with("/v1")) {
    r.text += "; the Clash of Clans base URL ends in /v1 (--base-url " + words.base_url + "/v1?)";
  }
  emit(r);
  return r.code;
}

}  // namespace overworld::cli
