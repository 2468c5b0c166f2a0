// One coroutine per connection, in small steps: wait for a request, read its head, route it and
// check its limits, read its body, dispatch it, write the answer; repeat while the connection
// stays alive. Any step may end the connection, through one exit. Generic over the stream: a
// socket in production, memory in unit tests and the fuzzer. Errors are values; nothing throws out.
#include "memory_stream.hpp"
#include "request_target.hpp"
#include "response_writer.hpp"
#include "server_impl.hpp"

#include <overworld/core/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <chrono>
#include <limits>

namespace overworld::http::detail {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
using parser_type = bhttp::request_parser<bhttp::string_body>;

/// How a step ends the connection: quietly (the client went silent or away), or with an error
/// answer in the API's format. `linger`: the request was not read to its end.
struct stop {
  unsigned status = 0;  // 0: nothing (more) to write
  std::string_view message;
  bool linger = false;
};
using step = std::optional<stop>;  // nullopt: go on
constexpr stop quietly{};

stop refuse(unsigned status, std::string_view message) { return stop{status, message, true}; }

/// A client that went silent or away: nothing to answer.
bool vanished(beast::error_code ec) {
  return ec == beast::error::timeout || ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}

/// Bytes the parser had to hold beyond the route's limits: a head or trailer over the header
/// limit, a chunk-size line longer than the read buffer (431).
bool over_header_limit(beast::error_code ec) {
  return ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow;
}

/// How a failed read of the head or of the body ends the connection.
stop read_failure(beast::error_code ec, bool body) {
  if (ec == bhttp::error::body_limit) return refuse(413, "request body too large");
  if (over_header_limit(ec)) {
    return refuse(431, body ? "chunk extensions or trailer too large" : "request header too large");
  }
  if (vanished(ec)) return quietly;
  return refuse(400, body ? "malformed request body" : "malformed request");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view view(beast::string_view s) { return {s.data(), s.size()}; }

/// What Beast 1.81 lets through and we must not: RFC 9112 §3.2 and §6.1.
std::string_view header_problem(parser_type::value_type const& req) {
  std::size_t const hosts = req.count(bhttp::field::host);
  if (req.version() >= 11 && hosts == 0) return "missing Host header";
  if (hosts > 1) return "more than one Host header";
  std::size_t const te = req.count(bhttp::field::transfer_encoding);
  if (te > 0) {
    if (te > 1) return "unsupported Transfer-Encoding";
    if (!iequals(trim(view(req[bhttp::field::transfer_encoding])), "chunked")) return "unsupported Transfer-Encoding";
    if (req.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
    if (req.count(bhttp::field::content_length) > 0) return "both Content-Length and Transfer-Encoding";
  }
  return {};
}

/// Chunk extensions count against the route's header limit, with the head: Beast keeps them in
/// no limit of its own. Called by the parser for every chunk-size line.
struct extension_budget {
  std::size_t left = 0;
  void operator()(std::uint64_t, beast::string_view extensions, beast::error_code& ec) {
    if (extensions.size() > left) {
      ec = bhttp::error::header_limit;
      return;
    }
    left -= extensions.size();
  }
};

/// One request and what was learnt of it, step by step.
struct exchange {
  std::optional<parser_type> parser;
  std::chrono::steady_clock::time_point started;
  std::size_t head_bytes = 0;
  request_target target;
  std::string target_bytes;
  verb method = verb::other;
  router::match found;
  std::vector<path_param> params;
  std::vector<header_field> headers;  // the head's fields only: a trailer never adds headers
  std::vector<std::string_view> forwarded;
  std::string client;
  extension_budget extensions;
  bool expects_continue = false;
  request req;

  parser_type::value_type& message() { return parser->get(); }
  route const* matched() const { return found.found; }
};

/// Keeps the drain list in step with the session's life.
class connection_guard {
 public:
  template <class Stream>
  connection_guard(server_state* s, worker* w, Stream* stream) : state_(s), worker_(w) {
    worker_->connections.push_back(connection{stream, [](void* p) { cancel(*static_cast<Stream*>(p)); }, true, {}});
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
  static void cancel(beast::tcp_stream& s) {
    boost::system::error_code ignored;
    s.socket().cancel(ignored);
  }
  static void cancel(memory_stream& s) { s.cancel(); }

  server_state* state_;
  worker* worker_;
  std::list<connection>::iterator it_;
};

void shutdown_stream(beast::tcp_stream& s) {
  boost::system::error_code ignored;
  s.socket().shutdown(tcp::socket::shutdown_send, ignored);
}
void shutdown_stream(memory_stream& s) { s.shutdown_send(); }
void close_stream(beast::tcp_stream& s) {
  boost::system::error_code ignored;
  s.socket().close(ignored);
}
void close_stream(memory_stream& s) { s.close(); }

asio::awaitable<response> call_handler(route const* r, request req) {
  try {
    if (auto const* sync = std::get_if<sync_handler>(&r->fn)) co_return (*sync)(req);
    co_return co_await std::get<async_handler>(r->fn)(req);
  } catch (std::exception const& e) {
    spdlog::error("handler {} {} threw: {}", to_string(r->method), r->pattern, e.what());
  }
  co_return default_error(500, "internal server error");
}

/// The route group's filters (rate limits, keys): they see the head only, before the body is read.
asio::awaitable<std::optional<response>> run_filters(route const* r, request const& req) {
  if (!r->filters) co_return std::nullopt;
  try {
    for (auto const& f : *r->filters) {
      std::optional<response> early;
      if (auto const* sync = std::get_if<sync_filter>(&f))
        early = (*sync)(req);
      else
        early = co_await std::get<async_filter>(f)(req);
      if (early) co_return early;
    }
  } catch (std::exception const& e) {
    spdlog::error("filter of {} {} threw: {}", to_string(r->method), r->pattern, e.what());
    co_return default_error(500, "internal server error");
  }
  co_return std::nullopt;
}

template <class Stream>
class session {
 public:
  session(server_state* state, worker* w, Stream stream, std::string peer, address_table::slot place)
      : state_(state),
        stream_(std::move(stream)),
        guard_(state, w, &stream_),
        writer_(state, stream_, guard_.get()),
        peer_(std::move(peer)),
        place_(std::move(place)),
        buffer_(state->read_buffer_limit) {}

  asio::awaitable<void> run();

 private:
  asio::awaitable<step> read_proxy_header();
  asio::awaitable<step> serve_one();
  asio::awaitable<step> wait_for_request();
  asio::awaitable<step> read_head();
  step route_request();
  void prepare_request();
  asio::awaitable<std::optional<response>> refusal_before_body();
  asio::awaitable<step> read_body(route_limits limits);
  step check_trailer();
  asio::awaitable<step> answer_early(response res);
  asio::awaitable<step> answer(response res);
  asio::awaitable<void> write_error(stop why);
  asio::awaitable<void> close_connection(bool linger);

  route_stats& stats() { return state_->stats_for(ex_.matched()); }
  bool keep_alive(response const& res) { return ex_.message().keep_alive() && !res.close && !state_->draining.load(); }

  server_state* state_;
  Stream stream_;
  connection_guard guard_;
  response_writer<Stream> writer_;
  std::string peer_;
  address_table::slot place_;
  beast::flat_buffer buffer_;  // bounded: read_buffer_limit
  exchange ex_;
};

template <class Stream>
asio::awaitable<void> session<Stream>::run() {
  if (state_->options.proxy_protocol) {
    if (auto failed = co_await read_proxy_header()) {
      close_stream(stream_);
      co_return;
    }
  }
  stop why = quietly;
  while (!state_->draining.load()) {
    if (auto ended = co_await serve_one()) {
      why = *ended;
      break;
    }
  }
  if (why.status != 0) co_await write_error(why);
  co_await close_connection(why.linger);
}

/// PROXY v1/v2 before anything else; a balancer's connection is then counted as its client's.
template <class Stream>
asio::awaitable<step> session<Stream>::read_proxy_header() {
  stream_.expires_after(state_->routes->default_limits().read_timeout);
  for (;;) {
    auto const data = buffer_.data();
    auto parsed = parse_proxy_header({static_cast<char const*>(data.data()), data.size()});
    if (parsed) {
      buffer_.consume(parsed->length);
      if (!parsed->source || !state_->speaks_for_others(peer_)) co_return std::nullopt;
      auto admission = state_->per_address.admit(*parsed->source);
      if (!admission.admitted) {
        state_->refuse(refusal::per_address, *parsed->source, &admission);
        co_return quietly;
      }
      peer_ = *parsed->source;
      place_ = std::move(admission.place);
      co_return std::nullopt;
    }
    if (parsed.error() != errc::not_found || buffer_.size() > 232) co_return quietly;  // not a PROXY header
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 512)), use_tuple);
    if (ec) co_return quietly;
    buffer_.commit(n);
  }
}

template <class Stream>
asio::awaitable<step> session<Stream>::serve_one() {
  if (auto ended = co_await wait_for_request()) co_return ended;
  if (auto ended = co_await read_head()) co_return ended;
  if (auto ended = route_request()) co_return ended;
  if (auto early = co_await refusal_before_body()) co_return co_await answer_early(std::move(*early));
  if (auto ended = co_await read_body(ex_.matched()->limits)) co_return ended;
  if (auto ended = check_trailer()) co_return ended;
  ex_.req.body = ex_.message().body();
  co_return co_await answer(co_await call_handler(ex_.matched(), ex_.req));
}

/// Idle: waits for the first byte of the next request (or uses what pipelining left over).
template <class Stream>
asio::awaitable<step> session<Stream>::wait_for_request() {
  ex_.target = {};
  ex_.found = {};
  ex_.parser.reset();
  auto& conn = guard_.get();
  conn.idle = true;
  if (buffer_.size() == 0) {
    stream_.expires_after(state_->options.idle_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 4096)), use_tuple);
    if (ec) co_return quietly;
    buffer_.commit(n);
  }
  conn.idle = false;
  ex_.started = std::chrono::steady_clock::now();
  co_return std::nullopt;
}

