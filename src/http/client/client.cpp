// The client's connection pool and request exchange.
#include <overworld/http/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>

namespace overworld::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  steady::time_point idle_since;

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

using message = bhttp::request<bhttp::string_body>;
using answer = bhttp::response<bhttp::string_body>;

/// Time left for one step: its own timeout, cut short by the request's overall deadline.
std::chrono::milliseconds budget(std::chrono::milliseconds step, steady::time_point deadline) {
  auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
  return std::max(std::chrono::milliseconds{0}, std::min(step, left));
}

bool is_stale_connection_error(error_code ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == ssl::error::stream_truncated;
}

error_code normalise(error_code ec) {
  if (ec == beast::error::timeout) return errc::timeout;
  if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow || ec == bhttp::error::header_limit) {
    return errc::too_large;
  }
  if (ec.category() == asio::error::get_ssl_category()) return errc::tls_error;
  return ec;
}

struct exchange_result {
  answer response;
  bool keep_alive = false;
};

/// Writes the request and reads the answer. `stale` tells the caller that the connection was dead
/// before any response byte arrived, so a fresh one may be tried.
template <class Stream>
asio::awaitable<result<exchange_result>> exchange(Stream& stream, connection& conn, message const& msg,
                                                  client_options const& options, steady::time_point deadline,
                                                  bool head, bool& stale) {
  stale = false;
  auto& lowest = conn.tcp();
  lowest.expires_after(budget(options.read_timeout, deadline));
  auto [wec, written] = co_await bhttp::async_write(stream, msg, use_tuple);
  if (wec) {
    stale = is_stale_connection_error(wec);
    co_return normalise(wec);
  }
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_slot;
  // 1xx interim answers (100 Continue) come before the real one; each needs a fresh parser.
  for (bool first = true;; first = false) {
    auto& p = parser_slot.emplace();
    p.header_limit(64 * 1024);
    p.body_limit(options.max_response_size);
    p.skip(head);
    lowest.expires_after(budget(options.read_timeout, deadline));
    auto [rec, n] = co_await bhttp::async_read_header(stream, conn.buffer, p, use_tuple);
    if (rec) {
      stale = first && !p.got_some() && is_stale_connection_error(rec);
      co_return normalise(rec);
    }
    unsigned const status = p.get().result_int();
    if (status >= 200 || status == 101) break;
  }
  auto& parser = *parser_slot;
  if (!parser.is_done()) {
    lowest.expires_after(budget(options.read_timeout, deadline));
    auto [rec, n] = co_await bhttp::async_read(stream, conn.buffer, parser, use_tuple);
    if (rec) co_return normalise(rec);
  }
  lowest.expires_never();
  exchange_result out;
  out.keep_alive = parser.get().keep_alive();
  out.response = parser.release();
  co_return out;
}

}  // namespace

struct client::impl {
  asio::any_io_executor executor;
  client_options options;
  ssl::context tls{ssl::context::tls_client};
  error_code tls_setup;
  std::unordered_map<std::string, std::vector<std::unique_ptr<connection>>> idle;
  stats counters;

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
};

namespace {

asio::awaitable<result<std::unique_ptr<connection>>> open_connection(asio::any_io_executor ex,
                                                                     client_options const* options,
                                                                     ssl::context* tls_context, url_parts url,
                                                                     steady::time_point deadline);

}  // namespace

client::client(asio::any_io_executor executor, client_options options) : impl_(std::make_unique<impl>()) {
  impl_->executor = std::move(executor);
  impl_->options = std::move(options);
  auto& ctx = impl_->tls;
  error_code ec;
  ctx.set_default_verify_paths(ec);
  if (!impl_->options.ca_file.empty()) ctx.load_verify_file(impl_->options.ca_file, impl_->tls_setup);
  ctx.set_verify_mode(impl_->options.verify_peer ? ssl::verify_peer : ssl::verify_none);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
}

client::~client() = default;

client::stats client::statistics() const noexcept { return impl_->counters; }

void client::close_idle() { impl_->idle.clear(); }

client_options const& client::options() const noexcept { return impl_->options; }

