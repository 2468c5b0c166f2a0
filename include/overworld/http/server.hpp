// The HTTP server: one io_context per thread, a coroutine per connection, keep-alive and
// pipelining, per-route limits and timeouts, graceful shutdown, request metrics.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/core/metrics.hpp>
#include <overworld/http/proxy.hpp>
#include <overworld/http/router.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace overworld::http {

struct listen_address {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;

  /// "host:port", "[v6]:port", ":port" or "port".
  static result<listen_address> parse(std::string_view text);
  std::string to_string() const;
};

struct server_options {
  std::vector<listen_address> listen{listen_address{}};
  std::size_t threads = 1;
  /// Each thread gets its own acceptor on the same port (SO_REUSEPORT); otherwise one acceptor
  /// hands connections to the threads in turn.
  bool reuse_port = false;
  std::chrono::milliseconds idle_timeout{30'000};  ///< keep-alive wait between requests
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{10'000};  ///< how long shutdown waits for in-flight requests
  std::size_t max_connections = 10'000;
  /// Connections one client address may hold open at once; more are closed as they arrive (and
  /// logged, at most once a minute per address). 0: no cap. Trusted proxies are not counted; with
  /// the PROXY protocol the client address the header names is.
  std::size_t max_connections_per_address = 256;
  std::vector<ip_network> trusted_proxies;
  bool proxy_protocol = false;  ///< expect a PROXY v1/v2 header on every connection
  std::string server_name = "overworld";
  std::string name = "http";  ///< label in metrics when one process runs several servers
};

class server {
 public:
  server(server_options options, std::shared_ptr<router const> routes, metrics_registry* metrics = nullptr);
  ~server();
  server(server const&) = delete;
  server& operator=(server const&) = delete;

  /// Binds every address and starts the threads. Errors: address in use, bad address.
  result<void> start();
  /// The bound addresses (with the real port when 0 was asked for).
  std::vector<listen_address> local_addresses() const;
  std::uint16_t port() const;  ///< the first bound port

  /// Stops accepting, lets in-flight requests finish (idle keep-alive connections are closed at
  /// once), waits up to drain_timeout, then stops the threads. Safe from any thread; idempotent.
  void shutdown();
  /// Blocks until the threads have stopped.
  void join();

  /// The io_context of thread `i` (for timers of components that live beside the server).
  boost::asio::io_context& context(std::size_t i = 0);
  std::size_t open_connections() const;
  std::uint64_t requests_served() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::http
