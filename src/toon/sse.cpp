#include "sse.hpp"

#include "answers.hpp"

#include <overworld/http/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>

namespace overworld::toon::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

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

struct sse_connection::impl {
  sse_options options;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> response;
  sse_parser parser;
  std::string url;

  impl(asio::any_io_executor ex, sse_options o) : options(std::move(o)), stream(std::move(ex)) {}
};

sse_connection::sse_connection(asio::any_io_executor executor, sse_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}
sse_connection::~sse_connection() = default;

sse_parser const& sse_connection::parser() const noexcept { return impl_->parser; }

void sse_connection::close() {
  beast::error_code ignored;
  impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  impl_->stream.close();
}

asio::awaitable<api_result<void>> sse_connection::open(std::string url, std::string last_event_id) {
  constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
  auto& s = *impl_;
  s.url = url;
  auto parts = http::parse_url(url);
  if (!parts) co_return failure<void>(error_from_transport(make_error_code(errc::invalid_argument), url));
  if (parts->tls) co_return failure<void>(error_from_transport(make_error_code(errc::unsupported), url));

  tcp::resolver resolver{s.stream.get_executor()};
  s.stream.expires_after(s.options.connect_timeout);
  auto [rec, endpoints] = co_await resolver.async_resolve(parts->host, std::to_string(parts->port), use_tuple);
  if (rec) co_return failure<void>(error_from_transport(rec, url));
  auto [cec, ep] = co_await s.stream.async_connect(endpoints, use_tuple);
  if (cec) co_return failure<void>(error_from_transport(cec == beast::error::timeout ? make_error_code(errc::timeout) : cec, url));

  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, parts->target, 11};
  req.set(bhttp::field::host, parts->host + ':' + std::to_string(parts->port));
  req.set(bhttp::field::user_agent, s.options.user_agent);
  req.set(bhttp::field::accept, "text/event-stream");
  req.set(bhttp::field::cache_control, "no-cache");
  if (!last_event_id.empty()) req.set("Last-Event-ID", last_event_id);
  auto [wec, written] = co_await bhttp::async_write(s.stream, req, use_tuple);
  if (wec) co_return failure<void>(error_from_transport(wec, url));

  s.response.emplace();
  s.response->body_limit(boost::none);  // a stream has no end; each read is bounded by the buffer
  s.stream.expires_after(s.options.idle_timeout);
  auto [hec, n] = co_await bhttp::async_read_header(s.stream, s.buffer, *s.response, use_tuple);
  if (hec) co_return failure<void>(error_from_transport(hec == beast::error::timeout ? make_error_code(errc::timeout) : hec, url));
  auto const& head = s.response->get();
  auto const type = head[bhttp::field::content_type];
  if (head.result_int() != 200 || type.substr(0, 17) != "text/event-stream") {
    error e;
    e.kind = error_kind::not_found;
    e.status = head.result_int();
    e.message = "no event stream here";
    e.url = url;
    co_return failure<void>(std::move(e));
  }
  co_return api_result<void>{};
}

asio::awaitable<api_result<std::vector<sse_event>>> sse_connection::next() {
  constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
  auto& s = *impl_;
  std::vector<sse_event> out;
  char chunk[8192];
  while (out.empty()) {
    if (!s.response || s.response->is_done()) {
      co_return failure<std::vector<sse_event>>(error_from_transport(make_error_code(errc::protocol_error), s.url));
    }
    auto& body = s.response->get().body();
    body.data = chunk;
    body.size = sizeof chunk;
    s.stream.expires_after(s.options.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read_some(s.stream, s.buffer, *s.response, use_tuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    auto const got = sizeof chunk - body.size;
    if (got > 0) s.parser.feed(std::string_view{chunk, got}, out);
    if (ec && out.empty()) {
      auto const code = ec == beast::error::timeout ? make_error_code(errc::timeout) : error_code{ec};
      co_return failure<std::vector<sse_event>>(error_from_transport(code, s.url));
    }
    if (s.response->is_done() && out.empty()) {
      error e = error_from_transport(make_error_code(errc::protocol_error), s.url);
      e.message = "the event stream ended";
      co_return failure<std::vector<sse_event>>(std::move(e));
    }
  }
  co_return out;
}

}  // namespace overworld::toon::detail
