// The session over in-memory streams (no sockets): keep-alive and pipelining, chunk extensions
// and trailers bounded by the header limit, Expect: 100-continue answered at once when refused,
// absolute-form targets, file bodies, timeouts and the drain.
#include "memory_support.hpp"
#include "support.hpp"

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <cstdio>
#include <thread>

namespace overworld::http {
namespace {

using namespace testing;

response ok(std::string body) { return response::text(200, std::move(body)); }

/// An asynchronous filter (as a shared rate limit is): it yields to the executor, then refuses a
/// request with X-Deny.
boost::asio::awaitable<std::optional<response>> deny_later(request req) {
  co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
  if (!req.header("X-Deny")) co_return std::nullopt;
  co_return default_error(429, "denied later");
}

/// /hello, /small (1 KiB head, 16 B body), /big (the defaults), /echo-headers, and a group "keyed"
/// whose filter answers 401 without the header X-Key.
memory_server& with_routes(memory_server& s) {
  route_options small;
  small.limits = route_limits{1024, 16, std::chrono::seconds{10}};
  s.routes->get("/hello", sync_handler{[](request const&) { return ok("hi"); }});
  s.routes->post("/small", sync_handler{[](request const& req) { return ok(std::string{req.body}); }}, small);
  s.routes->post("/big", sync_handler{[](request const& req) { return ok(std::to_string(req.body.size())); }});
  s.routes->add(verb::post, "/echo-headers", sync_handler{[](request const& req) {
                  std::string out;
                  for (auto const& h : req.headers) out += std::string{h.name} + "=" + std::string{h.value} + "\n";
                  out += "target=" + std::string{req.target} + "\npath=" + std::string{req.path} +
                         "\nquery=" + std::string{req.query} + "\nbody=" + std::string{req.body} + "\n";
                  return ok(out);
                }});
  s.routes->get("/echo-target", sync_handler{[](request const& req) {
                  return ok(std::string{req.target} + " " + std::string{req.header("Host").value_or("-")});
                }});
  route_options keyed;
  keyed.group = "keyed";
  s.routes->post("/keyed", sync_handler{[](request const& req) { return ok(std::string{req.body}); }}, keyed);
  s.routes->add_filter("keyed", [](request const& req) -> std::optional<response> {
    if (req.header("X-Key")) return std::nullopt;
    return default_error(401, "key required");
  });
  route_options later;
  later.group = "later";
  s.routes->post("/later", sync_handler{[](request const& req) { return ok(std::string{req.body}); }}, later);
  s.routes->add_filter("later", async_filter{deny_later});
  return s;
}

std::string post(std::string_view path, std::string_view body, std::string_view extra = {}) {
  return "POST " + std::string{path} + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + std::string{extra} + "\r\n" + std::string{body};
}

TEST(Session, KeepAliveAndPipeliningWithoutSockets) {
  memory_server s;
  with_routes(s).start();
  auto r = s.exchange(get_request("/hello") + post("/small", "ab") + get_request("/nope") + get_request("/hello"));
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].body(), "hi");
  EXPECT_EQ(r[1].body(), "ab");
  EXPECT_EQ(r[2].result_int(), 404);
  EXPECT_EQ(r[2].body(), R"({"error":"not found"})");
  EXPECT_EQ(r[3].body(), "hi");
  for (auto const& each : r) EXPECT_TRUE(each.keep_alive());
  EXPECT_EQ(s.srv->requests_served(), 3u);
}

TEST(Session, AnAsynchronousFilterAnswersBeforeTheBodyInPipelineOrder) {
  memory_server s;
  with_routes(s).start();
  auto r = s.exchange(post("/later", "one") + post("/later", "two", "X-Deny: 1\r\n") + post("/later", "three"));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].body(), "one");
  EXPECT_EQ(r[1].result_int(), 429);
  EXPECT_EQ(r[1].body(), R"({"error":"denied later"})");
  EXPECT_EQ(r[2].body(), "three");
}

TEST(Session, BodyOverRouteLimitIs413AndCloses) {
  memory_server s;
  with_routes(s).start();
  auto r = s.exchange(post("/small", "01234567890123456") + get_request("/hello"));
  ASSERT_EQ(r.size(), 1u);  // the pipelined request behind it is not served
  EXPECT_EQ(r[0].result_int(), 413);
  EXPECT_EQ(r[0].body(), R"({"error":"request body too large"})");
  EXPECT_FALSE(r[0].keep_alive());
}

/// Sends `head`, then 16 KiB pieces (4 MiB at most) until the server answers: the answers and
/// how much was sent.
std::pair<std::vector<wire_response>, std::size_t> flood(memory_server& s, std::string const& head) {
  auto c = s.connect();
  c.send(head);
  std::string const piece(16 * 1024, 'x');
  std::vector<wire_response> r;
  std::size_t sent = 0;
  for (; sent < 4 * 1024 * 1024 && r.empty(); sent += piece.size()) {
    c.send(piece);
    r = c.responses();
  }
  return {r, sent};
}

