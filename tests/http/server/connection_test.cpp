// Limits, timeouts, keep-alive and pipelining, the three Beast pitfalls, shutdown draining.
#include "support.hpp"

#include <overworld/http/helpers.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace overworld::http {
namespace {

using namespace testing;

response ok(std::string body) { return response::text(200, std::move(body)); }

running_server& with_echo(running_server& s) {
  route_options small;
  small.limits = route_limits{1024, 16, std::chrono::seconds{10}};
  s.routes->post("/small", sync_handler{[](request const& req) { return ok(std::string{req.body}); }}, small);
  s.routes->post("/big", sync_handler{[](request const& req) { return ok(std::to_string(req.body.size())); }});
  s.routes->get("/hello", sync_handler{[](request const&) { return ok("hi"); }});
  return s;
}

TEST(Limits, BodyOverRouteLimitIs413) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n01234567890123456");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 413);
  EXPECT_EQ(r->body(), R"({"error":"request body too large"})");
  EXPECT_TRUE(c.closed_by_server());

  raw_connection ok_conn{s.port()};
  ok_conn.send("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 16\r\n\r\n0123456789012345");
  r = ok_conn.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), "0123456789012345");

  // Another route of the same server takes more.
  std::string const body(100'000, 'x');
  ok_conn.send("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n" + body);
  r = ok_conn.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "100000");
}

TEST(Limits, ChunkedBodyOverLimitIs413) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send(
      "POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
      "chunked\r\n\r\n10\r\n0123456789012345\r\n5\r\nabcde\r\n0\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 413);
}

TEST(Limits, ChunkedBodyWithinLimitIsJoined) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
  EXPECT_EQ(r->body(), "abcde");
}

TEST(Limits, OversizedHeaderIs431) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send(get_request("/hello", "X-Big: " + std::string(20'000, 'a') + "\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 431);
}

TEST(Limits, HeaderLimitIsPerRoute) {
  running_server s;
  with_echo(s).start();  // /small allows 1 KiB of head, /big the default 8 KiB
  std::string const pad = "X-Pad: " + std::string(2000, 'p') + "\r\n";
  raw_connection c{s.port()};
  c.send("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n" + pad + "\r\nx");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 431);
  raw_connection d{s.port()};
  d.send("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n" + pad + "\r\nx");
  r = d.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
}

TEST(Limits, ExpectContinueGetsInterimResponse) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send("POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c.read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result_int(), 100);
  c.send("abc");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "abc");
}

TEST(Pitfalls, Http11WithoutHostIs400) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send("GET /hello HTTP/1.1\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 400);
  EXPECT_NE(r->body().find("Host"), std::string::npos);
  // HTTP/1.0 needs no Host.
  raw_connection c10{s.port()};
  c10.send("GET /hello HTTP/1.0\r\n\r\n");
  r = c10.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);
}

TEST(Pitfalls, TwoHostHeadersAre400) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 400);
  EXPECT_TRUE(c.closed_by_server());
}

TEST(Pitfalls, TransferEncodingOtherThanChunkedIs400) {
  running_server s;
  with_echo(s).start();
  for (std::string te : {"chunked, gzip", "gzip, chunked", "gzip", "identity"}) {
    raw_connection c{s.port()};
    c.send("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: " + te + "\r\n\r\n0\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r) << te;
    EXPECT_EQ(r->result_int(), 400) << te;
  }
  raw_connection both{s.port()};
  both.send("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n");
  auto r = both.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 400);
  raw_connection two{s.port()};
  two.send(
      "POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  r = two.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 400);
}

TEST(Connection, MalformedRequestIs400) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send("THIS IS NOT HTTP\r\n\r\n");
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 400);
}

TEST(Connection, KeepAliveAndPipelining) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send(get_request("/hello") + "POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab" +
         get_request("/nope") + get_request("/hello"));
  std::vector<std::string> bodies;
  for (int i = 0; i < 4; ++i) {
    auto r = c.read();
    ASSERT_TRUE(r) << i;
    bodies.push_back(r->body());
    EXPECT_TRUE(r->keep_alive());
    EXPECT_FALSE((*r)[bhttp::field::date].empty());
    EXPECT_EQ((*r)[bhttp::field::server], "overworld");
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"hi", "ab", R"({"error":"not found"})", "hi"}));
  EXPECT_EQ(s.srv->open_connections(), 1u);
}

