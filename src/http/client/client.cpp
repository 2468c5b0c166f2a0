// The client's connection pool and the path of one request through it.
#include "exchange.hpp"

#include <overworld/http/client.hpp>
#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <unistd.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <unordered_map>

namespace overworld::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// A small body goes out in the head's buffer: one buffer, one send.
constexpr std::size_t inline_body = 4096;

steady::time_point deadline_for(client_request const& req, client_options const& options) {
  auto const total = req.total_timeout.value_or(options.total_timeout);
  if (total == std::chrono::milliseconds::max()) return steady::time_point::max();
  return steady::now() + total;
}

// Decodes a gzip or deflate body in place; the headers then describe what the caller holds.
error_code decode_content(client_response& out, client_options const& options) {
  auto encoding = out.header("Content-Encoding");
  if (!encoding || encoding->empty() || iequals(*encoding, "identity")) return {};
  auto decoded = inflate_body(out.body, *encoding, options.max_response_size);
  if (!decoded) return decoded.error();
  out.body = std::move(*decoded);
  if (out.body.capacity() < out.body.size() + options.body_padding)
    out.body.reserve(out.body.size() + options.body_padding);
  std::erase_if(out.headers, [](auto const& h) { return iequals(h.first, "Content-Encoding"); });
  for (auto& h : out.headers) {
    if (iequals(h.first, "Content-Length")) h.second = std::to_string(out.body.size());
  }
  return {};
}

}  // namespace

void abort_handle::abort() {
  aborted_ = true;
  if (close_) close_();
}

