// Single-flight: concurrent identical requests share one call. The first caller for a key runs
// the work; callers arriving while it is in flight wait for its outcome instead of sending the same
// request again (a burst of `player("#2PP")` costs one request of the key's quota). Callers may
// run on different executors and threads: each waiter is woken on its own executor.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>  // std::erase

namespace overworld::sdk {

/// T is what the shared work produces (copied to every caller, so make it cheap to copy: a
/// shared_ptr or a result holding one). The single_flight must outlive every run() on it.
template <class T>
class single_flight {
 public:
  struct stats {
    std::uint64_t started = 0;  ///< calls that ran the work
    std::uint64_t joined = 0;   ///< calls that waited for another call's outcome
  };

  /// Runs `make()` (a callable returning awaitable<T>) unless a call with the same key is in
  /// flight, in which case it waits for that call and returns a copy of its outcome. An exception
  /// from the work reaches every caller. Once the work is done the key is free again: the next
  /// call runs the work anew (caching results is the cache's job, not this one's).
  /// With g++ 12, create the awaitable in a statement of its own and co_await it after
  /// (`auto op = flights.run(key, make); co_await std::move(op);`): g++ 12 destroys a temporary
  /// callable written inside a co_await expression twice.
  template <class Make>
  boost::asio::awaitable<T> run(std::string key, Make make) {
    auto executor = co_await boost::asio::this_coro::executor;
    std::shared_ptr<flight> shared;
    std::shared_ptr<signal> wake;
    {
      std::lock_guard lock{mutex_};
      if (auto it = flights_.find(key); it != flights_.end()) {
        shared = it->second;
        wake = std::make_shared<signal>(executor, 1);
        shared->waiters.push_back(wake);
        ++stats_.joined;
      } else {
        shared = std::make_shared<flight>();
        flights_.emplace(key, shared);
        ++stats_.started;
      }
    }

    if (wake) {
      // The signal has room for one message, so a completion that happens before this wait
      // begins is not lost.
      leaving farewell{*this, shared, wake};
      auto received = co_await wake->async_receive(boost::asio::as_tuple(boost::asio::use_awaitable));
      auto ec = std::get<0>(received);
      std::lock_guard lock{mutex_};
      if (!shared->done) throw boost::system::system_error(ec ? ec : boost::asio::error::operation_aborted);
      if (shared->failure) std::rethrow_exception(shared->failure);
      co_return *shared->value;
    }

    landing guard{*this, std::move(key), shared};
    try {
      T value = co_await make();
      guard.finish(std::move(value), nullptr);
    } catch (...) {
      guard.finish(std::nullopt, std::current_exception());
    }
    if (shared->failure) std::rethrow_exception(shared->failure);
    co_return *shared->value;
  }

  /// Keys with work in flight now.
  std::size_t in_flight() const {
    std::lock_guard lock{mutex_};
    return flights_.size();
  }

  stats statistics() const {
    std::lock_guard lock{mutex_};
    return stats_;
  }

 private:
  using signal = boost::asio::experimental::concurrent_channel<void(boost::system::error_code)>;

  struct flight {
    bool done = false;
    std::optional<T> value;
    std::exception_ptr failure;
    std::vector<std::shared_ptr<signal>> waiters;
  };

  // A waiter that goes away (cancelled, or its io_context destroyed) takes its signal out of the
  // flight, so the signal dies with the waiter's context and not later on the leader's thread.
  class leaving {
   public:
    leaving(single_flight& owner, std::shared_ptr<flight> f, std::shared_ptr<signal> s)
        : owner_(owner), flight_(std::move(f)), signal_(std::move(s)) {}
    leaving(leaving const&) = delete;
    leaving& operator=(leaving const&) = delete;
    ~leaving() {
      std::lock_guard lock{owner_.mutex_};
      std::erase(flight_->waiters, signal_);
    }

   private:
    single_flight& owner_;
    std::shared_ptr<flight> flight_;
    std::shared_ptr<signal> signal_;
  };

  // Publishes the outcome and wakes the waiters; if the leading coroutine is destroyed before the
  // work finished (its io_context stopped), the waiters get operation_aborted instead of hanging.
  class landing {
   public:
    landing(single_flight& owner, std::string key, std::shared_ptr<flight> f)
        : owner_(owner), key_(std::move(key)), flight_(std::move(f)) {}
    landing(landing const&) = delete;
    landing& operator=(landing const&) = delete;
    ~landing() {
      if (!finished_) {
        finish(std::nullopt,
               std::make_exception_ptr(boost::system::system_error(boost::asio::error::operation_aborted)));
      }
    }

    void finish(std::optional<T> value, std::exception_ptr const& failure) {
      finished_ = true;
      std::vector<std::shared_ptr<signal>> waiters;
      {
        std::lock_guard lock{owner_.mutex_};
        if (auto it = owner_.flights_.find(key_); it != owner_.flights_.end() && it->second == flight_) {
          owner_.flights_.erase(it);
        }
        flight_->value = std::move(value);
        flight_->failure = failure;
        flight_->done = true;
        waiters.swap(flight_->waiters);
      }
      for (auto& w : waiters) w->try_send(boost::system::error_code{});
    }

   private:
    single_flight& owner_;
    std::string key_;
    std::shared_ptr<flight> flight_;
    bool finished_ = false;
  };

  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<flight>> flights_;
  stats stats_;
};

}  // namespace overworld::sdk
