// Reading a Server-Sent Events stream (internal to the SDK): the parser of the text/event-stream
// format, and a connection that reads one streamed response as it arrives. The HTTP client reads
// whole bodies only, so the stream has its own small reader, over plain HTTP or TLS (opened and
// verified the way the client opens its connections).
#pragma once

#include <overworld/http/client.hpp>
#include <overworld/toon/errors.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::toon::detail {

struct sse_event {
  std::string id;
  std::string type = "message";
  std::string data;
};

/// The event-stream format (WHATWG HTML §9.2): lines ending in LF, CR or CRLF; `event`, `data`
/// (several lines joined with LF), `id`, `retry`; comments start with ':'; a blank line dispatches.
class sse_parser {
 public:
  /// Feeds bytes as they arrive; complete events are appended to `out`.
  void feed(std::string_view bytes, std::vector<sse_event>& out);
  /// The last `retry:` value, if any.
  std::optional<std::chrono::milliseconds> retry() const noexcept { return retry_; }
  /// The id of the last dispatched event (what Last-Event-ID sends back).
  std::string const& last_id() const noexcept { return last_id_; }

 private:
  void line(std::string_view text, std::vector<sse_event>& out);

  std::string pending_;
  bool skip_lf_ = false;  // a CR ended the last line; an LF right after it belongs to it
  sse_event event_;
  bool has_data_ = false;
  std::string last_id_;
  std::optional<std::chrono::milliseconds> retry_;
};

struct sse_options {
  std::string user_agent;
  /// connect_timeout, and TLS: verify_peer, ca_file.
  http::client_options http{};
  /// Longest silence accepted on an open stream (servers send heartbeats well within it).
  std::chrono::milliseconds idle_timeout{60'000};
};

class sse_connection {
 public:
  sse_connection(boost::asio::any_io_executor executor, sse_options options);
  ~sse_connection();
  sse_connection(sse_connection const&) = delete;
  sse_connection& operator=(sse_connection const&) = delete;

  /// Connects and reads the answer's head. Errors: not_found when the server has no stream (any
  /// answer other than 200 text/event-stream), transport / timeout otherwise.
  boost::asio::awaitable<api_result<void>> open(std::string url, std::string last_event_id);
  /// The next events (at least one), or an error when the stream ends or breaks.
  boost::asio::awaitable<api_result<std::vector<sse_event>>> next();
  /// Closes the socket; a pending open() or next() ends with an error. Call on the executor.
  void close();
  sse_parser const& parser() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::toon::detail
