// Opening a connection: resolve, connect and TLS handshake within one deadline.
#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/ssl.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace overworld::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

tls_client_context::tls_client_context(client_options const& options) : context(ssl::context::tls_client) {
  error_code ignored;
  context.set_default_verify_paths(ignored);
  if (!options.ca_file.empty()) context.load_verify_file(options.ca_file, setup);
  context.set_verify_mode(options.verify_peer ? ssl::verify_peer : ssl::verify_none);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
}

bool is_connection_closed(error_code ec) noexcept {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted || ec == ssl::error::stream_truncated;
}

error_code normalise_transport_error(error_code ec) {
  if (ec == beast::error::timeout) return errc::timeout;
  if (ec == bhttp::error::partial_message) return errc::protocol_error;
  if (ec == bhttp::error::body_limit || ec == bhttp::error::buffer_overflow || ec == bhttp::error::header_limit) {
    return errc::too_large;
  }
  if (ec.category() == asio::error::get_ssl_category()) return errc::tls_error;
  return ec;
}

asio::awaitable<result<std::unique_ptr<connection>>> open_connection(asio::any_io_executor ex,
                                                                     client_options const& options,
                                                                     tls_client_context& tls_context, url_parts url,
                                                                     steady::time_point deadline) {
  constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
  if (url.tls && tls_context.setup) co_return errc::tls_error;
  auto const connect_deadline = std::min(deadline, steady::now() + options.connect_timeout);
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
  if (cec) co_return normalise_transport_error(cec);
  stream.socket().set_option(tcp::no_delay{true});

  if (url.tls) {
    conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*conn->plain), tls_context.context);
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
  conn->tcp().expires_never();
  co_return conn;
}

}  // namespace overworld::http
