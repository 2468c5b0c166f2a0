#include "sse.hpp"

#include "answers.hpp"

#include <overworld/http/client.hpp>
#include <overworld/http/connection.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

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
  asio::any_io_executor executor;
  sse_options options;
  http::tls_client_context tls;
  std::unique_ptr<http::connection> conn;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> response;
  sse_parser parser;
  std::string url;

  impl(asio::any_io_executor ex, sse_options o) : executor(std::move(ex)), options(std::move(o)), tls(options.http) {}

  error transport(error_code ec) const { return error_from_transport(http::normalise_transport_error(ec), url); }

  template <class Stream>
  asio::awaitable<api_result<void>> exchange(Stream& stream, http::url_parts const& parts, std::string last_event_id) {
    constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, parts.target, 11};
    req.set(bhttp::field::host, http::host_header(parts));
    req.set(bhttp::field::user_agent, options.user_agent);
    req.set(bhttp::field::accept, "text/event-stream");
    req.set(bhttp::field::cache_control, "no-cache");
    if (!last_event_id.empty()) req.set("Last-Event-ID", last_event_id);
    conn->tcp().expires_after(options.idle_timeout);
    auto [wec, written] = co_await bhttp::async_write(stream, req, use_tuple);
    if (wec) co_return failure<void>(transport(wec));

    response.emplace();
    response->body_limit(boost::none);  // a stream has no end; each read is bounded by the buffer
    conn->tcp().expires_after(options.idle_timeout);
    auto [hec, n] = co_await bhttp::async_read_header(stream, conn->buffer, *response, use_tuple);
    if (hec) co_return failure<void>(transport(hec));
    auto const& head = response->get();
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

  template <class Stream>
  asio::awaitable<api_result<std::vector<sse_event>>> read(Stream& stream) {
    constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
    std::vector<sse_event> out;
    char chunk[8192];
    while (out.empty()) {
      if (!response || response->is_done()) {
        co_return failure<std::vector<sse_event>>(error_from_transport(make_error_code(errc::protocol_error), url));
      }
      auto& body = response->get().body();
      body.data = chunk;
      body.size = sizeof chunk;
      conn->tcp().expires_after(options.idle_timeout);
      auto [ec, n] = co_await bhttp::async_read_some(stream, conn->buffer, *response, use_tuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      auto const got = sizeof chunk - body.size;
      if (got > 0) parser.feed(std::string_view{chunk, got}, out);
      if (ec && out.empty()) co_return failure<std::vector<sse_event>>(transport(ec));
      if (response->is_done() && out.empty()) {
        error e = error_from_transport(make_error_code(errc::protocol_error), url);
        e.message = "the event stream ended";
        co_return failure<std::vector<sse_event>>(std::move(e));
      }
    }
    co_return out;
  }
};

sse_connection::sse_connection(asio::any_io_executor executor, sse_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}
sse_connection::~sse_connection() = default;

sse_parser const& sse_connection::parser() const noexcept { return impl_->parser; }

void sse_connection::close() {
  if (!impl_->conn) return;
  beast::error_code ignored;
  auto& lowest = impl_->conn->tcp();
  lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
  lowest.close();
}

asio::awaitable<api_result<void>> sse_connection::open(std::string url, std::string last_event_id) {
  auto& s = *impl_;
  s.url = url;
  s.response.reset();
  auto parts = http::parse_url(url);
  if (!parts) co_return failure<void>(error_from_transport(make_error_code(errc::invalid_argument), url));
  auto opened = co_await http::open_connection(s.executor, s.options.http, s.tls, *parts,
                                               std::chrono::steady_clock::now() + s.options.http.connect_timeout);
  if (!opened) co_return failure<void>(error_from_transport(opened.error(), url));
  s.conn = std::move(*opened);
  // Two statements, not a conditional expression: g++ 12 miscompiles co_await inside ?:.
  api_result<void> r;
  if (s.conn->tls) {
    r = co_await s.exchange(*s.conn->tls, *parts, std::move(last_event_id));
  } else {
    r = co_await s.exchange(*s.conn->plain, *parts, std::move(last_event_id));
  }
  co_return r;
}

asio::awaitable<api_result<std::vector<sse_event>>> sse_connection::next() {
  auto& s = *impl_;
  if (!s.conn)
    co_return failure<std::vector<sse_event>>(error_from_transport(make_error_code(errc::protocol_error), s.url));
  api_result<std::vector<sse_event>> r;
  if (s.conn->tls) {
    r = co_await s.read(*s.conn->tls);
  } else {
    r = co_await s.read(*s.conn->plain);
  }
  co_return r;
}

}  // namespace overworld::toon::detail
