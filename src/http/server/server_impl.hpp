// Internals of http::server shared by the listener (server.cpp) and the connection (session.cpp).
#pragma once

#include <overworld/http/server.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

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
  boost::beast::tcp_stream* stream = nullptr;
  bool idle = true;  // waiting for the first byte of a request
  std::shared_ptr<stream_source> streaming;
};

struct worker {
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
  std::list<connection> connections;  // stable addresses; touched on this worker's thread only
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
};

struct server_state {
  server_options options;
  std::shared_ptr<router const> routes;
  metrics_registry* metrics = nullptr;
  std::size_t metrics_id = 0;
  trusted_proxies proxies;
  route_limits max_limits;

  std::vector<std::unique_ptr<worker>> workers;
  std::vector<listen_address> bound;
  std::atomic<bool> draining{false};
  std::atomic<bool> started{false};
  std::atomic<std::int64_t> open{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> served{0};
  std::atomic<std::size_t> next_worker{0};

  std::unordered_map<route const*, std::unique_ptr<route_stats>> stats;
  route_stats unmatched;

  route_stats& stats_for(route const* r) noexcept {
    if (!r) return unmatched;
    auto it = stats.find(r);
    return it == stats.end() ? unmatched : *it->second;
  }
  void render_metrics(std::string& out) const;
};

/// Serves one connection until it closes. Runs on the socket's worker.
asio::awaitable<void> run_session(server_state* state, worker* w, tcp::socket socket);

}  // namespace overworld::http::detail
