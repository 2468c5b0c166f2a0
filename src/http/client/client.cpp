// The client's connection pool and request exchange.
#include <overworld/http/client.hpp>
#include <overworld/http/connection.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <unordered_map>

namespace overworld::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

using message = bhttp::request<bhttp::string_body>;
using answer = bhttp::response<bhttp::string_body>;

/// Time left for one step: its own timeout, cut short by the request's overall deadline.
std::chrono::milliseconds budget(std::chrono::milliseconds step, steady::time_point deadline) {
  auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
  return std::max(std::chrono::milliseconds{0}, std::min(step, left));
}

struct exchange_result {
  answer response;
  bool keep_alive = false;
};

/// Writes the request and reads the answer. `stale` tells the caller that the connection was dead
/// before any response byte arrived, so a fresh one may be tried.
template <class Stream>
asio::awaitable<result<exchange_result>> exchange(Stream& stream, connection& conn, message const& msg,
                                                  client_options const& options, steady::time_point deadline, bool head,
                                                  bool& stale) {
  stale = false;
  auto& lowest = conn.tcp();
  lowest.expires_after(budget(options.read_timeout, deadline));
  auto [wec, written] = co_await bhttp::async_write(stream, msg, use_tuple);
  if (wec) {
    stale = is_stale_connection_error(wec);
    co_return normalise_transport_error(wec);
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
      co_return normalise_transport_error(rec);
    }
    unsigned const status = p.get().result_int();
    if (status >= 200 || status == 101) break;
  }
  auto& parser = *parser_slot;
  if (!parser.is_done()) {
    lowest.expires_after(budget(options.read_timeout, deadline));
    auto [rec, n] = co_await bhttp::async_read(stream, conn.buffer, parser, use_tuple);
    if (rec) co_return normalise_transport_error(rec);
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
  tls_client_context tls{options};  // after `options`: made from them
  std::unordered_map<std::string, std::vector<std::unique_ptr<connection>>> idle;
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
};

client::client(asio::any_io_executor executor, client_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}

client::~client() = default;

client::stats client::statistics() const noexcept { return impl_->counters; }

void client::close_idle() { impl_->idle.clear(); }

client_options const& client::options() const noexcept { return impl_->options; }

asio::awaitable<result<client_response>> client::request(client_request req) {
  impl& s = *impl_;
  ++s.counters.requests;
  auto url = parse_url(req.url);
  if (!url) co_return url.error();
  auto const deadline = steady::now() + s.options.total_timeout;

  std::string const host = host_header(*url);
  std::string const key = (url->tls ? "https://" : "http://") + host;

  message msg{bhttp::string_to_verb(std::string{to_string(req.method)}), url->target, 11};
  msg.set(bhttp::field::host, host);
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
      auto opened = co_await open_connection(s.executor, s.options, s.tls, *url, deadline);
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

}  // namespace overworld::http
