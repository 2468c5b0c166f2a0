// Reading a Server-Sent Events stream (internal to the SDK): the parser of the text/event-stream
// format, and the stream read through the HTTP client's body sink as it arrives, over plain HTTP
// or TLS.
#pragma once

#include <overworld/http/client.hpp>
#include <overworld/toon/errors.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
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

/// What a stream reader is told as the stream goes.
struct sse_handlers {
  /// The server answered 200 text/event-stream: the stream is open.
  std::function<void()> on_open;
  /// Events, in order, as they arrive (the vector is reused: take what you keep).
  std::function<void(std::vector<sse_event>&)> on_events;
};

/// GETs `url` as an event stream through `client` (whose read_timeout is the longest silence
/// accepted: servers send heartbeats well within it) and hands its events to `handlers` until the
/// stream ends or breaks (an error) or `abort` ends it. not_found when the server has no stream
/// (any answer other than 200 text/event-stream).
boost::asio::awaitable<api_result<void>> read_event_stream(http::client& client, std::string url,
                                                           std::string last_event_id,
                                                           std::shared_ptr<http::abort_handle> abort,
                                                           sse_parser& parser, sse_handlers handlers);

}  // namespace overworld::toon::detail
