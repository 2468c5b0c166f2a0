// One coroutine per connection: read a request within its limits, route it, write the answer,
// repeat while the connection stays alive. Errors are values here; nothing throws out.
#include "server_impl.hpp"

#include <overworld/core/log.hpp>
#include <overworld/http/helpers.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include <sys/sendfile.h>
#include <chrono>
#include <limits>

namespace overworld::http::detail {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// Keeps the drain list in step with the coroutine's life.
class connection_guard {
 public:
  connection_guard(server_state* s, worker* w, beast::tcp_stream* stream) : state_(s), worker_(w) {
    worker_->connections.push_back(connection{stream, true, nullptr});
    it_ = std::prev(worker_->connections.end());
    state_->open.fetch_add(1);
  }
  ~connection_guard() {
    worker_->connections.erase(it_);
    state_->open.fetch_sub(1);
  }
  connection_guard(connection_guard const&) = delete;
  connection_guard& operator=(connection_guard const&) = delete;
  connection& get() { return *it_; }

 private:
  server_state* state_;
  worker* worker_;
  std::list<connection>::iterator it_;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// What Beast 1.81 lets through and we must not: RFC 9112 §3.2 and §6.1.
std::string_view header_problem(bhttp::request_parser<bhttp::string_body> const& parser) {
  auto const& req = parser.get();
  std::size_t const hosts = req.count(bhttp::field::host);
  if (req.version() >= 11 && hosts == 0) return "missing Host header";
  if (hosts > 1) return "more than one Host header";
  std::size_t const te = req.count(bhttp::field::transfer_encoding);
  if (te > 0) {
    if (te > 1) return "unsupported Transfer-Encoding";
    auto const value = trim(std::string_view{req[bhttp::field::transfer_encoding]});
    if (!iequals(value, "chunked")) return "unsupported Transfer-Encoding";
    if (req.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
    if (req.count(bhttp::field::content_length) > 0) return "both Content-Length and Transfer-Encoding";
  }
  return {};
}

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

struct exchange {
  std::vector<header_field> headers;
  std::vector<path_param> params;
  std::vector<std::string_view> forwarded;
  std::string head;  // reused between requests of a connection
};

asio::awaitable<response> call_handler(route const* r, request req) {
  try {
    if (r->filters) {
      for (auto const& f : *r->filters) {
        if (auto early = f(req)) co_return std::move(*early);
      }
    }
    if (auto const* sync = std::get_if<sync_handler>(&r->fn)) co_return (*sync)(req);
    co_return co_await std::get<async_handler>(r->fn)(req);
  } catch (std::exception const& e) {
    spdlog::error("handler {} {} threw: {}", to_string(r->method), r->pattern, e.what());
  }
  co_return default_error(500, "internal server error");
}

/// sendfile(2) until the region is out, waiting for the socket when it is full. The transfer gets
/// write_timeout per started megabyte, checked whenever the socket had to be waited for.
asio::awaitable<bool> send_file(server_state* state, beast::tcp_stream& stream, file_body const& file) {
  auto& socket = stream.socket();
  socket.native_non_blocking(true);
  off_t offset = static_cast<off_t>(file.offset());
  std::uint64_t left = file.length();
  auto const budget = state->options.write_timeout * static_cast<long>(1 + file.length() / (1024 * 1024));
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

/// Writes a response; returns false when the connection must close.
asio::awaitable<bool> write_response(server_state* state, beast::tcp_stream& stream, exchange& ex, response res,
                                     bool keep_alive, unsigned version, bool head_only, connection& conn) {
  stream.expires_after(state->options.write_timeout);
  if (res.stream && !head_only) {
    append_head(ex.head, res, 0, keep_alive && version >= 11, version, state->options.server_name, version >= 11);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(ex.head), use_tuple);
    if (ec) co_return false;
    conn.streaming = res.stream;
    bool ok = true;
    while (!state->draining.load()) {
      stream.expires_never();
      auto chunk = co_await res.stream->next();
      if (!chunk) break;
      if (chunk->empty()) continue;
      stream.expires_after(state->options.write_timeout);
      if (version >= 11) {
        char size_line[32];
        int const len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk->size());
        std::array<asio::const_buffer, 3> bufs{asio::buffer(size_line, static_cast<std::size_t>(len)),
                                               asio::buffer(*chunk), asio::buffer("\r\n", 2)};
        auto [wec, wn] = co_await asio::async_write(stream, bufs, use_tuple);
        if (wec) {
          ok = false;
          break;
        }
      } else {
        auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(*chunk), use_tuple);
        if (wec) {
          ok = false;
          break;
        }
      }
    }
    res.stream->stop();
    conn.streaming.reset();
    if (!ok || version < 11) co_return false;
    stream.expires_after(state->options.write_timeout);
    auto [eec, en] = co_await asio::async_write(stream, asio::buffer("0\r\n\r\n", 5), use_tuple);
    co_return !eec && keep_alive && !state->draining.load();
  }
  if (res.file) {
    append_head(ex.head, res, res.file->length(), keep_alive, version, state->options.server_name, false);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(ex.head), use_tuple);
    if (ec) co_return false;
    if (head_only || res.status == 304) co_return keep_alive;
    co_return co_await send_file(state, stream, *res.file) && keep_alive;
  }
  std::string_view const body = res.body_view();
  append_head(ex.head, res, body.size(), keep_alive, version, state->options.server_name, false);
  bool const send_body = !head_only && res.status != 304 && res.status != 204;
  std::array<asio::const_buffer, 2> bufs{asio::buffer(ex.head), asio::buffer(body.data(), send_body ? body.size() : 0)};
  auto [ec, n] = co_await asio::async_write(stream, bufs, use_tuple);
  co_return !ec && keep_alive;
}

