// World events for /api/v2/invasions/stream: found by diffing consecutive tracker views, kept in
// a bounded ring so a client that reconnects with Last-Event-ID gets what it missed.
#pragma once

#include <overworld/http/message.hpp>
#include <overworld/server/world/tracker.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace overworld::world {

struct world_event {
  std::uint64_t id = 0;
  std::string type;  ///< invasion.started, invasion.progress, invasion.ended, district.status
  std::string data;  ///< JSON
};

/// The events between two views of the world (previous → current).
std::vector<world_event> diff_views(std::vector<district_view> const& previous,
                                    std::vector<district_view> const& current);

class event_ring {
 public:
  explicit event_ring(std::size_t capacity = 4096) : capacity_(capacity) {}

  /// Numbers the events and appends them, dropping the oldest beyond capacity.
  void append(std::vector<world_event> events);
  /// Events with an id greater than `after` (all retained ones if `after` is older than them).
  std::vector<world_event> since(std::uint64_t after) const;
  std::uint64_t last_id() const;

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<world_event> events_;
  std::uint64_t next_id_ = 1;
};

/// One Server-Sent Events subscriber: polls the ring, sends heartbeats, stops on request.
std::shared_ptr<http::stream_source> make_event_stream(std::shared_ptr<event_ring const> ring, std::uint64_t after,
                                                       std::chrono::milliseconds heartbeat,
                                                       std::chrono::milliseconds poll = std::chrono::milliseconds{100});

}  // namespace overworld::world
