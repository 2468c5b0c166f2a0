// The HTTP client core: a keep-alive connection pool per host, TLS with SNI and host-name
// verification, connect/read/total timeouts, a response size limit and gzip/deflate decoding.
// A client lives on one executor (one io_context thread or a strand): call it from there.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/http/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overworld::http {

struct client_options {
  std::chrono::milliseconds connect_timeout{5'000};               ///< resolve + connect + TLS handshake
  std::chrono::milliseconds read_timeout{30'000};                 ///< each read and write
  std::chrono::milliseconds total_timeout{60'000};                ///< the whole request, retries included
  std::size_t max_response_size = std::size_t{64} * 1024 * 1024;  ///< decoded body; beyond: errc::too_large
  std::size_t max_idle_per_host = 8;
  std::chrono::milliseconds idle_timeout{60'000};  ///< pooled connections older than this are dropped
  bool verify_peer = true;
  std::string ca_file;  ///< extra trusted CAs (PEM); the system store is always loaded
  std::string user_agent = "overworld/0.1";
  bool decompress = true;  ///< send Accept-Encoding: gzip, deflate and decode the answer
};

struct client_request {
  verb method = verb::get;
  std::string url;  ///< http://host[:port]/path?query or https://…
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct client_response {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const noexcept;
};

/// The parts of a URL the client needs.
struct url_parts {
  bool tls = false;
  std::string host;  ///< without brackets for IPv6
  std::uint16_t port = 80;
  std::string target = "/";
};
/// errc::invalid_argument for anything but http(s)://host[:port][/path][?query].
result<url_parts> parse_url(std::string_view url);
/// The Host header for `url`: IPv6 addresses in brackets, the port unless it is the scheme's default.
std::string host_header(url_parts const& url);

/// Decodes a gzip, zlib or raw-deflate body; errc::too_large past `limit` bytes, errc::parse_error
/// for corrupt data.
result<std::string> inflate_body(std::string_view data, std::string_view encoding, std::size_t limit);

class client {
 public:
  explicit client(boost::asio::any_io_executor executor, client_options options = {});
  ~client();
  client(client const&) = delete;
  client& operator=(client const&) = delete;

  /// Sends one request. Never throws: transport problems come back as error codes (errc::timeout,
  /// errc::tls_error, errc::too_large, or the socket's own code). A pooled connection that turns
  /// out to be closed is replaced once, transparently, before any response byte was read.
  boost::asio::awaitable<result<client_response>> request(client_request req);

  struct stats {
    std::uint64_t requests = 0;
    std::uint64_t connections_opened = 0;
    std::uint64_t connections_reused = 0;
  };
  stats statistics() const noexcept;
  /// Closes every pooled connection.
  void close_idle();
  client_options const& options() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::http
