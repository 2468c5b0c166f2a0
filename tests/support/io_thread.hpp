// An io_context on a thread of its own for tests of asynchronous parts, a way to wait for a
// coroutine's result from the test's thread, and a bounded wait for a condition.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace overworld::testing {

class io_thread {
 public:
  io_thread() : thread_([this] { io_.run(); }) {}
  ~io_thread() {
    guard_.reset();
    thread_.join();
  }
  io_thread(io_thread const&) = delete;
  io_thread& operator=(io_thread const&) = delete;

  boost::asio::any_io_executor executor() { return io_.get_executor(); }
  /// Runs `a` on the thread and waits for its result (20 s at the most).
  template <class T>
  T wait(boost::asio::awaitable<T> a) {
    auto f = boost::asio::co_spawn(io_, std::move(a), boost::asio::use_future);
    if (f.wait_for(std::chrono::seconds{20}) != std::future_status::ready)
      throw std::runtime_error("no answer within 20 s");
    return f.get();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_ = boost::asio::make_work_guard(io_);
  std::thread thread_;
};

/// Waits until `pred` holds, 10 s at the most; whether it did.
template <class Pred>
bool eventually(Pred pred) {
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{2});
  }
  return true;
}

}  // namespace overworld::testing
