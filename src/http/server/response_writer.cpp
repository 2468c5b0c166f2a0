#include "response_writer.hpp"

#include "memory_stream.hpp"

#include <overworld/http/helpers.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <sys/sendfile.h>
#include <unistd.h>
#include <array>
#include <chrono>
#include <cstdio>
#include <type_traits>

namespace overworld::http::detail {
namespace {

namespace beast = boost::beast;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

void append_head(std::string& out, response const& res, std::uint64_t content_length, bool keep_alive, unsigned version,
                 std::string_view server_name, bool chunked) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  out += reason_phrase(res.status);
  out += "\r\nDate: ";
  out += cached_http_date();
  out += "\r\nServer: ";
  out += server_name;
  out += "\r\n";
  if (!res.content_type.empty()) {
    out += "Content-Type: ";
    out += res.content_type;
    out += "\r\n";
  }
  if (chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  } else if (res.status != 304 && res.status != 204 && !(res.status >= 100 && res.status < 200)) {
    out += "Content-Length: ";
    out += std::to_string(content_length);
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version == 10) {
    out += "Connection: keep-alive\r\n";
  }
  if (res.shared_headers) out += *res.shared_headers;
  out += res.extra_headers();
  out += "\r\n";
}

/// sendfile(2) until the region is out, waiting for the socket when it is full. The transfer gets
/// write_timeout per started megabyte, checked whenever the socket had to be waited for.
asio::awaitable<bool> send_file(server_state* state, beast::tcp_stream& stream, file_body const& file) {
  auto& socket = stream.socket();
  socket.native_non_blocking(true);
  auto offset = static_cast<off_t>(file.offset());
  std::uint64_t left = file.length();
  auto const budget = state->options.write_timeout * static_cast<long>(1 + file.length() / (std::size_t{1024} * 1024));
  auto const deadline = std::chrono::steady_clock::now() + budget;
  while (left > 0) {
    ssize_t const n = ::sendfile(socket.native_handle(), file.fd(), &offset, std::min<std::uint64_t>(left, 1 << 20));
    if (n > 0) {
      left -= static_cast<std::uint64_t>(n);
      continue;
    }
    if (n == 0) co_return false;  // the file shrank under us
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) co_return false;
    if (std::chrono::steady_clock::now() > deadline) co_return false;
    auto [ec] = co_await socket.async_wait(tcp::socket::wait_write, use_tuple);
    if (ec) co_return false;
  }
  co_return true;
}

/// Without a socket (in-memory streams): the region read and written in pieces.
asio::awaitable<bool> send_file(server_state* state, memory_stream& stream, file_body const& file) {
  std::array<char, std::size_t{64} * 1024> piece;
  auto offset = static_cast<off_t>(file.offset());
  std::uint64_t left = file.length();
  while (left > 0) {
    ssize_t const n = ::pread(file.fd(), piece.data(), std::min<std::uint64_t>(left, piece.size()), offset);
    if (n <= 0) co_return false;
    stream.expires_after(state->options.write_timeout);
    auto [ec, written] =
        co_await asio::async_write(stream, asio::buffer(piece.data(), static_cast<std::size_t>(n)), use_tuple);
    if (ec) co_return false;
    offset += n;
    left -= static_cast<std::uint64_t>(n);
  }
  co_return true;
}

}  // namespace

template <class Stream>
asio::awaitable<bool> response_writer<Stream>::write(response res, bool keep_alive, unsigned version, bool head_only) {
  stream_.expires_after(state_->options.write_timeout);
  if (res.stream && !head_only) co_return co_await write_stream(std::move(res), keep_alive, version);
  if (res.file) {
    append_head(head_, res, res.file->length(), keep_alive, version, state_->options.server_name, false);
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(head_), use_tuple);
    if (ec) co_return false;
    if (head_only || res.status == 304) co_return keep_alive;
    co_return co_await write_file(res.file) && keep_alive;
  }
  std::string_view const body = res.body_view();
  append_head(head_, res, body.size(), keep_alive, version, state_->options.server_name, false);
  bool const send_body = !head_only && res.status != 304 && res.status != 204;
  std::array<asio::const_buffer, 2> bufs{asio::buffer(head_), asio::buffer(body.data(), send_body ? body.size() : 0)};
  auto [ec, n] = co_await asio::async_write(stream_, bufs, use_tuple);
  co_return !ec && keep_alive;
}

template <class Stream>
asio::awaitable<bool> response_writer<Stream>::write_continue() {
  static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
  stream_.expires_after(state_->options.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(interim.data(), interim.size()), use_tuple);
  co_return !ec;
}

template <class Stream>
asio::awaitable<bool> response_writer<Stream>::write_file(std::shared_ptr<file_body> file) {
  co_return co_await send_file(state_, stream_, *file);
}

/// Chunked under HTTP/1.1; raw bytes until the close under HTTP/1.0.
template <class Stream>
asio::awaitable<bool> response_writer<Stream>::write_stream(response res, bool keep_alive, unsigned version) {
  append_head(head_, res, 0, keep_alive && version >= 11, version, state_->options.server_name, version >= 11);
  auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(head_), use_tuple);
  if (ec) co_return false;
  conn_.streaming = res.stream;
  bool ok = true;
  while (ok && !state_->draining.load()) {
    stream_.expires_never();
    auto chunk = co_await res.stream->next();
    if (!chunk) break;
    if (!chunk->empty()) ok = co_await write_chunk(*chunk, version);
  }
  res.stream->stop();
  conn_.streaming.reset();
  if (!ok || version < 11) co_return false;
  stream_.expires_after(state_->options.write_timeout);
  auto [eec, en] = co_await asio::async_write(stream_, asio::buffer("0\r\n\r\n", 5), use_tuple);
  co_return !eec && keep_alive && !state_->draining.load();
}

template <class Stream>
asio::awaitable<bool> response_writer<Stream>::write_chunk(std::string_view chunk, unsigned version) {
  stream_.expires_after(state_->options.write_timeout);
  if (version < 11) {
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(chunk.data(), chunk.size()), use_tuple);
    co_return !ec;
  }
  char size_line[32];
  int const len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  std::array<asio::const_buffer, 3> bufs{asio::buffer(size_line, static_cast<std::size_t>(len)),
                                         asio::buffer(chunk.data(), chunk.size()), asio::buffer("\r\n", 2)};
  auto [ec, n] = co_await asio::async_write(stream_, bufs, use_tuple);
  co_return !ec;
}

template class response_writer<beast::tcp_stream>;
template class response_writer<memory_stream>;

}  // namespace overworld::http::detail
