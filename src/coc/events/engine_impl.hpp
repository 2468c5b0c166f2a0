// The engine's inside: its resources and their schedule, the handlers and their queues, the
// counters. The poll loop and the polls run on the client's thread; handlers on a thread of
// their own (handler_threads); watch_* and on() may come from any thread (under `mutex`).
#pragma once

#include "snapshots.hpp"

#include <overworld/coc/events.hpp>
#include <overworld/sdk/runtime.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <variant>

namespace overworld::coc::events::detail {

enum class resource_type { clan, player, war, group, raids, api };

struct resource {
  resource_type type = resource_type::clan;
  std::string tag;  // normalised; empty for the API
  std::uint64_t id = 0;
  bool removed = false;
  bool seen = false;  // a first answer was recorded
  std::variant<std::monostate, clan_facts, player_facts, war_facts, group_facts, raid_facts, std::string> facts;
  war_memory memory;
  clock::steady_time due{};
  unsigned failures = 0;
};
using resource_ptr = std::shared_ptr<resource>;

struct scheduled {
  clock::steady_time due;
  std::uint64_t id;
  resource_ptr what;
  bool operator>(scheduled const& o) const noexcept { return due != o.due ? due > o.due : id > o.id; }
};

struct handler_slot {
  explicit handler_slot(boost::asio::thread_pool& pool) : strand(pool.get_executor()) {}
  boost::asio::strand<boost::asio::thread_pool::executor_type> strand;  // its events in order, one at a time
  std::vector<bool> wants;                                              // by kind
  callback call;
  coroutine co;
  std::size_t limit = 0;
  std::mutex mutex;
  std::deque<event> queue;
  bool draining = false;
};
using handler_ptr = std::shared_ptr<handler_slot>;

/// What a poll brought back: the resource's new facts (or an error), and its answer's max-age.
struct poll_outcome {
  std::optional<sdk::error> failure;
  std::chrono::seconds max_age{0};
  bool from_wire = false;  // an answer the API sent now (not the cache): proof it is up
};

struct engine_state : std::enable_shared_from_this<engine_state> {
  engine_state(coc::client& c, engine_options o);

  coc::client& client;
  coc::api api;
  engine_options options;
  clock const& time;
  boost::asio::thread_pool handler_pool;
  boost::asio::steady_timer timer;  // on the client's thread

  std::mutex mutex;  // resources, schedule, handlers
  std::map<std::pair<resource_type, std::string>, resource_ptr> resources;
  std::priority_queue<scheduled, std::vector<scheduled>, std::greater<>> schedule;
  std::vector<handler_ptr> handlers;
  error_callback on_error;
  std::uint64_t next_id = 0;

  // Client thread only.
  bool running = false;
  std::size_t in_flight = 0;
  double tokens = 0;
  clock::steady_time refilled{};
  bool maintenance = false;

  std::atomic<bool> closed{false};
  std::atomic<std::uint64_t> polls{0}, failed_polls{0}, events{0}, dropped{0}, lag_sum_ms{0}, lag_max_ms{0};
  std::atomic<std::int64_t> started_ns{-1};
  std::atomic<bool> maintenance_seen{false};

  bool add(resource_type type, std::string tag);
  /// add() with the tag checked and normalised; false for a tag that is not one.
  bool add_tagged(resource_type type, std::string_view tag);
  double rate() const;
  /// Pops and returns the resources due now, at most `limit` of them.
  std::vector<resource_ptr> take_due(std::size_t limit);
  void reschedule(resource_ptr const& r, std::chrono::milliseconds after);
  /// Queues `found` (of `r`, or of the API when null) for every handler that wants them.
  void publish(std::vector<event> found, resource const* r, clock::steady_time due);
  void report(std::string_view watched, sdk::error const& e);
  /// The API's maintenance as this poll saw it: maintenance_start/end on a change.
  void note_maintenance(poll_outcome const& o, std::vector<event>& out);
  void mark_started();
};

/// One poll of `r`: its request(s), the diff, the events published, the next poll scheduled.
boost::asio::awaitable<void> poll(std::shared_ptr<engine_state> self, resource_ptr r);
/// The poll loop of start(), until `running` is false.
boost::asio::awaitable<void> poll_loop(std::shared_ptr<engine_state> self);
/// Hands the handler's queued events to it, one at a time, on the handler thread.
boost::asio::awaitable<void> drain(handler_ptr h);

}  // namespace overworld::coc::events::detail
