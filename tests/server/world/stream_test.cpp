// /api/v2/invasions/stream: events from snapshot diffs, heartbeats, Last-Event-ID resume.
#include "http/server/support.hpp"
#include "support.hpp"

#include <overworld/server/world/world_service.hpp>

#include <gtest/gtest.h>

#include <regex>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using http::testing::running_server;

invasion make(std::string cog, std::int64_t defeated, std::int64_t total, std::int64_t started) {
  return testing::make_invasion(std::move(cog), defeated, total, started);
}

std::vector<std::string> types(std::vector<world_event> const& events) {
  std::vector<std::string> out;
  for (auto const& e : events) out.push_back(e.type);
  return out;
}

TEST(Events, DiffFindsStartsProgressEndsAndStatus) {
  manual_clock time;
  tracker t{tracker_options{30s, 60s, 5min}, time};
  t.apply("A", district_report{1, district_status::online, make("Flunky", 0, 100, 1)});
  auto const v1 = t.collect();
  EXPECT_EQ(types(diff_views({}, v1)), (std::vector<std::string>{"district.status", "invasion.started"}));
  t.apply("A", district_report{1, district_status::online, make("Flunky", 5, 100, 1)});
  auto const v2 = t.collect();
  EXPECT_EQ(types(diff_views(v1, v2)), (std::vector<std::string>{"invasion.progress"}));
  EXPECT_TRUE(diff_views(v2, v2).empty());
  t.apply("A", district_report{1, district_status::draining, std::nullopt});
  auto const v3 = t.collect();
  EXPECT_EQ(types(diff_views(v2, v3)), (std::vector<std::string>{"district.status", "invasion.ended"}));
  time.advance(61s);
  auto const v4 = t.collect();
  EXPECT_EQ(types(diff_views(v3, v4)), (std::vector<std::string>{"district.status"}));
  EXPECT_NE(diff_views(v3, v4)[0].data.find("\"status\":\"gone\""), std::string::npos);
}

TEST(Events, RingKeepsTheNewestAndNumbersThem) {
  event_ring ring{3};
  ring.append({{0, "a", "{}"}, {0, "b", "{}"}});
  ring.append({{0, "c", "{}"}, {0, "d", "{}"}});
  EXPECT_EQ(ring.last_id(), 4u);
  auto const all = ring.since(0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.front().id, 2u);
  EXPECT_EQ(ring.since(3).size(), 1u);
  EXPECT_TRUE(ring.since(4).empty());
}

/// Reads a streamed response incrementally from a raw socket.
class stream_reader {
 public:
  explicit stream_reader(std::uint16_t port, std::string const& extra = {}) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    timeval tv{5, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string const req = "GET /api/v2/invasions/stream HTTP/1.1\r\nHost: h\r\n" + extra + "\r\n";
    boost::asio::write(socket_, boost::asio::buffer(req));
  }
  /// Waits until `needle` has arrived; returns everything read so far.
  std::string until(std::string const& needle) {
    while (data_.find(needle) == std::string::npos) {
      char buf[4096];
      boost::system::error_code ec;
      auto const n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec) break;
      data_.append(buf, n);
    }
    return data_;
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string data_;
};

TEST(Stream, LiveEventsHeartbeatsAndResume) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o;
  o.heartbeat = 200ms;
  world_service world{o, time};
  running_server server;
  world.install(*server.routes);
  server.start();

  std::string last_id;
  {
    stream_reader r{server.port()};
    std::string got = r.until("retry: 3000");
    EXPECT_NE(got.find("Content-Type: text/event-stream"), std::string::npos) << got;
    EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos);
    got = r.until(": heartbeat");  // nothing happened: a heartbeat within 200 ms

    world.districts().apply("Zapwood",
                            district_report{5, district_status::online, make("Big Wig", 1, 50, 1'699'999'990)});
    world.publish();
    got = r.until("event: invasion.started");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(got, m, std::regex{R"(id: (\d+)\nevent: invasion.started\ndata: (\{[^\n]*\}))"}))
        << got;
    last_id = m[1];
    EXPECT_NE(m[2].str().find(R"("cog":"Big Wig","department":"lawbot")"), std::string::npos);
  }
  // While the client is away the invasion progresses and ends.
  world.districts().apply("Zapwood",
                          district_report{5, district_status::online, make("Big Wig", 30, 50, 1'699'999'990)});
  world.publish();
  world.districts().apply("Zapwood", district_report{5, district_status::online, std::nullopt});
  world.publish();

  stream_reader again{server.port(), "Last-Event-ID: " + last_id + "\r\n"};
  std::string const got = again.until("event: invasion.ended");
  auto const progress = got.find("event: invasion.progress");
  ASSERT_NE(progress, std::string::npos) << got;
  EXPECT_LT(progress, got.find("event: invasion.ended"));
  EXPECT_EQ(got.find("event: invasion.started"), std::string::npos);  // already seen before the reconnect
  EXPECT_NE(got.find(R"("defeated":30)"), std::string::npos);

  stream_reader bad_resume{server.port(), "Last-Event-ID: yesterday\r\n"};
  EXPECT_NE(bad_resume.until("\r\n\r\n").find("400 Bad Request"), std::string::npos);
}

TEST(Stream, ShutdownEndsOpenStreams) {
  world_options o;
  world_service world{o};
  running_server server;
  world.install(*server.routes);
  server.start();
  stream_reader r{server.port()};
  r.until("retry: 3000");
  auto const t0 = std::chrono::steady_clock::now();
  server.srv->shutdown();
  server.srv->join();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);  // not the 3 s drain timeout
}

}  // namespace
}  // namespace overworld::world
