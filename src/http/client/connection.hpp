// One connection of the client's pool (internal: Beast stays out of public headers), plain TCP or
// TLS over it: resolve and connect within a deadline, TLS 1.2+ with SNI and host-name
// verification against the system store and the options' extra CAs.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/http/client.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace overworld::http {

struct connection {
  std::unique_ptr<boost::beast::tcp_stream> plain;
  std::unique_ptr<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls;
  std::string head;  ///< the request head being sent; keeps its capacity from one request to the next
  std::chrono::steady_clock::time_point idle_since;

  /// The TCP layer: its timeouts and its socket, under TLS or not.
  boost::beast::tcp_stream& tcp() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }
};

/// The TLS client context the options ask for; a CA file that cannot be read is reported in `setup`
/// (then every https connection fails with errc::tls_error rather than trusting less than asked).
struct tls_client_context {
  explicit tls_client_context(client_options const& options);
  boost::asio::ssl::context context;
  error_code setup;
};

/// Opens a connection to `url`'s host and port within `deadline` (bounded by connect_timeout).
/// Errors: errc::timeout, errc::tls_error (handshake or verification), or the socket's own code.
boost::asio::awaitable<result<std::unique_ptr<connection>>> open_connection(
    boost::asio::any_io_executor executor, client_options const& options, tls_client_context& tls, url_parts url,
    std::chrono::steady_clock::time_point deadline);

/// Beast's and OpenSSL's codes as the client reports them: errc::timeout, errc::too_large,
/// errc::tls_error, errc::protocol_error for an answer that ended before its body did, else
/// unchanged.
error_code normalise_transport_error(error_code ec);

}  // namespace overworld::http
