// Request and response types of the HTTP layer. They hold no Beast types, so the many files that
// write handlers never compile Beast; the session translates between these and the wire.
#pragma once

#include <overworld/core/error.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overworld::http {

enum class verb : std::uint8_t { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(verb v) noexcept;
verb verb_from_string(std::string_view s) noexcept;

/// Case-insensitive ASCII comparison, as header names need.
bool iequals(std::string_view a, std::string_view b) noexcept;

/// Standard reason phrase ("Not Found"); "Unknown" for codes without one.
std::string_view reason_phrase(unsigned status) noexcept;

/// An answer's status as an error code, for callers that carry only error codes: its message is
/// "HTTP 404 Not Found"; value() is the status.
boost::system::error_category const& status_category() noexcept;
inline error_code status_error(unsigned status) noexcept { return {static_cast<int>(status), status_category()}; }

/// Decodes %XX escapes (and '+' as space when `plus_is_space`). Returns nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space = false);
/// Encodes everything but unreserved characters (RFC 3986).
std::string percent_encode(std::string_view in);

/// A value of an application/x-www-form-urlencoded string ("a=1&b=x+y"), decoded; nullopt when
/// absent or badly encoded. Query strings use the same encoding.
std::optional<std::string> form_value(std::string_view encoded, std::string_view name);

struct header_field {
  std::string_view name;
  std::string_view value;
};

struct path_param {
  std::string_view name;
  std::string value;  ///< percent-decoded
};

/// A request as handlers see it. Every view points into the connection's buffers and stays valid
/// until the handler's response has been produced, so handlers (even coroutines) take it by value.
struct request {
  verb method = verb::get;
  std::string_view method_name;
  std::string_view target;  ///< as sent: path and query
  std::string_view path;    ///< before '?', not decoded
  std::string_view query;   ///< after '?', not decoded
  unsigned version = 11;    ///< 10 or 11
  std::span<header_field const> headers;
  std::span<path_param const> params;
  std::string_view body;
  std::string_view peer_address;    ///< the socket peer
  std::string_view client_address;  ///< the peer, or the client named by a trusted proxy

  /// First header of that name, case-insensitive.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
  /// A path parameter captured by the route pattern ("{tag}"), empty if absent.
  std::string_view param(std::string_view name) const noexcept;
  /// A query parameter, percent-decoded ('+' is a space). nullopt when absent or badly encoded.
  std::optional<std::string> query_param(std::string_view name) const;
};

/// Produces the chunks of a streamed response (Server-Sent Events and the like).
class stream_source {
 public:
  virtual ~stream_source() = default;
  /// Awaited on the connection's thread. nullopt ends the stream. Must return promptly after
  /// stop(). A source sends heartbeats of its own, which is how a gone client is noticed.
  virtual boost::asio::awaitable<std::optional<std::string>> next() = 0;
  /// Asks the source to finish: the server is shutting down or the client went away.
  virtual void stop() = 0;
};

/// A region of an open file, sent with sendfile(2): the bytes never pass through user space.
class file_body {
 public:
  file_body(int fd, std::uint64_t offset, std::uint64_t length) noexcept : fd_(fd), offset_(offset), length_(length) {}
  ~file_body();
  file_body(file_body const&) = delete;
  file_body& operator=(file_body const&) = delete;
  int fd() const noexcept { return fd_; }
  std::uint64_t offset() const noexcept { return offset_; }
  std::uint64_t length() const noexcept { return length_; }

 private:
  int fd_;
  std::uint64_t offset_;
  std::uint64_t length_;
};

/// A response. Extra headers are kept as one pre-formatted block ("Name: value\r\n"…): one
/// allocation however many headers a handler adds. The session adds Date, Server, Content-Length
/// and Connection itself.
struct response {
  unsigned status = 200;
  std::string content_type;
  std::string body;
  /// An immutable body shared between many responses (pre-serialised snapshots); wins over `body`.
  std::shared_ptr<std::string const> shared_body;
  /// A pre-formatted block of headers shared between many responses (e.g. a snapshot's ETag).
  std::shared_ptr<std::string const> shared_headers;
  /// When set, the body is streamed with chunked encoding instead of `body`.
  std::shared_ptr<stream_source> stream;
  /// When set, the body is this part of a file (Content-Length is its length).
  std::shared_ptr<file_body> file;
  /// Close the connection after this response.
  bool close = false;
  /// Close the connection instead of answering, as a crashed server or a cut link would: the
  /// client reads EOF where the response should be. For fault injection in emulators.
  bool drop = false;
  /// Held back this long before it is written (or dropped): injected latency, without making the
  /// handler a coroutine.
  std::chrono::milliseconds delay{0};

  response() = default;
  explicit response(unsigned s) : status(s) {}

  static response json(unsigned status, std::string body);
  static response text(unsigned status, std::string body);

  response& header(std::string_view name, std::string_view value);
  /// First header of that name in the extra headers (shared ones included).
  std::optional<std::string> get_header(std::string_view name) const;
  std::string_view extra_headers() const noexcept { return headers_; }
  std::string_view body_view() const noexcept {
    return shared_body ? std::string_view{*shared_body} : std::string_view{body};
  }

 private:
  std::string headers_;
};

}  // namespace overworld::http
