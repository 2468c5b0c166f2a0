// Test support for the events engine: a client of the in-process sandbox on the test's clock, an
// engine driven by step(), and a handler that keeps what it gets and can be waited on.
#pragma once

#include "server/sandbox/world_support.hpp"

#include <overworld/coc/events.hpp>

#include <condition_variable>
#include <mutex>

namespace overworld::coc::events::testing {

using namespace std::chrono_literals;

/// Keeps every event it is handed; wait_for blocks (boundedly) until it holds `n`.
class collector {
 public:
  void operator()(event const& e) {
    std::lock_guard lock{mutex_};
    got_.push_back(e);
    ++total_;
    changed_.notify_all();
  }
  /// Until `n` events were handed over since the start (clear() does not count).
  bool wait_for(std::size_t n, std::chrono::seconds limit = 20s) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, limit, [&] { return total_ >= n; });
  }
  std::vector<event> all() {
    std::lock_guard lock{mutex_};
    return got_;
  }
  std::vector<event> of(kind k) {
    std::vector<event> out;
    for (auto& e : all()) {
      if (e.kind == k) out.push_back(e);
    }
    return out;
  }
  void clear() {
    std::lock_guard lock{mutex_};
    got_.clear();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<event> got_;
  std::size_t total_ = 0;
};

inline client_options sandbox_client(std::uint16_t port, clock const& time, std::chrono::seconds cache_ttl) {
  client_options o;
  o.cache.max_ttl = cache_ttl;
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  o.keys = {sandbox::testing::test_key};
  o.time = &time;
  o.limiter.rate = 1000;
  o.limiter.burst = 1000;
  return o;
}

/// An engine over `server`, stepped by the test: step() polls what is due, then waits until the
/// handler has every event made so far.
struct stepped_engine {
  coc::client client;
  engine events;
  std::shared_ptr<collector> seen = std::make_shared<collector>();

  /// `cache_ttl`: the longest the client keeps an answer (errors carry a max-age of 600 s, which a
  /// world running thousands of times as fast as the clock would otherwise keep for weeks).
  explicit stepped_engine(sandbox::testing::sandbox_server& server, engine_options o = engine_options(),
                          std::chrono::seconds cache_ttl = std::chrono::hours{1})
      : client(sandbox_client(server.server.port(), server.time, cache_ttl)),
        events(client, with_clock(o, server.time)) {
    events.on({}, [seen = seen](event const& e) { (*seen)(e); });
  }
  static engine_options with_clock(engine_options o, clock const& time) {
    o.time = &time;
    return o;
  }
  /// Polls what is due and returns once the handler got all of it.
  void step() {
    events.step();
    ASSERT_TRUE(seen->wait_for(events.metrics().events)) << "events made but not handed over";
  }
};

}  // namespace overworld::coc::events::testing