TEST(Connection, ConnectionCloseIsHonoured) {
  running_server s;
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send(get_request("/hello", "Connection: close\r\n"));
  auto r = c.read();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->keep_alive());
  EXPECT_TRUE(c.closed_by_server());
}

TEST(Timeouts, IdleKeepAliveConnectionIsClosed) {
  running_server s;
  s.options.idle_timeout = std::chrono::milliseconds{200};
  with_echo(s).start();
  raw_connection c{s.port()};
  c.send(get_request("/hello"));
  ASSERT_TRUE(c.read());
  auto const t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds{3});
}

TEST(Timeouts, SlowClientIsDropped) {
  running_server s;
  // The head is read within the server's read timeout (http.read_timeout): the route is not known yet.
  s.routes->set_default_limits(route_limits{8192, 1024, std::chrono::milliseconds{300}});
  s.routes->get("/slow", sync_handler{[](request const&) { return ok("x"); }});
  s.start();
  raw_connection c{s.port()};
  // Drip-feed the head, one byte every 50 ms: the whole request must arrive within 300 ms.
  std::string const req = get_request("/slow", "X-Padding: " + std::string(40, 'p') + "\r\n");
  bool dropped = false;
  for (char ch : req) {
    boost::system::error_code ec;
    asio::write(c.socket(), asio::buffer(&ch, 1), ec);
    if (ec) {
      dropped = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_TRUE(dropped || c.closed_by_server());
}

TEST(Shutdown, InFlightRequestsFinishAndIdleConnectionsClose) {
  running_server s;
  std::promise<void> entered;
  auto entered_future = entered.get_future();
  s.routes->get(
      "/work", async_handler{[&entered](request) -> boost::asio::awaitable<response> {
        entered.set_value();
        boost::asio::steady_timer t{co_await boost::asio::this_coro::executor, std::chrono::milliseconds{400}};
        co_await t.async_wait(boost::asio::use_awaitable);
        co_return ok("done");
      }});
  s.routes->get("/hello", sync_handler{[](request const&) { return ok("hi"); }});
  s.start();

  raw_connection idle{s.port()};
  idle.send(get_request("/hello"));
  ASSERT_TRUE(idle.read());

  raw_connection busy{s.port()};
  busy.send(get_request("/work"));
  ASSERT_EQ(entered_future.wait_for(std::chrono::seconds{5}), std::future_status::ready);
  auto const t0 = std::chrono::steady_clock::now();
  s.srv->shutdown();

  EXPECT_TRUE(idle.closed_by_server());
  auto r = busy.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "done");
  EXPECT_FALSE(r->keep_alive());  // draining: the server says it will close
  s.srv->join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds{3});
  EXPECT_EQ(s.srv->open_connections(), 0u);

  boost::asio::io_context ioc;
  tcp::socket late{ioc};
  boost::system::error_code ec;
  late.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), s.port()}, ec);
  EXPECT_TRUE(ec);  // the listener is gone
}

TEST(Threads, SeveralWorkersWithAndWithoutReusePort) {
  for (bool reuse : {false, true}) {
    running_server s;
    s.options.threads = 2;
    s.options.reuse_port = reuse;
    with_echo(s).start();
    for (int i = 0; i < 8; ++i) {
      raw_connection c{s.port()};
      c.send(get_request("/hello"));
      auto r = c.read();
      ASSERT_TRUE(r);
      EXPECT_EQ(r->body(), "hi");
    }
  }
}

TEST(Threads, AddressInUseIsReported) {
  running_server a;
  with_echo(a).start();
  server_options o;
  o.listen = {listen_address{"127.0.0.1", a.port()}};
  server b{o, a.routes};
  auto started = b.start();
  EXPECT_FALSE(started);
}

}  // namespace
}  // namespace overworld::http
