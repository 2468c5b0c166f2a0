#include "sse.hpp"

#include "answers.hpp"

#include <overworld/http/client.hpp>

#include <boost/asio/error.hpp>

#include <charconv>

namespace overworld::toon::detail {

void sse_parser::feed(std::string_view bytes, std::vector<sse_event>& out) {
  for (char c : bytes) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      skip_lf_ = c == '\r';
      line(pending_, out);
      pending_.clear();
    } else {
      pending_.push_back(c);
    }
  }
}

void sse_parser::line(std::string_view text, std::vector<sse_event>& out) {
  if (text.empty()) {
    if (has_data_) {
      if (!event_.data.empty() && event_.data.back() == '\n') event_.data.pop_back();
      event_.id = last_id_;
      out.push_back(std::move(event_));
    }
    event_ = sse_event{};
    has_data_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment: heartbeats
  auto const colon = text.find(':');
  std::string_view const name = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (name == "event") {
    event_.type.assign(value);
  } else if (name == "data") {
    event_.data.append(value);
    event_.data.push_back('\n');
    has_data_ = true;
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  } else if (name == "retry") {
    std::uint64_t ms = 0;
    auto const [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc{} && end == value.data() + value.size()) retry_ = std::chrono::milliseconds{ms};
  }
}

boost::asio::awaitable<api_result<void>> read_event_stream(http::client& client, std::string url,
                                                           std::string last_event_id,
                                                           std::shared_ptr<http::abort_handle> abort,
                                                           sse_parser& parser, sse_handlers handlers) {
  http::client_request req{http::verb::get, url};
  req.headers = {{"Accept", "text/event-stream"}, {"Cache-Control", "no-cache"}};
  if (!last_event_id.empty()) req.headers.emplace_back("Last-Event-ID", std::move(last_event_id));
  req.total_timeout = std::chrono::milliseconds::max();  // a stream lasts as long as it is read
  req.abort = std::move(abort);
  bool no_stream = false;
  unsigned status = 0;
  std::vector<sse_event> events;
  http::body_sink sink;
  sink.on_head = [&](http::client_response const& head) -> error_code {
    status = head.status;
    auto const type = head.header("Content-Type").value_or("");
    if (head.status != 200 || type.substr(0, 17) != "text/event-stream") {
      no_stream = true;
      return errc::not_found;
    }
    if (handlers.on_open) handlers.on_open();
    return {};
  };
  sink.on_data = [&](std::string_view piece) -> error_code {
    parser.feed(piece, events);
    if (!events.empty() && handlers.on_events) handlers.on_events(events);
    events.clear();
    return {};
  };
  auto r = co_await client.stream(std::move(req), std::move(sink));
  if (no_stream) {
    error e;
    e.kind = error_kind::not_found;
    e.status = status;
    e.message = "no event stream here";
    e.path = url;
    co_return sdk::failure<void>(std::move(e));
  }
  if (!r) co_return sdk::failure<void>(sdk::error_from_transport(r.error(), url));
  error e = sdk::error_from_transport(make_error_code(errc::protocol_error), url);
  e.message = "the event stream ended";
  co_return sdk::failure<void>(std::move(e));
}

}  // namespace overworld::toon::detail