// Finding 1 of issue 12: `5;` and then extension bytes without end grew the process by gigabytes,
// before any handler or key check. The read buffer now holds at most max(header limit, 16 KiB).
TEST(Session, EndlessChunkExtensionIs431WithinTheReadBuffer) {
  memory_server s;
  with_routes(s).start();
  for (std::string const path : {"/big", "/hello", "/nowhere"}) {
    auto [r, sent] = flood(s, "POST " + path + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;");
    ASSERT_EQ(r.size(), 1u) << path;
    EXPECT_EQ(r[0].result_int(), 431) << path;
    EXPECT_EQ(r[0].body(), R"({"error":"chunk extensions or trailer too large"})") << path;
    EXPECT_FALSE(r[0].keep_alive());
    EXPECT_LE(sent, 64u * 1024) << path << ": the refusal came only after " << sent << " bytes";
  }
}

TEST(Session, EndlessTrailerIs431WithinTheReadBuffer) {
  memory_server s;
  with_routes(s).start();
  for (std::string const head : {"POST /big HTTP/1.1\r\n", "GET /hello HTTP/1.1\r\n"}) {
    auto [r, sent] = flood(s, head + "Host: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: ");
    ASSERT_EQ(r.size(), 1u) << head;
    EXPECT_EQ(r[0].result_int(), 431) << head;
    EXPECT_LE(sent, 64u * 1024) << head;
  }
}

TEST(Session, ChunkExtensionsCountTogetherAgainstTheRoutesHeaderLimit) {
  memory_server s;
  with_routes(s).start();
  // /small allows 1 KiB of head: ten 200-byte extensions are more, though each line is short.
  std::string body;
  for (int i = 0; i < 10; ++i) body += "1;x=" + std::string(200, 'v') + "\r\na\r\n";
  body += "0\r\n\r\n";
  auto r = s.exchange("POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].result_int(), 431);
  // A few short ones are fine.
  r = s.exchange(
      "POST /small HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;a=b\r\nab\r\n1;c\r\nc\r\n0\r\n\r\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].result_int(), 200);
  EXPECT_EQ(r[0].body(), "abc");
}

TEST(Session, TrailerCountsAgainstTheHeaderLimitAndAddsNoHeaders) {
  memory_server s;
  with_routes(s).start();
  std::string const chunked =
      "POST /echo-headers HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n";
  auto r = s.exchange(chunked + "X-Trailer: t\r\nHost: evil\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].result_int(), 200);
  EXPECT_EQ(r[0].body(),
            "Host=h\nTransfer-Encoding=chunked\ntarget=/echo-headers\npath=/echo-headers\nquery=\nbody=ab\n");
  // A trailer that fits the read buffer but not the route's header limit.
  r = s.exchange(chunked + "X-Trailer: " + std::string(9000, 't') + "\r\n\r\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].result_int(), 431);
}

// Finding 8 of issue 12: a client waiting for "100 Continue" waited for the read timeout when the
// request was refused. It now gets the final status at once, and the connection closes.
TEST(Session, ExpectContinueIsAnsweredAtOnceWhenRefused) {
  memory_server s;
  with_routes(s).start();
  struct refusal_case {
    std::string head;
    unsigned status;
  };
  std::vector<refusal_case> const cases{
      {"POST /nowhere HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", 404},
      {"PUT /hello HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", 405},
      {"POST /small HTTP/1.1\r\nHost: h\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n", 413},
      {"POST /keyed HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", 401},
      {"POST /keyed HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nExpect: 100-Continue\r\n\r\n", 401},
  };
  for (auto const& [head, status] : cases) {
    auto c = s.connect();
    c.send(head);  // and nothing more: the client waits
    auto r = c.responses();
    ASSERT_EQ(r.size(), 1u) << head;
    EXPECT_EQ(r[0].result_int(), status) << head;
    EXPECT_FALSE(r[0].keep_alive()) << head;
    if (status == 405) {
      EXPECT_EQ(r[0][bhttp::field::allow], "GET, HEAD");
    }
    if (status == 401) {
      EXPECT_EQ(r[0].body(), R"({"error":"key required"})");
    }
  }
  s.srv->run_until_closed();
  EXPECT_EQ(s.srv->open_connections(), 0u);
}

TEST(Session, ExpectContinueOnAnAcceptedRequestGetsTheInterimThenTheAnswer) {
  memory_server s;
  with_routes(s).start();
  auto c = s.connect();
  c.send("POST /keyed HTTP/1.1\r\nHost: h\r\nX-Key: k\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c.responses();
  ASSERT_EQ(interim.size(), 1u);
  EXPECT_EQ(interim[0].result_int(), 100);
  c.send("abc");
  auto r = c.responses();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body(), "abc");
  EXPECT_TRUE(r[0].keep_alive());
  // HTTP/1.0 knows no 100 Continue (RFC 9110 §10.1.1): the expectation is ignored.
  c.send("POST /keyed HTTP/1.0\r\nX-Key: k\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_TRUE(c.responses().empty());
  c.send("de");
  r = c.responses();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body(), "de");
}

TEST(Session, RefusalWithoutExpectationDropsTheBodyAndKeepsTheConnection) {
  memory_server s;
  with_routes(s).start();
  auto r = s.exchange(post("/keyed", "12345") + post("/nowhere", "xyz") + get_request("/hello"));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].result_int(), 401);
  EXPECT_EQ(r[1].result_int(), 404);
  EXPECT_EQ(r[2].body(), "hi");
  EXPECT_TRUE(r[0].keep_alive());
}

// Finding 8 of issue 12: absolute-form targets were answered 404.
TEST(Session, AbsoluteFormTargetIsRoutedByItsPath) {
  memory_server s;
  with_routes(s).start();
  auto r = s.exchange(
      "GET http://example.org:8080/echo-target?x=1 HTTP/1.1\r\nHost: other\r\n\r\n"
      "GET HTTPS://example.org/hello HTTP/1.1\r\nHost: example.org\r\n\r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].result_int(), 200);
  // RFC 9112 §3.2.2: the target's host replaces the Host header.
  EXPECT_EQ(r[0].body(), "/echo-target?x=1 example.org:8080");
  EXPECT_EQ(r[1].body(), "hi");

  memory_server root;
  root.routes->get("/", sync_handler{[](request const& req) { return ok(std::string{req.target}); }});
  root.start();
  r = root.exchange(
      "GET http://example.org HTTP/1.1\r\nHost: example.org\r\n\r\n"
      "GET http://example.org?q=2 HTTP/1.1\r\nHost: example.org\r\n\r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].body(), "/");
  EXPECT_EQ(r[1].body(), "/?q=2");
}

TEST(Session, AbsoluteFormKeepsTheHostRules) {
  memory_server s;
  with_routes(s).start();
  for (std::string const bad : {"GET http://example.org/hello HTTP/1.1\r\n\r\n",
                                "GET http://example.org/hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                                "GET http:///hello HTTP/1.1\r\nHost: h\r\n\r\n",
                                "GET http://user@example.org/hello HTTP/1.1\r\nHost: h\r\n\r\n",
                                "GET ftp://example.org/hello HTTP/1.1\r\nHost: h\r\n\r\n"}) {
    auto r = s.exchange(bad);
    ASSERT_EQ(r.size(), 1u) << bad;
    EXPECT_EQ(r[0].result_int(), 400) << bad;
  }
}

TEST(Session, FileBodiesWithoutASocket) {
  char name[] = "/tmp/overworld-session-file.XXXXXX";
  int const fd = ::mkstemp(name);
  ASSERT_GE(fd, 0);
  std::string content;
  for (int i = 0; i < 100'000; ++i) content += static_cast<char>('a' + i % 26);
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  memory_server s;
  std::string const path = name;
  s.routes->get("/file", sync_handler{[path](request const&) {
                  response res{200};
                  res.content_type = "application/octet-stream";
                  res.file = std::make_shared<file_body>(::open(path.c_str(), O_RDONLY), 10, 90'000);
                  return res;
                }});
  s.start();
  auto r = s.exchange(get_request("/file"));
  ::unlink(name);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body(), content.substr(10, 90'000));
}

TEST(Session, SlowHeadIsDroppedAfterTheReadTimeout) {
  memory_server s;
  s.routes->set_default_limits(route_limits{8192, 1024, std::chrono::milliseconds{100}});  // http.read_timeout
  s.routes->get("/slow", sync_handler{[](request const&) { return ok("x"); }});
  s.start();
  auto c = s.connect();
  c.send("GET /slow HTTP/1.1\r\nHost: h\r\n");  // and never the end of the head
  auto const t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(s.srv->run_until_closed(std::chrono::seconds{10}));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds{90});
  EXPECT_TRUE(c.responses().empty());
}

TEST(Session, HeadSlowerThanItsRoutesReadTimeoutIsDropped) {
  memory_server s;  // the server's read timeout is the default 10 s; the route allows 50 ms
  route_options quick;
  quick.limits = route_limits{8192, 1024, std::chrono::milliseconds{50}};
  s.routes->get("/quick", sync_handler{[](request const&) { return ok("x"); }}, quick);
  s.start();
  auto c = s.connect();
  c.send("GET /quick HTTP/1.1\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds{60});  // longer than the route allows, whatever the load
  c.send("Host: h\r\n\r\n");
  EXPECT_TRUE(c.responses().empty());
  EXPECT_TRUE(s.srv->run_until_closed(std::chrono::seconds{5}));
}

TEST(Session, ShutdownClosesIdleConnections) {
  memory_server s;
  with_routes(s).start();
  auto c = s.connect();
  c.send(get_request("/hello"));
  ASSERT_EQ(c.responses().size(), 1u);
  EXPECT_EQ(s.srv->open_connections(), 1u);
  s.srv->shutdown();
  EXPECT_TRUE(s.srv->run_until_closed(std::chrono::seconds{5}));
}

}  // namespace
}  // namespace overworld::http
