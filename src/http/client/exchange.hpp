// One request and its answer on an open connection (internal to the client): the request head
// written by hand into the connection's own buffer (no per-field allocation), the answer's head
// read through a lent 64 KiB buffer by a parser that writes the status and headers straight into
// the client_response, and the body of known length read straight into the body string — or
// handed to a sink piece by piece.
#pragma once

#include <overworld/http/client.hpp>
#include "body_pool.hpp"
#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace overworld::http::detail {

using steady = std::chrono::steady_clock;

/// How big the lent read buffer is: the head and, most of the time, the whole body in one read.
inline constexpr std::size_t read_buffer_size = std::size_t{64} * 1024;
/// Room for this many headers is made once per answer (an API answer carries about ten).
inline constexpr std::size_t expected_headers = 16;
/// How much a streamed body is read at a time (the lent buffer grows to it once, and stays).
inline constexpr std::size_t stream_chunk_size = std::size_t{256} * 1024;
inline constexpr std::size_t header_limit = std::size_t{64} * 1024;

/// Time left for one step: its own timeout, cut short by the request's overall deadline.
inline std::chrono::milliseconds budget(std::chrono::milliseconds step, steady::time_point deadline) {
  auto const now = steady::now();
  if (deadline <= now) return std::chrono::milliseconds{0};
  if (deadline == steady::time_point::max()) return step;
  return std::min(step, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
}

/// Where body bytes go: the whole body (bounded by `limit`, with `padding` spare capacity, its
/// storage from `pool` when one fits), or a sink.
struct body_target {
  std::string* whole = nullptr;
  std::size_t limit = 0;
  std::size_t padding = 0;
  body_sink* sink = nullptr;
  body_pool* pool = nullptr;

  /// Room for a whole body of `length` bytes, before any of it arrives.
  void reserve(std::size_t length) {
    auto const need = length + padding;
    if (whole->capacity() >= need) return;
    if (pool && whole->empty()) *whole = pool->take(need);
    whole->reserve(need);
  }

  error_code put(std::string_view piece) {
    if (sink) return sink->on_data ? sink->on_data(piece) : error_code{};
    if (piece.size() > limit - whole->size()) return errc::too_large;
    auto const need = whole->size() + piece.size() + padding;
    if (whole->capacity() < need) whole->reserve(std::max(need, whole->capacity() * 2));
    whole->append(piece);
    return {};
  }
};

/// The answer's head into `head`, its body (chunked or read to the end) into `target`.
class answer_parser final : public boost::beast::http::basic_parser<false> {
 public:
  answer_parser(client_response& head, body_target& target) : head_(head), target_(target) {}

 private:
  using view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, view, view, int, error_code&) override {}
  void on_response_impl(int code, view, int, error_code&) override { head_.status = static_cast<unsigned>(code); }
  void on_field_impl(boost::beast::http::field, view name, view value, error_code&) override {
    head_.headers.emplace_back(std::string_view{name}, std::string_view{value});
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(boost::optional<std::uint64_t> const& length, error_code& ec) override {
    if (!length || !target_.whole) return;
    if (*length > target_.limit) {
      ec = errc::too_large;
      return;
    }
    target_.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(view body, error_code& ec) override {
    ec = target_.put(std::string_view{body});
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, view body, error_code& ec) override {
    ec = target_.put(std::string_view{body});
    return body.size();
  }
  void on_finish_impl(error_code&) override {}

  client_response& head_;
  body_target& target_;
};

/// Whether `name` is an HTTP token and `value` has no CR, LF or NUL (either would let a value
/// smuggle a header or a second request onto the wire).
bool valid_header(std::string_view name, std::string_view value) noexcept;
/// Whether a request target has only visible ASCII (no space, no control character).
bool valid_target(std::string_view target) noexcept;

/// Writes the request head into `out`: the request line, Host, User-Agent and Accept-Encoding
/// unless the caller's headers replace them, the caller's headers (the last of a name wins),
/// Content-Length when there is a body or the method carries one. errc::invalid_argument for a
/// header or target that cannot be sent.
error_code write_head(std::string& out, verb method, std::string_view target, std::string_view host,
                      client_options const& options, bool accept_encoding, client_request const& req);

/// What reading an answer came to, beside its error code.
struct exchange_state {
  bool stale = false;     ///< the connection was dead before any answer byte arrived: try a fresh one
  bool reusable = false;  ///< read to the end and nothing left over: back to the pool
};

template <class Stream>
boost::asio::awaitable<error_code> read_body_rest(Stream& stream, connection& conn, answer_parser& parser,
                                                  boost::beast::flat_buffer& buffer, body_target& target,
                                                  client_options const& options, steady::time_point deadline) {
  constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  auto const length = parser.content_length();
  if (!parser.chunked() && length) {
    // Known length: what came with the head from the buffer, the rest straight from the socket.
    auto remaining = static_cast<std::size_t>(*length);
    if (target.whole && remaining > target.limit) co_return errc::too_large;
    if (target.whole) target.reserve(remaining);
    auto const buffered = std::min(buffer.size(), remaining);
    if (buffered > 0) {
      auto const* data = static_cast<char const*>(buffer.data().data());
      if (auto ec = target.put(std::string_view{data, buffered})) co_return ec;
      buffer.consume(buffered);
      remaining -= buffered;
    }
    if (remaining == 0) co_return error_code{};
    if (target.whole) {
      auto& body = *target.whole;
      auto const have = body.size();
      body.resize(have + remaining);
      conn.tcp().expires_after(budget(options.read_timeout, deadline));
      auto [ec, n] =
          co_await boost::asio::async_read(stream, boost::asio::buffer(body.data() + have, remaining), use_tuple);
      if (ec) co_return normalise_transport_error(ec);
      co_return error_code{};
    }
    while (remaining > 0) {
      auto space = buffer.prepare(std::min(remaining, stream_chunk_size));
      conn.tcp().expires_after(budget(options.read_timeout, deadline));
      auto [ec, n] = co_await stream.async_read_some(space, use_tuple);
      if (n > 0) {
        if (auto e = target.put(std::string_view{static_cast<char const*>(space.data()), n})) co_return e;
        remaining -= n;
      }
      if (ec && remaining > 0) co_return normalise_transport_error(ec);
    }
    co_return error_code{};
  }
  // Chunked, or read until the server closes: through the parser, piece by piece.
  while (!parser.is_done()) {
    conn.tcp().expires_after(budget(options.read_timeout, deadline));
    auto [ec, n] = co_await boost::beast::http::async_read_some(stream, buffer, parser, use_tuple);
    if (ec) co_return normalise_transport_error(ec);
  }
  co_return error_code{};
}

/// Reads one answer (skipping 1xx interim ones) into `head` and `target`.
template <class Stream>
boost::asio::awaitable<error_code> read_answer(Stream& stream, connection& conn, boost::beast::flat_buffer& buffer,
                                               client_response& head, body_target& target, bool head_request,
                                               client_options const& options, steady::time_point deadline,
                                               exchange_state& state) {
  constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);
  std::optional<answer_parser> parser;
  for (bool first = true;; first = false) {
    head.headers.clear();
    head.headers.reserve(expected_headers);
    auto& p = parser.emplace(head, target);
    p.header_limit(static_cast<std::uint32_t>(header_limit));
    p.body_limit(boost::none);  // the target bounds it
    p.skip(head_request);
    conn.tcp().expires_after(budget(options.read_timeout, deadline));
    auto [ec, n] = co_await boost::beast::http::async_read_header(stream, buffer, p, use_tuple);
    if (ec) {
      state.stale = first && !p.got_some() && is_connection_closed(ec);
      co_return normalise_transport_error(ec);
    }
    if (head.status >= 200 || head.status == 101) break;
  }
  if (target.sink && target.sink->on_head) {
    if (auto ec = target.sink->on_head(head)) co_return ec;
  }
  if (!parser->is_done()) {
    if (auto ec = co_await read_body_rest(stream, conn, *parser, buffer, target, options, deadline)) co_return ec;
  }
  conn.tcp().expires_never();
  state.reusable = parser->keep_alive() && buffer.size() == 0;
  co_return error_code{};
}

}  // namespace overworld::http::detail
