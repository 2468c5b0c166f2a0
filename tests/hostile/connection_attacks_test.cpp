// Attacks on connection slots and write buffers: one address opening connections until the server
// is full, keeping them busy with a request every so often, clients that never read what they
// asked for, and a thousand Server-Sent Events subscribers.
#include "hostile/hostile.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace overworld::hostile {
namespace {

std::size_t count_of(std::string const& text, std::string const& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

/// The value of a sample in the server's /metrics, asked from 127.0.0.2.
std::uint64_t metric(target_server& server, std::string const& sample) {
  raw_socket s{server.public_port, "127.0.0.2"};
  s.send(get("/metrics"));
  auto r = s.read();
  if (!r) return 0;
  auto const& body = r->body();
  auto const at = body.find(sample + " ");
  return at == std::string::npos ? 0 : std::stoull(body.substr(at + sample.size() + 1));
}

// Finding 2 of issue 12: 10,000 idle connections from one address filled max_connections; every
// other client was reset, and nothing was logged.
TEST(Hostile, OneAddressCannotTakeEveryConnection) {
  target_server server{"[http]\nmax_connections = 400\nmax_connections_per_address = 64\n"};
  std::deque<raw_socket> held;
  std::size_t refused = 0;
  auto report = under_attack(server, [&] {
    for (int i = 0; i < 600; ++i) {
      held.emplace_back(server.public_port);
      if (!held.back().connected()) break;
    }
    // The server closes everything beyond the cap as it accepts it; 64 stay open.
    auto const t0 = std::chrono::steady_clock::now();
    std::vector<bool> closed(held.size(), false);
    while (refused < held.size() - 64 && std::chrono::steady_clock::now() - t0 < 5s) {
      for (std::size_t i = 0; i < held.size(); ++i) {
        if (!closed[i] && held[i].closed_by_server(0ms)) {
          closed[i] = true;
          ++refused;
        }
      }
      std::this_thread::sleep_for(20ms);  // the server's closes arrive meanwhile
    }
  });
  EXPECT_EQ(refused, held.size() - 64);
  EXPECT_SERVER_UNHARMED(report);
  EXPECT_EQ(metric(server, R"(overworld_http_connections_refused_total{server="http",reason="per_address"})"), refused);
  // One line for the address, however many connections it was refused within the minute.
  EXPECT_EQ(count_of(server.output(), "refused a connection from 127.0.0.1"), 1u) << server.output();
  EXPECT_NE(server.output().find("http.max_connections_per_address"), std::string::npos);
}

// The variant the idle timeout does not stop: each connection sends a request every few hundred
// milliseconds. The per-address cap bounds what one address holds, busy or not.
TEST(Hostile, BusyConnectionsOfOneAddressLeaveRoomForOthers) {
  target_server server{"[http]\nmax_connections = 200\nmax_connections_per_address = 64\nidle_timeout = \"1s\"\n"};
  auto report = under_attack(server, [&] {
    std::vector<raw_socket> busy;
    for (int i = 0; i < 150; ++i) busy.emplace_back(server.public_port);
    auto const t0 = std::chrono::steady_clock::now();
    std::size_t served = 0, refused = 0;
    while (std::chrono::steady_clock::now() - t0 < 3s) {
      served = refused = 0;
      for (auto& s : busy) {
        if (s.send(get("/healthz"), 1s) && s.read(1s)) {
          ++served;
        } else {
          ++refused;
        }
      }
      std::this_thread::sleep_for(300ms);  // the attack's request rate, under the idle timeout
    }
    EXPECT_EQ(served, 64u);
    EXPECT_EQ(refused, 150u - 64u);
  });
  EXPECT_SERVER_UNHARMED(report);
}

// Clients that ask and never read: every response waits in the socket until write_timeout. The
// client cannot tell (its window is closed); the server's open connections say it.
TEST(Hostile, NeverReadingClientsAreClosedAtTheWriteTimeout) {
  target_server server{"[http]\nwrite_timeout = \"1s\"\n"};
  std::string const open_sample = R"(overworld_http_open_connections{server="http"})";
  auto report = under_attack(server, [&] {
    std::vector<raw_socket> sinks;
    std::string pipelined;
    for (int i = 0; i < 4000; ++i) pipelined += get("/api/v2/districts");
    for (int i = 0; i < 50; ++i) {
      sinks.emplace_back(server.public_port);
      int const small = 4096;
      ::setsockopt(sinks.back().fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
      sinks.back().send_some(pipelined);  // what fits, and never a read
    }
    auto const t0 = std::chrono::steady_clock::now();
    // At most the question's own connection and a probe's are open once they are gone.
    while (metric(server, open_sample) > 2 && std::chrono::steady_clock::now() - t0 < 10s) {
      std::this_thread::sleep_for(100ms);  // the server closes them one write_timeout after they stall
    }
    EXPECT_LE(metric(server, open_sample), 2u);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 8s);
  });
  EXPECT_SERVER_UNHARMED(report);
}

TEST(Hostile, AThousandEventStreamSubscribers) {
  // The per-address cap would refuse most of them from one address: this attack is about
  // subscribers, so the cap is raised here.
  target_server server{"[http]\nmax_connections_per_address = 2000\n"};
  std::vector<raw_socket> subscribers;
  subscribers.reserve(1000);
  std::size_t streaming = 0;
  auto report = under_attack(server, [&] {
    for (int i = 0; i < 1000; ++i) {
      subscribers.emplace_back(server.public_port);
      subscribers.back().send(get("/api/v2/invasions/stream", "Accept: text/event-stream\r\n"));
    }
    for (auto& s : subscribers) streaming += s.readable(5s) ? 1 : 0;  // the head of the stream came
  });
  EXPECT_EQ(streaming, 1000u);
  EXPECT_SERVER_UNHARMED(report);
  subscribers.clear();
}

}  // namespace
}  // namespace overworld::hostile