/// The head, within the largest header limit of any route (the route is not known yet) and the
/// server's read timeout (http.read_timeout: a route's own bounds the whole request once known).
template <class Stream>
asio::awaitable<step> session<Stream>::read_head() {
  stream_.expires_after(state_->routes->default_limits().read_timeout);
  auto& parser = ex_.parser.emplace();
  parser.header_limit(static_cast<std::uint32_t>(state_->max_limits.header_limit));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer_, parser, use_tuple);
  ex_.head_bytes = n;
  if (ec) co_return read_failure(ec, false);
  co_return std::nullopt;
}

/// The target, Beast's leniencies, the route and the route's limits on what is known so far.
template <class Stream>
step session<Stream>::route_request() {
  auto& msg = ex_.message();
  auto target = parse_target(view(msg.target()), ex_.target_bytes);
  if (!target) return refuse(400, "malformed request target");
  ex_.target = *target;
  if (auto problem = header_problem(msg); !problem.empty()) return refuse(400, problem);
  ex_.method = verb_from_string(view(msg.method_string()));
  ex_.found = state_->routes->find(ex_.method, ex_.target.path, ex_.params);
  if (auto const* r = ex_.matched()) {
    // A route allowing less time than the server gave the head: the head was already too slow.
    if (std::chrono::steady_clock::now() - ex_.started > r->limits.read_timeout) return quietly;
    if (ex_.head_bytes > r->limits.header_limit) return refuse(431, "request header too large");
    if (ex_.parser->content_length() && *ex_.parser->content_length() > r->limits.body_limit) {
      return refuse(413, "request body too large");
    }
  }
  auto const expect = msg[bhttp::field::expect];
  ex_.expects_continue = msg.version() >= 11 && iequals(trim(view(expect)), "100-continue");
  prepare_request();
  return std::nullopt;
}

