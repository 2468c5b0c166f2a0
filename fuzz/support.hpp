// Fuzz support: a request from raw bytes ("METHOD /path\nName: value\n…\n\nbody") handed straight
// to a router's handler, without sockets, and the check every JSON answer must pass.
#pragma once

#include <overworld/core/text.hpp>
#include <overworld/http/router.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::fuzzing {

/// Splits off the first line of `text` (without its LF).
inline std::string_view next_line(std::string_view& text) {
  auto const end = text.find('\n');
  auto const line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return line;
}

/// Answers from JSON APIs are JSON, and never invalid UTF-8.
inline void check_json_answer(http::response const& r) {
  std::string_view const body = r.shared_body ? std::string_view{*r.shared_body} : std::string_view{r.body};
  if (!valid_utf8(body)) __builtin_trap();
  if (r.content_type.starts_with("application/json") && !body.empty()) {
    boost::system::error_code ec;
    (void)boost::json::parse(body, ec);
    if (ec) __builtin_trap();
  }
}

/// Reads "METHOD target", header lines, an empty line and the body into `req` (its headers in
/// `headers`, which must outlive it); false without a request line.
inline bool read_request(std::string_view bytes, http::request& req, std::vector<http::header_field>& headers,
                         std::string_view client = "127.0.0.1") {
  auto const request_line = next_line(bytes);
  auto const space = request_line.find(' ');
  if (space == std::string_view::npos) return false;
  req.method_name = request_line.substr(0, space);
  req.method = http::verb_from_string(req.method_name);
  req.target = request_line.substr(space + 1);
  auto const q = req.target.find('?');
  req.path = req.target.substr(0, q);
  req.query = q == std::string_view::npos ? std::string_view{} : req.target.substr(q + 1);
  while (!bytes.empty()) {
    auto const line = next_line(bytes);
    if (line.empty()) break;
    auto const colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.push_back({line.substr(0, colon), value});
  }
  req.headers = headers;
  req.body = bytes;
  req.peer_address = client;
  req.client_address = client;
  return true;
}

/// The answer of a coroutine handler, run to its end on an io_context of its own (the handlers the
/// fuzzers reach ask nothing outside the process).
inline http::response run_async(http::async_handler const& handler, http::request const& req) {
  boost::asio::io_context io;
  auto answer = boost::asio::co_spawn(io, handler(req), boost::asio::use_future);
  io.run();
  return answer.get();
}

/// Runs the request the bytes describe (read_request) through `routes` (sync filters only) and
/// returns the answer; nullopt when no route matches.
inline std::optional<http::response> dispatch(http::router const& routes, std::string_view bytes,
                                              std::string_view client = "127.0.0.1") {
  http::request req;
  std::vector<http::header_field> headers;
  if (!read_request(bytes, req, headers, client)) return std::nullopt;
  std::vector<http::path_param> params;
  auto const m = routes.find(req.method, req.path, params);
  if (!m.found) return std::nullopt;
  req.params = params;
  if (m.found->filters) {
    for (auto const& f : *m.found->filters) {
      auto const* sync = std::get_if<http::sync_filter>(&f);
      if (!sync) return std::nullopt;  // a filter that awaits (a limit shared through Redis)
      if (auto refused = (*sync)(req)) return refused;
    }
  }
  if (auto const* handler = std::get_if<http::sync_handler>(&m.found->fn)) return (*handler)(req);
  return run_async(std::get<http::async_handler>(m.found->fn), req);
}

}  // namespace overworld::fuzzing