/// Answers an error the HTTP layer found itself and closes (the rest of the request is unread).
asio::awaitable<void> write_error(server_state* state, beast::tcp_stream& stream, exchange& ex, std::string_view path,
                                  unsigned status, std::string_view message, connection& conn) {
  response res = state->routes->make_error(path, status, message);
  state->stats_for(nullptr).record(status, 0);
  co_await write_response(state, stream, ex, std::move(res), false, 11, false, conn);
}

}  // namespace

asio::awaitable<void> run_session(server_state* state, worker* w, tcp::socket socket) {
  beast::tcp_stream stream{std::move(socket)};
  connection_guard guard{state, w, &stream};
  connection& conn = guard.get();
  beast::flat_buffer buffer;
  exchange ex;
  std::string peer;
  {
    boost::system::error_code ec;
    auto const ep = stream.socket().remote_endpoint(ec);
    if (ec) co_return;
    auto a = ep.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    peer = a.to_string();
  }
  stream.socket().set_option(tcp::no_delay{true});

  if (state->options.proxy_protocol) {
    stream.expires_after(state->max_limits.read_timeout);
    for (;;) {
      auto const data = buffer.data();
      auto parsed = parse_proxy_header({static_cast<char const*>(data.data()), data.size()});
      if (parsed) {
        buffer.consume(parsed->length);
        if (parsed->source && (state->proxies.empty() || state->proxies.trusts(peer))) peer = *parsed->source;
        break;
      }
      if (parsed.error() != errc::not_found || buffer.size() > 232) co_return;  // not a PROXY header: drop
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(512), use_tuple);
      if (ec) co_return;
      buffer.commit(n);
    }
  }

  bool linger = false;  // an error answered before the request was read to its end
  for (;;) {
    if (state->draining.load()) break;
    // Idle: wait for the first byte of the next request (or use what pipelining left over).
    conn.idle = true;
    if (buffer.size() == 0) {
      stream.expires_after(state->options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
      if (ec) break;
      buffer.commit(n);
    }
    conn.idle = false;
    auto const started = std::chrono::steady_clock::now();

    // Headers: within the largest header limit and read timeout of any route.
    stream.expires_after(state->max_limits.read_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(state->max_limits.header_limit));
    // The body limit is the route's, known only after the head: none while reading the head.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    std::size_t header_bytes = 0;
    {
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
      header_bytes = n;
      if (ec == bhttp::error::header_limit) {
        linger = true;
        co_await write_error(state, stream, ex, "/", 431, "request header too large", conn);
        break;
      }
      if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
        break;  // a silent or vanished client: nothing to answer
      }
      if (ec) {
        linger = true;
        co_await write_error(state, stream, ex, "/", 400, "malformed request", conn);
        break;
      }
    }
    auto& msg = parser.get();
    std::string_view const target{msg.target().data(), msg.target().size()};
    auto const qmark = target.find('?');
    std::string_view const path = target.substr(0, qmark);
    if (auto problem = header_problem(parser); !problem.empty()) {
      linger = true;
      co_await write_error(state, stream, ex, path, 400, problem, conn);
      break;
    }
    verb const method = verb_from_string(std::string_view{msg.method_string().data(), msg.method_string().size()});
    auto const found = state->routes->find(method, path, ex.params);
    route const* r = found.found;
    if (!r) {
      response res = state->routes->make_error(path, found.path_exists ? 405 : 404,
                                               found.path_exists ? "method not allowed" : "not found");
      if (found.path_exists) res.header("Allow", found.allow);
      // Read and drop a small body so that the connection stays usable.
      if (!parser.is_done()) {
        parser.body_limit(std::uint64_t{64} * 1024);
        auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        if (ec) {
          co_await write_response(state, stream, ex, std::move(res), false, msg.version(), false, conn);
          break;
        }
      }
      state->stats_for(nullptr).record(res.status, 0);
      bool const alive = co_await write_response(state, stream, ex, std::move(res), msg.keep_alive(), msg.version(),
                                                 method == verb::head, conn);
      if (!alive) break;
      continue;
    }

    auto const& limits = r->limits;
    auto& stats = state->stats_for(r);
    if (header_bytes > limits.header_limit) {
      stats.record(431, 0);
      linger = true;
      co_await write_error(state, stream, ex, path, 431, "request header too large", conn);
      break;
    }
    if (parser.content_length() && *parser.content_length() > limits.body_limit) {
      stats.record(413, 0);
      linger = true;
      co_await write_error(state, stream, ex, path, 413, "request body too large", conn);
      break;
    }
    if (!parser.is_done()) {
      if (auto expect = msg[bhttp::field::expect];
          iequals(trim(std::string_view{expect.data(), expect.size()}), "100-continue")) {
        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(cont.data(), cont.size()), use_tuple);
        if (ec) break;
      }
      parser.body_limit(limits.body_limit);
      stream.expires_after(limits.read_timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     std::chrono::steady_clock::now() - started));
      auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
      if (ec == bhttp::error::body_limit) {
        stats.record(413, 0);
        linger = true;
        co_await write_error(state, stream, ex, path, 413, "request body too large", conn);
        break;
      }
      if (ec == beast::error::timeout || ec == asio::error::eof || ec == bhttp::error::partial_message ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
        break;
      }
      if (ec) {
        stats.record(400, 0);
        linger = true;
        co_await write_error(state, stream, ex, path, 400, "malformed request body", conn);
        break;
      }
    }

    ex.headers.clear();
    ex.forwarded.clear();
    for (auto const& f : msg) {
      std::string_view const name{f.name_string().data(), f.name_string().size()};
      std::string_view const value{f.value().data(), f.value().size()};
      ex.headers.push_back({name, value});
      if (iequals(name, "X-Forwarded-For")) ex.forwarded.push_back(value);
    }
    std::string const client = state->proxies.empty() ? peer : state->proxies.client_address(peer, ex.forwarded);

    request req;
    req.method = method;
    req.method_name = {msg.method_string().data(), msg.method_string().size()};
    req.target = target;
    req.path = path;
    req.query = qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);
    req.version = msg.version();
    req.headers = ex.headers;
    req.params = ex.params;
    req.body = msg.body();
    req.peer_address = peer;
    req.client_address = client;

    response res = co_await call_handler(r, req);
    if (res.delay.count() > 0) {
      asio::steady_timer hold{stream.get_executor(), res.delay};
      co_await hold.async_wait(use_tuple);
    }
    if (res.drop) break;  // nothing is written: the client sees the connection end
    state->served.fetch_add(1, std::memory_order_relaxed);
    stats.record(res.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    bool const keep_alive = msg.keep_alive() && !res.close && !state->draining.load();
    bool const alive = co_await write_response(state, stream, ex, std::move(res), keep_alive, msg.version(),
                                               method == verb::head, conn);
    if (!alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // Closing with unread input makes the kernel send RST, which can destroy the error response
    // before the client reads it. Drain what the client is still sending, briefly and bounded.
    stream.expires_after(std::chrono::milliseconds{500});
    std::array<char, 8192> sink;
    for (std::size_t drained = 0; drained < 1024 * 1024;) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
      if (ec) break;
      drained += n;
    }
  }
  stream.socket().close(ignored);
}

}  // namespace overworld::http::detail
