// Internals of http::server shared by the listener (server.cpp) and the connection (session.cpp).
#pragma once

#include "address_table.hpp"

#include <overworld/http/server.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace overworld::http::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

/// Requests and latency of one route (or of requests that matched none).
struct route_stats {
  std::string name;
  std::string method;
  std::array<std::atomic<std::uint64_t>, 500> by_status{};  // index: status - 100
  histogram latency;

  void record(unsigned status, double seconds) noexcept {
    if (status >= 100 && status < 600) by_status[status - 100].fetch_add(1, std::memory_order_relaxed);
    latency.observe(seconds);
  }
};

/// A connection as the drain logic sees it. Lives on its worker's thread only.
struct connection {
  void* stream = nullptr;
  void (*cancel)(void* stream) = nullptr;  // ends the stream's pending read
  bool idle = true;                        // waiting for the first byte of a request
  std::shared_ptr<stream_source> streaming;
};

struct worker {
  // Declared before the io_context: sessions still suspended when the context is destroyed
  // (after the drain timeout) leave this list as their frames are destroyed.
  std::list<connection> connections;  // stable addresses; touched on this worker's thread only
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
};

/// Why a connection was closed as soon as it was accepted (a label of the refusal metric).
enum class refusal : std::uint8_t { max_connections, per_address, draining };

struct server_state {
  server_state(server_options o, std::shared_ptr<router const> r, metrics_registry* m);
  ~server_state();
  server_state(server_state const&) = delete;
  server_state& operator=(server_state const&) = delete;

  server_options options;
  std::shared_ptr<router const> routes;
  metrics_registry* metrics = nullptr;
  std::size_t metrics_id = 0;
  trusted_proxies proxies;
  route_limits max_limits;
  /// Unparsed input a connection may hold: a request head, a chunk-size line with its extensions,
  /// a trailer. Whatever a client sends, its read buffer never grows beyond this.
  std::size_t read_buffer_limit = 0;
  address_table per_address;
  std::array<std::atomic<std::uint64_t>, 3> refused{};  // by refusal
  std::atomic<std::int64_t> last_full_line{-1};         // steady seconds of the last "at max_connections" line

  std::vector<listen_address> bound;
  std::atomic<bool> draining{false};
  std::atomic<bool> started{false};
  std::atomic<std::int64_t> open{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> served{0};
  std::atomic<std::size_t> next_worker{0};

  std::unordered_map<route const*, std::unique_ptr<route_stats>> stats;
  route_stats unmatched;

  // Last, so destroyed first: sessions still suspended at the end (after the drain timeout) are
  // destroyed with their worker's io_context and touch the members above as they go.
  std::vector<std::unique_ptr<worker>> workers;

  route_stats& stats_for(route const* r) noexcept {
    if (!r) return unmatched;
    auto it = stats.find(r);
    return it == stats.end() ? unmatched : *it->second;
  }
  void render_metrics(std::string& out) const;

  /// Whether a connection from `peer` carries other clients' connections (a trusted balancer,
  /// or any peer when the PROXY protocol is on and no proxy list says which): such a peer is not
  /// counted against the per-address cap; the client its PROXY header names is.
  bool speaks_for_others(std::string const& peer) const noexcept;
  /// Counts a refused connection in the metric and logs it (rate limited). `why` is the admission
  /// of a per-address refusal.
  void refuse(refusal reason, std::string const& peer, address_table::admission const* why = nullptr);
  /// Admits a new connection from `peer`: its place in the per-address count (empty when not
  /// counted), or nullopt when it must be closed at once (draining, max_connections, the cap).
  std::optional<address_table::slot> admit(std::string const& peer);
};

/// Stops the streams of a worker's connections and closes those waiting for a request (drain).
void close_idle(worker* w);
/// Waits up to drain_timeout for the open connections to finish, then stops the workers.
asio::awaitable<void> drain(server_state* state);

/// The text form of an address, IPv4-mapped IPv6 as IPv4.
std::string address_text(asio::ip::address a);
/// The text form of a socket's peer address; empty when it is gone.
template <class Socket>
std::string peer_address(Socket const& socket) {
  boost::system::error_code ec;
  auto const ep = socket.remote_endpoint(ec);
  return ec ? std::string{} : address_text(ep.address());
}

/// Serves one accepted connection until it closes. Runs on the socket's worker. `place` is the
/// connection's count in the per-address cap (empty for a balancer).
asio::awaitable<void> run_session(server_state* state, worker* w, tcp::socket socket, std::string peer,
                                  address_table::slot place);
class memory_stream;
/// The same over an in-memory stream (unit tests, the fuzzer): see in_memory.hpp.
asio::awaitable<void> run_session(server_state* state, worker* w, memory_stream stream, std::string peer,
                                  address_table::slot place);

}  // namespace overworld::http::detail
