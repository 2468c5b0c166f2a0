// Attacks on the HTTP layer itself, on every listener: chunk-extension and trailer floods,
// request smuggling with Content-Length / Transfer-Encoding mixes, header floods, slowloris, and
// the HTTP details (absolute-form targets, Expect: 100-continue refused at once).
#include "hostile/hostile.hpp"

#include <gtest/gtest.h>

namespace overworld::hostile {
namespace {

/// Sends `head`, then `filler` over and over (at most `max_bytes`, far beyond any limit) until the
/// server answers. Returns the answer (nullopt when none came) and how much was sent.
struct flood_result {
  std::optional<wire_response> answer;
  std::size_t sent = 0;
};
flood_result flood(std::uint16_t port, std::string const& head, std::size_t max_bytes = std::size_t{96} << 20) {
  raw_socket s{port};
  flood_result out;
  if (!s.send(head)) return out;
  std::string const filler(64 * 1024, 'x');
  while (out.sent < max_bytes && !s.readable()) {
    auto const n = s.send_some(filler);
    if (n < 0) break;
    if (n == 0) s.readable(10ms);  // the socket is full: wait a little for the server's answer
    out.sent += static_cast<std::size_t>(n);
  }
  out.answer = s.read(5s);
  return out;
}

struct listener_case {
  char const* what;
  std::uint16_t target_server::*port;
  std::string head;
};

/// Floods each listener and path of `cases` with `start` (after the head) and what follows it;
/// each must be answered 431 in the API's JSON, early, while the server stays unharmed.
void expect_flood_refused(std::vector<listener_case> const& cases, std::string const& start) {
  target_server server;
  for (auto const& c : cases) {
    flood_result result;
    auto report = under_attack(
        server,
        [&] { result = flood(server.*c.port, c.head + "Host: h\r\nTransfer-Encoding: chunked\r\n\r\n" + start); },
        server.*c.port, "/healthz");
    SCOPED_TRACE(c.what);
    ASSERT_TRUE(result.answer) << "no answer after " << result.sent << " bytes";
    EXPECT_EQ(result.answer->result_int(), 431);
    EXPECT_FALSE(result.answer->keep_alive());
    EXPECT_EQ(result.answer->body().front(), '{') << result.answer->body();  // the API's JSON
    EXPECT_LT(result.sent, std::size_t{8} << 20);
    EXPECT_SERVER_UNHARMED(report);
  }
}

// Finding 1 of issue 12: RSS 311 MB -> 2,327 MB in 7 s over one connection, before any key check.
TEST(Hostile, ChunkExtensionFloodOnEveryListener) {
  expect_flood_refused({{"public, unknown path", &target_server::public_port, "POST /anything HTTP/1.1\r\n"},
                        {"public, /healthz", &target_server::public_port, "GET /healthz HTTP/1.1\r\n"},
                        {"district report, before its key", &target_server::public_port,
                         "POST /internal/v1/districts/Nowhere/report HTTP/1.1\r\n"},
                        {"sandbox", &target_server::sandbox_port, "POST /v1/clans HTTP/1.1\r\n"},
                        {"admin", &target_server::admin_port, "POST /admin/v1/accounts HTTP/1.1\r\n"}},
                       "5;");
}

TEST(Hostile, UnterminatedTrailerFloodOnEveryListener) {
  expect_flood_refused(
      {{"public, /healthz", &target_server::public_port, "GET /healthz HTTP/1.1\r\n"},
       {"district report", &target_server::public_port, "POST /internal/v1/districts/Nowhere/report HTTP/1.1\r\n"},
       {"sandbox", &target_server::sandbox_port, "POST /v1/clans HTTP/1.1\r\n"},
       {"admin", &target_server::admin_port, "POST /admin/v1/accounts HTTP/1.1\r\n"}},
      "0\r\nX-Trailer: ");
}

TEST(Hostile, RequestSmugglingIsRefused) {
  target_server server;
  std::string const smuggled = get("/api/v2/districts");
  // Each is followed by a second request that a lenient front end and back end could disagree on.
  std::vector<std::string> const heads{
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
      "chunked\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\nabcde",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\nabcdef",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabcde\r\n0\r\n\r\n",
      "POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5 5\r\nabcde\r\n0\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "GET /healthz HTTP/1.1\r\n\r\n",
  };
  auto report = under_attack(server, [&] {
    for (auto const& head : heads) {
      raw_socket s{server.public_port};
      s.send(head + smuggled);
      auto first = s.read();
      ASSERT_TRUE(first) << head;
      EXPECT_TRUE(first->result_int() == 400 || first->result_int() == 413) << head << first->result_int();
      EXPECT_FALSE(first->keep_alive()) << head;
      EXPECT_FALSE(s.read(1s)) << "the request behind it was served: " << head;
    }
  });
  EXPECT_SERVER_UNHARMED(report);
}

TEST(Hostile, HeaderFloodsAre431) {
  target_server server;
  auto report = under_attack(server, [&] {
    // One endless header line, and a head of endless small headers, each fast and on many connections.
    for (std::string const start : {"X-Big: ", "A: b\r\n"}) {
      for (int i = 0; i < 20; ++i) {
        raw_socket s{server.public_port};
        s.send("GET /healthz HTTP/1.1\r\nHost: h\r\n");
        std::string line;
        while (line.size() < 1024 * 1024) line += start;
        s.send(line, 1s);  // the server stops reading once it has answered
        auto r = s.read();
        ASSERT_TRUE(r) << start;
        EXPECT_EQ(r->result_int(), 431);
        EXPECT_TRUE(s.closed_by_server());
      }
    }
  });
  EXPECT_SERVER_UNHARMED(report);
}

TEST(Hostile, SlowlorisConnectionsAreDroppedAtTheReadTimeout) {
  target_server server{"[http]\nread_timeout = \"1s\"\n"};
  auto report = under_attack(server, [&] {
    std::vector<raw_socket> slow;
    for (int i = 0; i < 200; ++i) {
      slow.emplace_back(server.public_port);
      slow.back().send("GET /healthz HTTP/1.1\r\n");
    }
    // One byte of header every 100 ms per connection: never a whole head within the read timeout.
    auto const t0 = std::chrono::steady_clock::now();
    std::size_t open = slow.size();
    while (open > 0 && std::chrono::steady_clock::now() - t0 < 10s) {
      open = 0;
      for (auto& s : slow) open += s.send("X") ? 1 : 0;
      std::this_thread::sleep_for(100ms);  // the drip rate of the attack
    }
    EXPECT_EQ(open, 0u) << "connections still open 10 s into a 1 s read timeout";
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  });
  EXPECT_SERVER_UNHARMED(report);
}

// Finding 8 of issue 12.
TEST(Hostile, AbsoluteFormAndExpectContinueOnTheRealServer) {
  target_server server;
  raw_socket a{server.public_port};
  a.send("GET http://localhost/healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  auto r = a.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200);

  for (std::string const head :
       {"POST /nowhere HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n",
        "POST /internal/v1/districts/X/report HTTP/1.1\r\nHost: h\r\nContent-Length: 9999999\r\n"
        "Expect: 100-continue\r\n\r\n"}) {
    raw_socket e{server.public_port};
    auto const t0 = std::chrono::steady_clock::now();
    e.send(head);
    auto answer = e.read(5s);
    ASSERT_TRUE(answer) << head;
    EXPECT_TRUE(answer->result_int() == 404 || answer->result_int() == 413) << answer->result_int();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s) << "the answer waited for the read timeout";
  }
}

}  // namespace
}  // namespace overworld::hostile
