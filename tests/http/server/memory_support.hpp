// Test support: the server's session code over in-memory streams (no sockets, one thread), and a
// parser for what it wrote.
#pragma once

#include "http/server/in_memory.hpp"  // src/: the session's in-memory entry point

#include <overworld/http/server.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace overworld::http::testing {

namespace bhttp = boost::beast::http;
using wire_response = bhttp::response<bhttp::string_body>;

/// Every complete response in `bytes` (interim 1xx ones included), in order.
inline std::vector<wire_response> parse_responses(std::string_view bytes, bool head = false) {
  std::vector<wire_response> out;
  while (!bytes.empty()) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.skip(head);
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    std::size_t const used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec || !parser.is_done()) break;
    out.push_back(parser.release());
    bytes.remove_prefix(used);
  }
  return out;
}

/// One in-memory connection: what the client writes and what it has received.
class memory_connection {
 public:
  memory_connection(detail::in_memory_server& server, boost::beast::test::stream client)
      : server_(&server), client_(std::move(client)) {}

  /// Writes `bytes` and lets the server work on them.
  void send(std::string_view bytes) {
    boost::asio::write(client_, boost::asio::buffer(bytes.data(), bytes.size()));
    server_->poll();
  }
  /// Everything the server wrote since the last call.
  std::string received() {
    server_->poll();
    std::string out = client_.str();
    client_.clear();
    all_ += out;
    return out;
  }
  std::vector<wire_response> responses(bool head = false) { return parse_responses(received(), head); }
  /// The client closes its sending side: the server reads EOF once it read what was sent; what
  /// the server writes still arrives.
  void close() { client_.close(); }
  boost::beast::test::stream& stream() { return client_; }

 private:
  detail::in_memory_server* server_;
  boost::beast::test::stream client_;
  std::string all_;
};

struct memory_server {
  std::shared_ptr<router> routes = std::make_shared<router>();
  server_options options;
  metrics_registry metrics;
  std::unique_ptr<detail::in_memory_server> srv;

  void start() { srv = std::make_unique<detail::in_memory_server>(options, routes, &metrics); }
  /// A connection from `peer`; throws when the server refuses it (see try_connect).
  memory_connection connect(std::string const& peer = "192.0.2.1") {
    auto c = try_connect(peer);
    if (!c) throw std::runtime_error("connection from " + peer + " refused");
    return std::move(*c);
  }
  std::optional<memory_connection> try_connect(std::string const& peer = "192.0.2.1") {
    auto client = srv->connect(peer);
    if (!client) return std::nullopt;
    srv->poll();
    return memory_connection{*srv, std::move(*client)};
  }
  /// Sends `bytes` on a new connection, closes the client's sending side and returns every
  /// response the server wrote before it closed.
  std::vector<wire_response> exchange(std::string_view bytes, bool head = false) {
    auto c = connect();
    c.send(bytes);
    std::string all = c.received();
    c.close();  // the client's sending side: the server reads EOF after the bytes
    srv->run_until_closed(std::chrono::seconds{5});
    all += c.received();
    return parse_responses(all, head);
  }
};

}  // namespace overworld::http::testing