/// The request as handlers see it, but for the body.
template <class Stream>
void session<Stream>::prepare_request() {
  auto& msg = ex_.message();
  ex_.headers.clear();
  ex_.forwarded.clear();
  for (auto const& f : msg) {
    std::string_view const name = view(f.name_string());
    std::string_view value = view(f.value());
    // RFC 9112 §3.2.2: an absolute-form's host replaces the Host header.
    if (!ex_.target.authority.empty() && f.name() == bhttp::field::host) value = ex_.target.authority;
    ex_.headers.push_back({name, value});
    if (iequals(name, "X-Forwarded-For")) ex_.forwarded.push_back(value);
  }
  ex_.client = state_->proxies.empty() ? peer_ : state_->proxies.client_address(peer_, ex_.forwarded);
  request& req = ex_.req;
  req = request{};
  req.method = ex_.method;
  req.method_name = view(msg.method_string());
  req.target = ex_.target.origin;
  req.path = ex_.target.path;
  req.query = ex_.target.query;
  req.version = msg.version();
  req.headers = ex_.headers;
  req.params = ex_.params;
  req.peer_address = peer_;
  req.client_address = ex_.client;
}

/// An answer known before the body is read: no route (404, 405), or a filter's (429, 401…).
template <class Stream>
asio::awaitable<std::optional<response>> session<Stream>::refusal_before_body() {
  if (auto const* r = ex_.matched()) co_return co_await run_filters(r, ex_.req);
  bool const other_method = ex_.found.path_exists;
  response res = state_->routes->make_error(ex_.target.path, other_method ? 405 : 404,
                                            other_method ? "method not allowed" : "not found");
  if (other_method) res.header("Allow", ex_.found.allow);
  co_return res;
}

/// Reads the body within `limits`. Chunk extensions and the trailer count against the header
/// limit with the head; the read buffer bounds any one line of them meanwhile.
template <class Stream>
asio::awaitable<step> session<Stream>::read_body(route_limits limits) {
  auto& parser = *ex_.parser;
  if (parser.is_done()) co_return std::nullopt;
  if (ex_.expects_continue && !co_await writer_.write_continue()) co_return quietly;
  parser.body_limit(limits.body_limit);
  ex_.extensions.left = limits.header_limit > ex_.head_bytes ? limits.header_limit - ex_.head_bytes : 0;
  parser.on_chunk_header(ex_.extensions);
  auto const elapsed = std::chrono::steady_clock::now() - ex_.started;
  stream_.expires_after(limits.read_timeout - elapsed);
  auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, use_tuple);
  if (ec) co_return read_failure(ec, true);
  co_return std::nullopt;
}

