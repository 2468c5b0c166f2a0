// Redis behind a small class: one connection (TCP or a Unix socket) that pipelines every command
// of the process (many in flight, answers matched in order), Lua scripts by EVALSHA (loaded again
// when the server has forgotten them), and reconnection by itself with back-off. hiredis's reader
// is only the RESP codec; the socket is Asio's, so the client runs on any executor and hiredis
// stays out of this header. Thread-safe: calls may come from any thread.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/core/metrics.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::store {

/// Where a Redis server is: `redis://[user[:password]@]host[:port][/db]` or
/// `unix:///path/to/redis.sock[?db=N][&password=…]`.
struct redis_endpoint {
  std::string host;  ///< TCP host name or address; empty for a Unix socket
  std::uint16_t port = 6379;
  std::string socket_path;  ///< Unix socket; empty for TCP
  int database = 0;
  std::string username;  ///< Redis 6 ACL user; empty for the default user
  std::string password;  ///< empty: no AUTH
  /// host:port or the socket path, for log lines (never the password).
  std::string describe() const;
};

/// errc::bad_config with `why` for anything that is not one of the two forms above.
result<redis_endpoint> parse_redis_url(std::string_view url, std::string& why);

/// One RESP2 reply. Arrays hold their elements; strings, statuses and errors their text.
struct redis_reply {
  enum class type : std::uint8_t { string, status, error, integer, nil, array };
  type kind = type::nil;
  std::string text;
  std::int64_t integer = 0;
  std::vector<redis_reply> elements;

  bool is_error() const noexcept { return kind == type::error; }
  bool is_nil() const noexcept { return kind == type::nil; }
};

/// RESP bytes in, replies out: hiredis's reader with our own reply objects, bounded. Not
/// thread-safe; one per connection.
class resp_decoder {
 public:
  /// A reply (with the bytes it is still waiting for) may not exceed `max_reply_bytes`, nor an
  /// array `max_elements` elements; beyond either the decoder fails with errc::too_large.
  explicit resp_decoder(std::size_t max_reply_bytes = std::size_t{16} << 20, std::size_t max_elements = 1 << 20);
  ~resp_decoder();
  resp_decoder(resp_decoder const&) = delete;
  resp_decoder& operator=(resp_decoder const&) = delete;

  /// Bytes read from the server. errc::too_large when the unparsed bytes pass the bound.
  result<void> feed(std::string_view bytes);
  /// The next complete reply, nullopt until one is complete; errc::protocol_error for bytes that
  /// are not RESP, errc::too_large past a bound. After an error the decoder is unusable.
  result<std::optional<redis_reply>> next();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// Appends one command as a RESP array of bulk strings.
void encode_command(std::string& out, std::vector<std::string> const& args);

/// A Lua script and its SHA-1, cheap to copy.
class redis_script {
 public:
  explicit redis_script(std::string source);
  std::string const& source() const noexcept { return data_->source; }
  std::string const& sha1() const noexcept { return data_->sha1; }

 private:
  struct data {
    std::string source;
    std::string sha1;
  };
  std::shared_ptr<data const> data_;
};

struct redis_options {
  std::string url;
  std::size_t max_reply_bytes = std::size_t{16} << 20;  ///< a larger reply drops the connection
  std::size_t max_pending = 10'000;  ///< commands queued or unanswered; beyond, errc::unavailable at once
  std::chrono::milliseconds connect_timeout{2'000};  ///< a connection and its AUTH/SELECT
  std::chrono::milliseconds command_timeout{2'000};  ///< an answer later than this drops the connection
  std::chrono::milliseconds backoff_min{50};         ///< first wait before reconnecting; doubles
  std::chrono::milliseconds backoff_max{2'000};
};

class redis_client {
 public:
  using command_args = std::vector<std::string>;

  /// A client of `options.url` whose connection lives on a strand of `executor`; start() connects.
  /// errc::bad_config with `why` for a URL that cannot be read.
  static result<std::shared_ptr<redis_client>> create(boost::asio::any_io_executor executor, redis_options options,
                                                      std::string& why);
  ~redis_client();
  redis_client(redis_client const&) = delete;
  redis_client& operator=(redis_client const&) = delete;

  /// Connects in the background, and again after each loss (back-off from backoff_min to
  /// backoff_max), until stop().
  void start();
  /// Closes the connection; commands waiting fail with errc::shutting_down.
  void stop();

  /// One command. A Redis error reply is a reply (is_error()), not a failure; a failure is
  /// errc::unavailable (not connected, the connection lost before the answer, too many pending),
  /// errc::shutting_down after stop().
  boost::asio::awaitable<result<redis_reply>> command(command_args args);
  /// Several commands written at once; their replies in the same order. Same failures.
  boost::asio::awaitable<result<std::vector<redis_reply>>> pipeline(std::vector<command_args> commands);
  /// EVALSHA of the script; when the server does not know it (NOSCRIPT: a restart or SCRIPT
  /// FLUSH), SCRIPT LOAD and once more.
  boost::asio::awaitable<result<redis_reply>> eval(redis_script script, command_args keys, command_args args);

  bool connected() const noexcept;
  /// Connections lost, failed connection attempts and replies that broke the protocol.
  std::uint64_t errors() const noexcept;
  redis_endpoint const& endpoint() const noexcept;
  /// overworld_redis_connected (gauge) and overworld_redis_errors_total (counter), labelled by `name`.
  void expose(metrics_registry& metrics, std::string name);

  struct impl;  ///< the connection (src/store/redis.cpp)

 private:
  explicit redis_client(std::shared_ptr<impl> p) : impl_(std::move(p)) {}
  std::shared_ptr<impl> impl_;  // shared with the connection's coroutines, which outlive a call
};

}  // namespace overworld::store
