// The server's end of an in-memory connection (beast::test::stream) with the calls the session
// makes on beast::tcp_stream: deadlines, cancel, shutdown, close. Sessions run over it in unit
// tests and in the fuzzer exactly as over a socket, without one.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <utility>

namespace overworld::http::detail {

class memory_stream {
 public:
  using executor_type = boost::beast::test::stream::executor_type;

  explicit memory_stream(boost::beast::test::stream s) : state_(std::make_shared<state>(std::move(s))) {}

  executor_type get_executor() noexcept { return state_->stream.get_executor(); }

  template <class Buffers, class Handler>
  auto async_read_some(Buffers const& buffers, Handler&& handler) {
    return state_->stream.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  auto async_write_some(Buffers const& buffers, Handler&& handler) {
    return state_->stream.async_write_some(buffers, std::forward<Handler>(handler));
  }

  /// Like beast::tcp_stream: when the time is up, the pending read ends (operation_aborted) and
  /// the client sees the connection close. An expiry that was already on its way when the
  /// deadline moved, or when the stream went away, does nothing.
  void expires_after(std::chrono::steady_clock::duration d) {
    auto const generation = ++state_->generation;
    state_->timer.expires_after(d);
    state_->timer.async_wait([weak = std::weak_ptr<state>{state_}, generation](boost::system::error_code ec) {
      auto s = weak.lock();
      if (!ec && s && s->generation == generation) s->stream.close();
    });
  }
  void expires_never() {
    ++state_->generation;
    state_->timer.cancel();
  }

  /// Ends a pending read (the drain closes idle connections so).
  void cancel() { state_->stream.close(); }
  void shutdown_send() { state_->stream.close(); }
  void close() {
    expires_never();
    state_->stream.close();
  }

 private:
  struct state {
    explicit state(boost::beast::test::stream s) : stream(std::move(s)), timer(stream.get_executor()) {}
    boost::beast::test::stream stream;
    boost::asio::steady_timer timer;
    std::uint64_t generation = 0;
  };
  std::shared_ptr<state> state_;  // shared with the deadline's handler, which may outlive the stream
};

}  // namespace overworld::http::detail
