// The client runtime every game client stands on: one io_context on a thread of its own, where
// the client's work runs, and the two bridges to it — run_on() for coroutines awaited from any
// executor (the work hops to the client's thread and the result comes back to the caller's
// executor) and wait() for blocking code (scripts, a main without coroutines).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>
#include <stdexcept>
#include <utility>

namespace overworld::sdk {

/// One io_context thread owned by a client. Calls run there; wait() blocks another thread on one.
class io_thread {
 public:
  io_thread();
  ~io_thread();  ///< stops the loop; work still pending is abandoned
  io_thread(io_thread const&) = delete;
  io_thread& operator=(io_thread const&) = delete;

  boost::asio::any_io_executor executor() const;
  bool running_here() const noexcept;

  /// Runs `op` on the thread and blocks until it is done. Throws std::logic_error when called
  /// from the thread itself (it would wait for itself).
  template <class T>
  T wait(boost::asio::awaitable<T> op) {
    if (running_here()) throw std::logic_error("overworld: wait() called on the client's own thread");
    return boost::asio::co_spawn(executor(), std::move(op), boost::asio::use_future).get();
  }

  /// Stops the loop and joins the thread (the destructor does it too), then destroys the work
  /// still pending while what it refers to (the client's parts) still exists.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Runs `op` on `io`'s thread and comes back to the caller's executor; awaited on that thread
/// already, it runs in place (no hop).
template <class T>
boost::asio::awaitable<T> run_on(io_thread* io, boost::asio::awaitable<T> op) {
  if (io->running_here()) co_return co_await std::move(op);
  auto hop = boost::asio::co_spawn(io->executor(), std::move(op), boost::asio::use_awaitable);
  co_return co_await std::move(hop);
}

}  // namespace overworld::sdk
