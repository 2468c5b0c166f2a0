// The thread(s) a store's blocking calls run on (SQLite statements, libpq round trips), so that io
// threads never wait on a disk or a database server: awaitable from a coroutine (resuming on the
// caller's own executor), fire-and-forget for writes, or blocking for start-up and admin commands.
// Work queued on a one-thread worker runs in the order it was queued.
#pragma once

#include <overworld/core/offload.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <tuple>

namespace overworld::store {

class worker {
 public:
  explicit worker(std::size_t threads = 1) : pool_(threads) {}
  /// Waits for the work already queued.
  ~worker() { join(); }
  worker(worker const&) = delete;
  worker& operator=(worker const&) = delete;

  /// Runs `work` on the worker and resumes the caller on its own executor. An exception thrown by
  /// `work` is rethrown in the caller.
  template <class T>
  boost::asio::awaitable<T> run(std::function<T()> work) {
    // Not `co_await post(pool, use_awaitable)`: that runs an empty function on the pool and resumes
    // the coroutine on its own executor, so the work would run on the io thread after all.
    auto out = co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                    void(std::exception_ptr, std::optional<T>)>(
        initiate_run<T>{this}, boost::asio::use_awaitable, std::move(work));
    co_return std::move(*out);
  }
  /// Queues `work` without waiting; `work` must not throw.
  void post(std::function<void()> work);
  /// Runs `work` on the worker and waits for it (start-up, admin commands, tests, shutdown).
  /// `work` must not throw: report a failure through what it captures.
  void run_blocking(std::function<void()> work);
  /// Waits for the work already queued; the worker takes no more work after it.
  void join() { pool_.join(); }

 private:
  template <class T>
  struct initiate_run {
    worker* self;
    template <class Handler>
    void operator()(Handler handler, std::function<T()> work) const {
      offload(self->pool_.get_executor(), std::move(handler), [work = std::move(work)] {
        std::optional<T> out;
        std::exception_ptr error;
        try {
          out.emplace(work());
        } catch (...) {
          error = std::current_exception();
        }
        return std::make_tuple(error, std::move(out));
      });
    }
  };

  boost::asio::thread_pool pool_;
};

}  // namespace overworld::store
