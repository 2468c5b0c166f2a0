// A server without sockets: the real session code over in-memory streams (beast::test::stream),
// admitted as the listener admits connections. For unit tests and the fuzzer: bytes in, bytes out,
// no ports, one thread (the caller's).
#pragma once

#include <overworld/http/server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace overworld::http::detail {

class in_memory_server {
 public:
  in_memory_server(server_options options, std::shared_ptr<router const> routes, metrics_registry* metrics = nullptr);
  ~in_memory_server();
  in_memory_server(in_memory_server const&) = delete;
  in_memory_server& operator=(in_memory_server const&) = delete;

  /// A connection from `peer`, admitted as the listener would (max_connections, the per-address
  /// cap; a PROXY header first with proxy_protocol). The client's end, or nullopt when refused.
  std::optional<boost::beast::test::stream> connect(std::string const& peer = "192.0.2.1");

  /// Runs what is ready now, then returns (the client's end then holds what the server wrote).
  void poll();
  /// Runs until every connection has closed, or `timeout` passed (false then).
  bool run_until_closed(std::chrono::milliseconds timeout = std::chrono::seconds{10});

  /// As server::shutdown: idle connections close, the others finish their request.
  void shutdown();
  boost::asio::io_context& context();
  std::size_t open_connections() const;
  std::uint64_t requests_served() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::http::detail