asio::awaitable<result<client_response>> client::request(client_request req) {
  impl& s = *impl_;
  ++s.counters.requests;
  auto url = parse_url(req.url);
  if (!url) co_return url.error();
  if (url->tls && s.tls_setup) co_return errc::tls_error;
  auto const deadline = steady::now() + s.options.total_timeout;

  bool const v6 = url->host.find(':') != std::string::npos;
  bool const default_port = url->port == (url->tls ? 443 : 80);
  std::string host_header = v6 ? "[" + url->host + "]" : url->host;
  if (!default_port) host_header += ":" + std::to_string(url->port);
  std::string const key = (url->tls ? "https://" : "http://") + host_header;

  message msg{bhttp::string_to_verb(std::string{to_string(req.method)}), url->target, 11};
  msg.set(bhttp::field::host, host_header);
  msg.set(bhttp::field::user_agent, s.options.user_agent);
  if (s.options.decompress) msg.set(bhttp::field::accept_encoding, "gzip, deflate");
  for (auto const& [k, v] : req.headers) msg.set(k, v);
  msg.body() = std::move(req.body);
  if (!msg.body().empty() || req.method == verb::post || req.method == verb::put || req.method == verb::patch) {
    msg.prepare_payload();
  }
  msg.keep_alive(true);
  bool const head = req.method == verb::head;

  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<connection> conn = s.take_idle(key);
    bool const reused = conn != nullptr;
    if (reused) {
      ++s.counters.connections_reused;
    } else {
      auto opened = co_await open_connection(s.executor, &s.options, &s.tls, *url, deadline);
      if (!opened) co_return opened.error();
      conn = std::move(*opened);
      ++s.counters.connections_opened;
    }
    bool stale = false;
    // Two statements, not a conditional expression: g++ 12 miscompiles co_await inside ?:.
    result<exchange_result> r = errc::io_error;
    if (conn->tls) {
      r = co_await exchange(*conn->tls, *conn, msg, s.options, deadline, head, stale);
    } else {
      r = co_await exchange(*conn->plain, *conn, msg, s.options, deadline, head, stale);
    }
    if (!r) {
      if (reused && stale && attempt == 0) continue;  // the server had closed the pooled connection
      co_return r.error();
    }
    client_response out;
    out.status = r->response.result_int();
    std::string encoding;
    for (auto const& f : r->response) {
      std::string name{f.name_string()};
      std::string value{f.value()};
      if (iequals(name, "Content-Encoding")) encoding = value;
      out.headers.emplace_back(std::move(name), std::move(value));
    }
    out.body = std::move(r->response.body());
    if (r->keep_alive) s.give_back(key, std::move(conn));
    if (s.options.decompress && !encoding.empty() && !iequals(encoding, "identity") && !head) {
      auto decoded = inflate_body(out.body, encoding, s.options.max_response_size);
      if (!decoded) co_return decoded.error();
      out.body = std::move(*decoded);
      std::erase_if(out.headers, [](auto const& h) { return iequals(h.first, "Content-Encoding"); });
      for (auto& h : out.headers) {
        if (iequals(h.first, "Content-Length")) h.second = std::to_string(out.body.size());
      }
    }
    co_return out;
  }
}

namespace {

asio::awaitable<result<std::unique_ptr<connection>>> open_connection(asio::any_io_executor ex,
                                                                     client_options const* options,
                                                                     ssl::context* tls_context, url_parts url,
                                                                     steady::time_point deadline) {
  auto const connect_deadline = steady::now() + budget(options->connect_timeout, deadline);
  auto conn = std::make_unique<connection>();

  std::vector<tcp::endpoint> endpoints;
  error_code ec;
  auto const literal = asio::ip::make_address(url.host, ec);
  bool const is_literal = !ec;
  if (is_literal) {
    endpoints.emplace_back(literal, url.port);
  } else {
    // The resolver has no timeout of its own: a timer cancels it.
    auto resolver = std::make_shared<tcp::resolver>(ex);
    asio::steady_timer timer{ex};
    timer.expires_at(connect_deadline);
    timer.async_wait([resolver](error_code e) {
      if (!e) resolver->cancel();
    });
    auto [rec, results] = co_await resolver->async_resolve(url.host, std::to_string(url.port), use_tuple);
    timer.cancel();
    if (rec == asio::error::operation_aborted) co_return errc::timeout;
    if (rec) co_return rec;
    for (auto const& r : results) endpoints.push_back(r.endpoint());
  }

  conn->plain = std::make_unique<beast::tcp_stream>(ex);
  auto& stream = *conn->plain;
  stream.expires_at(connect_deadline);
  auto [cec, ep] = co_await stream.async_connect(endpoints, use_tuple);
  if (cec) co_return normalise(cec);
  stream.socket().set_option(tcp::no_delay{true});

  if (url.tls) {
    conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*conn->plain), *tls_context);
    conn->plain.reset();
    auto& tls = *conn->tls;
    if (!is_literal) {
      // SNI carries host names only, never addresses (RFC 6066 §3).
      if (!SSL_set_tlsext_host_name(tls.native_handle(), url.host.c_str())) co_return errc::tls_error;
    }
    tls.set_verify_callback(ssl::host_name_verification(url.host));
    beast::get_lowest_layer(tls).expires_at(connect_deadline);
    auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, use_tuple);
    if (hec) {
      spdlog::debug("TLS handshake with {}:{} failed: {}", url.host, url.port, hec.message());
      co_return hec == beast::error::timeout ? error_code{errc::timeout} : error_code{errc::tls_error};
    }
  }
  co_return conn;
}

}  // namespace
}  // namespace overworld::http
