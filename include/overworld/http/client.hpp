// The HTTP client core: a keep-alive connection pool per host, TLS with SNI and host-name
// verification, connect/read/total timeouts, a response size limit and gzip/deflate decoding.
// Answers are read in as few system calls as the kernel allows: the head through a read buffer
// the client lends to one connection at a time (64 KiB: a typical answer arrives in one read),
// the rest of a body of known length straight into the body, reserved from Content-Length (in
// the storage of a finished body when one fits: see share()).
// Bodies come back whole (request) or streamed piece by piece to a sink (stream): a file being
// downloaded, an endless event stream.
// A client lives on one executor (one io_context thread or a strand): call it from there.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/http/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
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
  /// Spare capacity after every whole body, for parsers that read past the end (simdjson reads
  /// up to 64 bytes ahead): a body kept this way is parsed where it lies, without a copy.
  std::size_t body_padding = 64;
  /// Bodies of answers handed to share() are kept, once their last owner lets go, for the next
  /// answers of about their size: up to body_pool_size of them (0: none) and body_pool_bytes of
  /// storage in all, the oldest going first. A client keeps as many as it reads at once, so the
  /// defaults cover 64 answers of 128 KiB in flight.
  std::size_t body_pool_size = 64;
  std::size_t body_pool_bytes = std::size_t{8} * 1024 * 1024;
};

/// Lets the owner of a request end it from outside (a watcher stopping its event stream). Call
/// abort() on the client's executor; the request then ends with asio::error::operation_aborted,
/// at once if it has not started.
class abort_handle {
 public:
  void abort();
  bool aborted() const noexcept { return aborted_; }

 private:
  friend class client;
  bool aborted_ = false;
  std::function<void()> close_;  // set by the client while the request runs
};

struct client_request {
  verb method = verb::get;
  std::string url;  ///< http://host[:port]/path?query or https://…
  /// Sent as they are, after Host and User-Agent (a header of the same name replaces those, the
  /// last of two with one name wins). Names must be tokens and values free of CR, LF and NUL,
  /// else the request fails with errc::invalid_argument before anything is sent.
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  /// Overrides client_options::total_timeout for this request; duration::max() for none (a
  /// stream that lasts as long as it is read).
  std::optional<std::chrono::milliseconds> total_timeout{};
  std::shared_ptr<abort_handle> abort{};
};

struct client_response {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  ///< empty for a streamed answer (the sink had it)

  std::optional<std::string_view> header(std::string_view name) const noexcept;
};

/// Where a streamed answer goes. Both run on the client's executor; an error code returned stops
/// the transfer (the connection is dropped rather than read to the end) and the request ends with
/// it. A streamed body is not decompressed (no Accept-Encoding is sent) and has no size limit:
/// the sink decides.
struct body_sink {
  /// Once, with the status and headers, before any body byte. Optional.
  std::function<error_code(client_response const& head)> on_head;
  /// Each piece of the body, in order, as it arrives.
  std::function<error_code(std::string_view piece)> on_data;
};

/// A sink that appends the body to the open file descriptor `fd` (the caller keeps and closes it).
body_sink write_to_fd(int fd);

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

/// True for the codes of a connection the peer closed (EOF, reset, broken pipe, a TLS stream cut
/// short): a pooled connection that fails so before any answer byte is replaced once; a body cut
/// short so is worth resuming.
bool is_connection_closed(error_code ec) noexcept;

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
  /// errc::tls_error, errc::too_large, errc::invalid_argument, or the socket's own code). A pooled
  /// connection that turns out to be closed is replaced once, transparently, before any response
  /// byte was read.
  boost::asio::awaitable<result<client_response>> request(client_request req);

  /// Sends one request and hands its answer to `sink` as it arrives; the response returned has the
  /// status and headers (its body is empty). A connection read to the end goes back to the pool.
  boost::asio::awaitable<result<client_response>> stream(client_request req, body_sink sink);

  /// `answer` in a shared pointer whose last owner, on any thread, gives the body's storage back
  /// to this client (see client_options::body_pool_size): the next answer that fits is read into
  /// it, with no fresh allocation. It may outlive the client.
  std::shared_ptr<client_response const> share(client_response answer);

  struct stats {
    std::uint64_t requests = 0;
    std::uint64_t connections_opened = 0;
    std::uint64_t connections_reused = 0;
  };
  stats statistics() const noexcept;
  /// Closes every pooled connection.
  void close_idle();
  client_options const& options() const noexcept;
  boost::asio::any_io_executor executor() const noexcept;

 private:
  struct impl;
  boost::asio::awaitable<result<client_response>> run(client_request req, body_sink* sink);
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::http