body_sink write_to_fd(int fd) {
  body_sink sink;
  sink.on_data = [fd](std::string_view piece) -> error_code {
    while (!piece.empty()) {
      auto const n = ::write(fd, piece.data(), piece.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return error_code{errno, boost::system::system_category()};
      piece.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  };
  return sink;
}

struct client::impl {
  asio::any_io_executor executor;
  client_options options;
  tls_client_context tls{options};  // after `options`: made from them
  std::unordered_map<std::string, std::vector<std::unique_ptr<connection>>> idle;
  // Read buffers lent to one answer at a time: as many as answers read at once, none held by an
  // idle connection.
  std::vector<beast::flat_buffer> spare_buffers;
  // Storage of finished bodies, shared with the answers handed out by share().
  std::shared_ptr<detail::body_pool> bodies =
      std::make_shared<detail::body_pool>(options.body_pool_size, options.body_pool_bytes);
  stats counters;

  impl(asio::any_io_executor ex, client_options o) : executor(std::move(ex)), options(std::move(o)) {}

  std::unique_ptr<connection> take_idle(std::string const& key) {
    auto it = idle.find(key);
    if (it == idle.end()) return nullptr;
    auto& list = it->second;
    auto const now = steady::now();
    while (!list.empty()) {
      auto conn = std::move(list.back());
      list.pop_back();
      if (now - conn->idle_since < options.idle_timeout) return conn;
    }
    return nullptr;
  }

  void give_back(std::string const& key, std::unique_ptr<connection> conn) {
    auto& list = idle[key];
    if (list.size() >= options.max_idle_per_host) return;
    conn->idle_since = steady::now();
    list.push_back(std::move(conn));
  }

  beast::flat_buffer borrow_buffer() {
    if (spare_buffers.empty()) {
      beast::flat_buffer b;
      b.reserve(detail::read_buffer_size);
      return b;
    }
    auto b = std::move(spare_buffers.back());
    spare_buffers.pop_back();
    return b;
  }

  void return_buffer(beast::flat_buffer b) {
    b.clear();
    spare_buffers.push_back(std::move(b));
  }

  /// Sends the head (and body) on `conn` and reads the answer.
  template <class Stream>
  asio::awaitable<error_code> exchange(Stream& stream, connection& conn, client_request const& req,
                                       client_response& out, detail::body_target& target, bool head_request,
                                       steady::time_point deadline, detail::exchange_state& state) {
    conn.tcp().expires_after(detail::budget(options.read_timeout, deadline));
    error_code wec;
    if (req.body.size() <= inline_body) {
      auto [e, n] = co_await asio::async_write(stream, asio::buffer(conn.head), use_tuple);
      wec = e;
    } else {
      std::array<asio::const_buffer, 2> const parts{asio::buffer(conn.head), asio::buffer(req.body)};
      auto [e, n] = co_await asio::async_write(stream, parts, use_tuple);
      wec = e;
    }
    if (wec) {
      state.stale = is_connection_closed(wec);
      co_return normalise_transport_error(wec);
    }
    auto buffer = borrow_buffer();
    auto ec = co_await detail::read_answer(stream, conn, buffer, out, target, head_request, options, deadline, state);
    if (buffer.size() != 0) state.reusable = false;  // bytes nobody asked for: the connection is not clean
    return_buffer(std::move(buffer));
    co_return ec;
  }
};

client::client(asio::any_io_executor executor, client_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}

client::~client() = default;

std::shared_ptr<client_response const> client::share(client_response answer) {
  auto owned = std::make_unique<client_response>(std::move(answer));
  auto give_back = [pool = impl_->bodies](client_response* done) noexcept {
    pool->give(std::move(done->body));
    delete done;
  };
  return std::shared_ptr<client_response const>{owned.release(), std::move(give_back)};
}

client::stats client::statistics() const noexcept { return impl_->counters; }

void client::close_idle() { impl_->idle.clear(); }

client_options const& client::options() const noexcept { return impl_->options; }

asio::any_io_executor client::executor() const noexcept { return impl_->executor; }

asio::awaitable<result<client_response>> client::request(client_request req) { return run(std::move(req), nullptr); }

asio::awaitable<result<client_response>> client::stream(client_request req, body_sink sink) {
  auto op = run(std::move(req), &sink);
  co_return co_await std::move(op);
}

asio::awaitable<result<client_response>> client::run(client_request req, body_sink* sink) {
  impl& s = *impl_;
  ++s.counters.requests;
  if (req.abort && req.abort->aborted()) co_return error_code{asio::error::operation_aborted};
  auto url = parse_url(req.url);
  if (!url) co_return url.error();
  auto const deadline = deadline_for(req, s.options);
  std::string const host = host_header(*url);
  std::string const key = (url->tls ? "https://" : "http://") + host;
  bool const head_request = req.method == verb::head;
  bool const decompress = s.options.decompress && !sink;

  client_response out;
  detail::body_target target{sink ? nullptr : &out.body, s.options.max_response_size, s.options.body_padding, sink,
                             s.bodies.get()};

  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<connection> conn = s.take_idle(key);
    bool const reused = conn != nullptr;
    if (reused) {
      ++s.counters.connections_reused;
    } else {
      auto opened = co_await open_connection(s.executor, s.options, s.tls, *url, deadline);
      if (!opened) co_return opened.error();
      conn = std::move(*opened);
      ++s.counters.connections_opened;
    }
    if (auto ec = detail::write_head(conn->head, req.method, url->target, host, s.options, decompress, req)) {
      co_return ec;
    }
    if (req.body.size() <= inline_body) conn->head += req.body;
    if (req.abort) {
      auto* lowest = &conn->tcp();
      req.abort->close_ = [lowest] {
        beast::error_code ignored;
        lowest->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        lowest->close();
      };
    }
    out.status = 0;
    out.headers.clear();
    detail::exchange_state state;
    // Two statements, not a conditional expression: g++ 12 miscompiles co_await inside ?:.
    error_code ec;
    if (conn->tls) {
      ec = co_await s.exchange(*conn->tls, *conn, req, out, target, head_request, deadline, state);
    } else {
      ec = co_await s.exchange(*conn->plain, *conn, req, out, target, head_request, deadline, state);
    }
    if (req.abort) {
      req.abort->close_ = nullptr;
      if (req.abort->aborted()) co_return error_code{asio::error::operation_aborted};
    }
    if (ec) {
      if (reused && state.stale && attempt == 0) continue;  // the server had closed the pooled connection
      co_return ec;
    }
    if (state.reusable) s.give_back(key, std::move(conn));
    if (decompress && !head_request) {
      if (auto dec = decode_content(out, s.options)) co_return dec;
    }
    co_return out;
  }
}

}  // namespace overworld::http