/// Trailer fields (after the head's) count against what the extensions left of the header limit.
template <class Stream>
step session<Stream>::check_trailer() {
  std::size_t index = 0;
  std::size_t bytes = 0;
  for (auto const& f : ex_.message()) {
    if (index++ < ex_.headers.size()) continue;
    bytes += f.name_string().size() + f.value().size() + 4;
  }
  if (bytes > ex_.extensions.left) return refuse(431, "chunk extensions or trailer too large");
  return std::nullopt;
}

/// Writes an answer given before the body was read. A client that waits for "100 Continue" gets
/// it at once and the connection closes: its body was never asked for. Otherwise the body is read
/// (within the route's limits, 64 KiB without a route) and dropped, so that the connection stays
/// usable.
template <class Stream>
asio::awaitable<step> session<Stream>::answer_early(response res) {
  if (ex_.parser->is_done()) co_return co_await answer(std::move(res));
  if (!ex_.expects_continue && !res.close) {
    route_limits drop = ex_.matched() ? ex_.matched()->limits : state_->routes->default_limits();
    if (!ex_.matched()) drop.body_limit = std::min<std::uint64_t>(drop.body_limit, std::size_t{64} * 1024);
    // The client going away, or sending more than may be dropped (413, 431), ends the connection.
    if (auto ended = co_await read_body(drop)) co_return ended;
    co_return co_await answer(std::move(res));
  }
  res.close = true;
  co_await answer(std::move(res));
  co_return stop{0, {}, true};
}

template <class Stream>
asio::awaitable<step> session<Stream>::answer(response res) {
  if (res.delay.count() > 0) {
    asio::steady_timer hold{stream_.get_executor(), res.delay};
    co_await hold.async_wait(use_tuple);
  }
  if (res.drop) co_return quietly;  // nothing is written: the client sees the connection end
  if (ex_.matched()) {
    state_->served.fetch_add(1, std::memory_order_relaxed);
    stats().record(res.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - ex_.started).count());
  } else {
    stats().record(res.status, 0);
  }
  bool const keep = keep_alive(res);
  bool const alive = co_await writer_.write(std::move(res), keep, ex_.message().version(), ex_.method == verb::head);
  if (!alive) co_return quietly;
  co_return std::nullopt;
}

/// Answers an error the HTTP layer found itself, in the format of the API the path belongs to.
template <class Stream>
asio::awaitable<void> session<Stream>::write_error(stop why) {
  // Before the target was read, the error has the format of the root's API.
  std::string_view const path = ex_.target.path.empty() ? std::string_view{"/"} : ex_.target.path;
  response res = state_->routes->make_error(path, why.status, why.message);
  stats().record(why.status, 0);
  co_await writer_.write(std::move(res), false, 11, false);
}

template <class Stream>
asio::awaitable<void> session<Stream>::close_connection(bool linger) {
  shutdown_stream(stream_);
  if (linger) {
    // Closing with unread input makes the kernel send RST, which can destroy the error response
    // before the client reads it. Drain what the client is still sending, briefly and bounded.
    stream_.expires_after(std::chrono::milliseconds{500});
    std::array<char, 8192> sink;
    for (std::size_t drained = 0; drained < std::size_t{1024} * 1024;) {
      auto [ec, n] = co_await stream_.async_read_some(asio::buffer(sink), use_tuple);
      if (ec) break;
      drained += n;
    }
  }
  close_stream(stream_);
}

template <class Stream>
asio::awaitable<void> serve(server_state* state, worker* w, Stream stream, std::string peer,
                            address_table::slot place) {
  session<Stream> s{state, w, std::move(stream), std::move(peer), std::move(place)};
  co_await s.run();
}

}  // namespace

asio::awaitable<void> run_session(server_state* state, worker* w, tcp::socket socket, std::string peer,
                                  address_table::slot place) {
  if (peer.empty()) co_return;  // gone before it could be served
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay{true}, ignored);
  co_await serve(state, w, beast::tcp_stream{std::move(socket)}, std::move(peer), std::move(place));
}

asio::awaitable<void> run_session(server_state* state, worker* w, memory_stream stream, std::string peer,
                                  address_table::slot place) {
  co_await serve(state, w, std::move(stream), std::move(peer), std::move(place));
}

}  // namespace overworld::http::detail
