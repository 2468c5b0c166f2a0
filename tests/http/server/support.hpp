// Test support: a real server on 127.0.0.1:0 and a raw blocking client that speaks bytes.
#pragma once

#include <overworld/http/server.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace overworld::http::testing {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

struct running_server {
  std::shared_ptr<router> routes = std::make_shared<router>();
  metrics_registry metrics;
  server_options options;
  std::unique_ptr<server> srv;

  running_server() {
    options.listen = {listen_address{"127.0.0.1", 0}};
    options.drain_timeout = std::chrono::milliseconds{3000};
  }
  void start() {
    srv = std::make_unique<server>(options, routes, &metrics);
    auto started = srv->start();
    if (!started) throw std::runtime_error("server did not start: " + started.error().message());
  }
  std::uint16_t port() const { return srv->port(); }
  ~running_server() {
    if (srv) {
      srv->shutdown();
      srv->join();
    }
  }
};

/// A blocking connection with a receive timeout, so a broken server fails a test instead of hanging it.
class raw_connection {
 public:
  explicit raw_connection(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds{5})
      : socket_(ioc_) {
    socket_.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
    timeval tv{};
    tv.tv_sec = static_cast<long>(timeout.count() / 1000);
    tv.tv_usec = static_cast<long>((timeout.count() % 1000) * 1000);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  void send(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes.data(), bytes.size())); }

  /// Reads one response; nullopt when the connection closed (or timed out) first.
  std::optional<bhttp::response<bhttp::string_body>> read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    return parser.release();
  }

  /// True when the server closed the connection (EOF) within the receive timeout.
  bool closed_by_server() {
    char c;
    boost::system::error_code ec;
    if (buffer_.size() > 0) return false;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  tcp::socket& socket() { return socket_; }

 private:
  asio::io_context ioc_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

inline std::string get_request(std::string_view target, std::string_view extra = {}) {
  std::string r = "GET ";
  r += target;
  r += " HTTP/1.1\r\nHost: localhost\r\n";
  r += extra;
  r += "\r\n";
  return r;
}

}  // namespace overworld::http::testing
