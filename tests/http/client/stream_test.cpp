// The client's read path with bodies of every framing, bodies streamed to a sink, what it refuses
// to send, and a stream ended from outside.
#include "harness.hpp"
#include "http/server/support.hpp"

#include <overworld/http/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>

namespace overworld::http {
namespace {

using namespace std::chrono_literals;
using testing::running_server;

using testing::harness;

std::string url(running_server const& s, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(s.port()) + std::string{path};
}

// A body whose every byte tells where it is, so a byte out of place shows.
std::string patterned(std::size_t n) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return out;
}

struct chunks final : stream_source {
  std::vector<std::string> parts;
  std::size_t next_part = 0;
  explicit chunks(std::vector<std::string> p) : parts(std::move(p)) {}
  boost::asio::awaitable<std::optional<std::string>> next() override {
    if (next_part == parts.size()) co_return std::nullopt;
    co_return parts[next_part++];
  }
  void stop() override {}
};

TEST(ClientReadPath, BodiesOfEverySizeArriveWholeWithPadding) {
  running_server s;
  for (std::size_t n : {0UL, 1UL, 700UL, 17'503UL, 65'536UL, 200'000UL, 3'000'000UL}) {
    std::string body = patterned(n);
    s.routes->get("/n/" + std::to_string(n),
                  sync_handler{[body](request const&) { return response::text(200, body); }});
  }
  s.start();
  client_options o;
  o.body_padding = 64;
  harness h{o};
  for (std::size_t n : {0UL, 1UL, 700UL, 17'503UL, 65'536UL, 200'000UL, 3'000'000UL, 17'503UL}) {
    auto r = h.get(url(s, "/n/" + std::to_string(n)));
    ASSERT_TRUE(r) << n << ": " << r.error().message();
    EXPECT_EQ(r->body.size(), n);
    EXPECT_TRUE(r->body == patterned(n)) << n;
    if (n > 0) {
      EXPECT_GE(r->body.capacity(), n + 64) << n;  // parsers may read past the end in place
    }
  }
  EXPECT_EQ(h.c.statistics().connections_opened, 1u);
}

TEST(ClientReadPath, ChunkedBodiesAndTheirLimit) {
  running_server s;
  s.routes->get("/chunked", sync_handler{[](request const&) {
                  response r{200};
                  r.stream = std::make_shared<chunks>(std::vector<std::string>{patterned(30'000), "tail"});
                  return r;
                }});
  s.start();
  harness h;
  auto r = h.get(url(s, "/chunked"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->body, patterned(30'000) + "tail");
  client_options small;
  small.max_response_size = 10'000;
  harness limited{small};
  EXPECT_EQ(limited.get(url(s, "/chunked")).error(), errc::too_large);
}

TEST(ClientStream, KnownLengthAndChunkedBodiesReachTheSinkInOrder) {
  running_server s;
  std::string const big = patterned(1'000'000);
  s.routes->get("/file", sync_handler{[big](request const&) { return response::text(200, big); }});
  s.routes->get("/chunked", sync_handler{[](request const&) {
                  response r{200};
                  r.stream = std::make_shared<chunks>(std::vector<std::string>{"one;", "two;", "three;"});
                  return r;
                }});
  s.start();
  harness h;
  for (auto [path, expected] : {std::pair{"/file", big}, std::pair{"/chunked", std::string{"one;two;three;"}}}) {
    std::string got;
    unsigned status_seen = 0;
    body_sink sink;
    sink.on_head = [&](client_response const& head) {
      status_seen = head.status;
      EXPECT_TRUE(got.empty());  // the head comes first
      return error_code{};
    };
    sink.on_data = [&](std::string_view piece) {
      got += piece;
      return error_code{};
    };
    auto r = h.stream(url(s, path), sink);
    ASSERT_TRUE(r) << path << ": " << r.error().message();
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(status_seen, 200u);
    EXPECT_TRUE(r->body.empty());
    EXPECT_TRUE(got == expected) << path;
  }
  // Both were read to the end: one connection served them.
  EXPECT_EQ(h.c.statistics().connections_opened, 1u);
}

TEST(ClientStream, ASinkThatStopsEndsTheRequestAndDropsTheConnection) {
  running_server s;
  s.routes->get("/file", sync_handler{[](request const&) { return response::text(200, patterned(500'000)); }});
  s.start();
  harness h;
  std::size_t received = 0;
  body_sink sink;
  sink.on_data = [&](std::string_view piece) -> error_code {
    received += piece.size();
    return errc::io_error;  // a full disk, say
  };
  auto r = h.stream(url(s, "/file"), sink);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::io_error);
  EXPECT_GT(received, 0u);
  EXPECT_LT(received, 500'000u);
  body_sink refuse_head;
  refuse_head.on_head = [](client_response const& head) -> error_code {
    return head.status == 200 ? error_code{errc::unsupported} : error_code{};
  };
  EXPECT_EQ(h.stream(url(s, "/file"), refuse_head).error(), errc::unsupported);
  // Neither connection went back to the pool with half a body in it.
  auto again = h.get(url(s, "/file"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body.size(), 500'000u);
  EXPECT_EQ(h.c.statistics().connections_reused, 0u);
}

TEST(ClientRequest, HeadersThatWouldSplitTheRequestAreRefusedUnsent) {
  running_server s;
  std::atomic<int> seen{0};
  s.routes->get("/x", sync_handler{[&](request const&) {
                  ++seen;
                  return response::text(200, "x");
                }});
  s.routes->get("/echo", sync_handler{[](request const& req) {
                  return response::text(200, std::string{req.header("User-Agent").value_or("-")} + "|" +
                                                 std::string{req.header("X-Twice").value_or("-")});
                }});
  s.start();
  harness h;
  for (auto const& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"X-Tag", "a\r\nX-Injected: 1"}, {"X-Tag", std::string{"a\0b", 3}}, {"Bad Name", "v"}, {"", "v"}}) {
    client_request req{verb::get, url(s, "/x")};
    req.headers.emplace_back(name, value);
    EXPECT_EQ(h.run(h.c.request(std::move(req))).error(), errc::invalid_argument) << name;
  }
  EXPECT_EQ(h.get(url(s, "/x y")).error(), errc::invalid_argument);
  EXPECT_EQ(seen.load(), 0);
  // A header of the caller's replaces the client's own, the last of a name wins.
  client_request req{verb::get, url(s, "/echo")};
  req.headers = {{"X-Twice", "first"}, {"user-agent", "mine/1"}, {"X-Twice", "second"}};
  auto r = h.run(h.c.request(std::move(req)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "mine/1|second");
}

struct endless final : stream_source {
  boost::asio::awaitable<std::optional<std::string>> next() override {
    boost::asio::steady_timer t{co_await boost::asio::this_coro::executor, 20ms};
    co_await t.async_wait(boost::asio::use_awaitable);
    co_return std::string{"data: tick\n\n"};
  }
  void stop() override {}
};

TEST(ClientStream, AnAbortEndsAStreamThatNeverEnds) {
  running_server s;
  s.routes->get("/events", sync_handler{[](request const&) {
                  response r{200};
                  r.content_type = "text/event-stream";
                  r.stream = std::make_shared<endless>();
                  return r;
                }});
  s.start();
  harness h;
  auto handle = std::make_shared<abort_handle>();
  int pieces = 0;
  body_sink sink;
  sink.on_data = [&](std::string_view) {
    if (++pieces == 3) handle->abort();
    return error_code{};
  };
  client_request req{verb::get, url(s, "/events")};
  req.total_timeout = std::chrono::milliseconds::max();
  req.abort = handle;
  auto r = h.run(h.c.stream(std::move(req), sink));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), boost::asio::error::operation_aborted);
  EXPECT_EQ(pieces, 3);
  // Aborted before it starts: nothing is sent.
  client_request late{verb::get, url(s, "/events")};
  late.abort = handle;
  EXPECT_EQ(h.run(h.c.stream(std::move(late), sink)).error(), boost::asio::error::operation_aborted);
  EXPECT_EQ(pieces, 3);
}

}  // namespace
}  // namespace overworld::http
