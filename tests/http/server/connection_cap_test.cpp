// The per-address connection cap (finding 2 of issue 12): one address could take every connection
// slot. Its table and log decisions, in memory and over loopback sockets, behind balancers, and
// its metric.
#include "http/server/address_table.hpp"  // src/
#include "memory_support.hpp"
#include "support.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace overworld::http {
namespace {

using namespace testing;
using detail::address_table;

TEST(AddressTable, CapsEachAddressAndForgetsIdleOnes) {
  manual_clock time;
  address_table table{2, time};
  auto a1 = table.admit("10.0.0.1");
  auto a2 = table.admit("10.0.0.1");
  auto a3 = table.admit("10.0.0.1");
  EXPECT_TRUE(a1.admitted);
  EXPECT_TRUE(a2.admitted);
  EXPECT_FALSE(a3.admitted);
  EXPECT_EQ(a3.open, 2u);
  EXPECT_TRUE(table.admit("10.0.0.2").admitted);  // its place is released at once: not kept
  EXPECT_EQ(table.open("10.0.0.1"), 2u);
  EXPECT_EQ(table.open("10.0.0.2"), 0u);
  a1.place = {};
  EXPECT_EQ(table.open("10.0.0.1"), 1u);
  EXPECT_TRUE(table.admit("10.0.0.1").admitted);
  a2.place = {};
  EXPECT_EQ(table.addresses(), 0u);  // no memory for addresses without connections
}

TEST(AddressTable, OneLinePerAddressPerInterval) {
  manual_clock time;
  address_table table{1, time};
  auto held = table.admit("10.0.0.1");
  auto other = table.admit("10.0.0.2");
  auto first = table.admit("10.0.0.1");
  EXPECT_TRUE(first.log);
  EXPECT_EQ(first.refused, 1u);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(table.admit("10.0.0.1").log);
  EXPECT_TRUE(table.admit("10.0.0.2").log);  // another address has a line of its own
  time.advance(address_table::log_interval - std::chrono::seconds{1});
  EXPECT_FALSE(table.admit("10.0.0.1").log);
  time.advance(std::chrono::seconds{1});
  auto again = table.admit("10.0.0.1");
  EXPECT_TRUE(again.log);
  EXPECT_EQ(again.refused, 52u);  // the ones not logged since the last line, and this one
}

TEST(AddressTable, ZeroMeansNoCap) {
  manual_clock time;
  address_table table{0, time};
  std::vector<address_table::admission> held;
  for (int i = 0; i < 1000; ++i) {
    held.push_back(table.admit("10.0.0.1"));
    ASSERT_TRUE(held.back().admitted);
  }
  EXPECT_EQ(table.addresses(), 0u);
}

running_server& with_hello(running_server& s) {
  s.routes->get("/hello", sync_handler{[](request const&) { return response::text(200, "hi"); }});
  return s;
}

/// A connection to 127.0.0.1:port from `source`, blocking, with a receive timeout.
tcp::socket connect_from(asio::io_context& ioc, std::string const& source, std::uint16_t port) {
  tcp::socket socket{ioc};
  socket.open(tcp::v4());
  socket.bind(tcp::endpoint{asio::ip::make_address(source), 0});
  socket.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
  timeval tv{5, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return socket;
}

/// Sends GET /hello and reads the answer; nullopt when the server closed the connection instead.
std::optional<unsigned> get_hello(tcp::socket& socket) {
  std::string const req = get_request("/hello");
  boost::system::error_code ec;
  asio::write(socket, asio::buffer(req), ec);
  if (ec) return std::nullopt;
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(socket, buffer, res, ec);
  if (ec) return std::nullopt;
  return res.result_int();
}

TEST(ConnectionCap, OneAddressCannotTakeEverySlot) {
  running_server s;
  s.options.max_connections_per_address = 8;
  with_hello(s).start();
  asio::io_context ioc;
  std::deque<tcp::socket> held;
  for (int i = 0; i < 8; ++i) {
    held.push_back(connect_from(ioc, "127.0.0.1", s.port()));
    ASSERT_EQ(get_hello(held.back()), 200u) << i;  // busy, not idle: each has been served
  }
  // The ninth from the same address is closed at once, without an answer.
  auto ninth = connect_from(ioc, "127.0.0.1", s.port());
  EXPECT_EQ(get_hello(ninth), std::nullopt);
  // Another address is served meanwhile.
  auto other = connect_from(ioc, "127.0.0.2", s.port());
  EXPECT_EQ(get_hello(other), 200u);
  // A slot freed is a slot for the same address again.
  held.pop_front();
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {  // the close reaches the server soon
    auto again = connect_from(ioc, "127.0.0.1", s.port());
    served = get_hello(again) == 200u;
  }
  EXPECT_TRUE(served);
  auto const text = s.metrics.render();
  EXPECT_NE(text.find("overworld_http_connections_refused_total{server=\"http\",reason=\"per_address\"}"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("reason=\"per_address\"} 0"), std::string::npos) << text;
}

TEST(ConnectionCap, TrustedProxiesAreNotCounted) {
  running_server s;
  s.options.max_connections_per_address = 2;
  s.options.trusted_proxies = {*ip_network::parse("127.0.0.1")};
  with_hello(s).start();
  asio::io_context ioc;
  std::vector<tcp::socket> held;
  for (int i = 0; i < 6; ++i) {
    held.push_back(connect_from(ioc, "127.0.0.1", s.port()));
    ASSERT_EQ(get_hello(held.back()), 200u) << i;
  }
}

TEST(ConnectionCap, BehindProxyProtocolTheClientNamedIsCounted) {
  memory_server s;
  s.options.max_connections_per_address = 2;
  s.options.proxy_protocol = true;
  s.options.trusted_proxies = {*ip_network::parse("10.0.0.0/8")};
  s.routes->get("/who",
                sync_handler{[](request const& req) { return response::text(200, std::string{req.client_address}); }});
  s.start();
  std::vector<memory_connection> held;  // open until the end
  auto const via_balancer = [&](std::string const& client) {
    held.push_back(s.connect("10.0.0.5"));
    held.back().send("PROXY TCP4 " + client + " 10.0.0.5 5000 80\r\n" + get_request("/who"));
    auto r = held.back().responses();
    return r.empty() ? std::string{"refused"} : r[0].body();
  };
  EXPECT_EQ(via_balancer("203.0.113.1"), "203.0.113.1");
  EXPECT_EQ(via_balancer("203.0.113.1"), "203.0.113.1");
  EXPECT_EQ(via_balancer("203.0.113.1"), "refused");  // the two above are still open
  EXPECT_EQ(via_balancer("203.0.113.2"), "203.0.113.2");
  // An untrusted peer's PROXY header names nobody: the peer itself is counted.
  auto direct1 = s.connect("198.51.100.7");
  auto direct2 = s.connect("198.51.100.7");
  EXPECT_FALSE(s.try_connect("198.51.100.7"));
}

TEST(ConnectionCap, RefusalsAreCountedInMemoryToo) {
  memory_server s;
  s.options.max_connections_per_address = 1;
  s.routes->get("/hello", sync_handler{[](request const&) { return response::text(200, "hi"); }});
  s.start();
  auto first = s.connect("192.0.2.9");
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(s.try_connect("192.0.2.9"));
  EXPECT_TRUE(s.try_connect("192.0.2.10"));
  EXPECT_NE(s.metrics.render().find("reason=\"per_address\"} 3"), std::string::npos) << s.metrics.render();
}

}  // namespace
}  // namespace overworld::http
