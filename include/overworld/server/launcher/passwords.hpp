// Passwords: argon2id through libsodium, at OWASP's settings by default (19 MiB, t=2, p=1), run
// on a bounded pool so that a flood of logins can neither exhaust memory nor starve the io threads.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/core/offload.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace overworld::launcher {

struct password_policy {
  std::size_t memory = std::size_t{19} * 1024 * 1024;  ///< bytes
  unsigned long long iterations = 2;
};

/// An argon2id hash string ($argon2id$v=19$m=19456,t=2,p=1$…).
result<std::string> hash_password(std::string_view password, password_policy const& policy);
bool verify_password(std::string_view hash, std::string_view password);
/// True when the hash was made with other settings (then it is replaced at the next login).
bool needs_rehash(std::string_view hash, password_policy const& policy);

/// A fixed number of threads for hashing, and a limit on the work waiting for them.
class hashing_pool {
 public:
  hashing_pool(std::size_t threads, std::size_t queue_limit);
  ~hashing_pool();

  /// Runs `work` on the pool and resumes on the caller's executor; nullopt when the queue is full
  /// (or when `work` throws).
  template <class T>
  boost::asio::awaitable<std::optional<T>> run(std::function<T()> work) {
    if (waiting_.fetch_add(1) >= limit_) {
      waiting_.fetch_sub(1);
      co_return std::nullopt;
    }
    // Not `co_await post(pool, use_awaitable)`: that resumes the coroutine on its own executor,
    // so the work would run on the io thread after all.
    co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(std::optional<T>)>(
        initiate_run<T>{this}, boost::asio::use_awaitable, std::move(work));
  }
  /// Work queued or running.
  std::size_t waiting() const noexcept { return waiting_.load(); }
  /// True when run() would refuse new work now.
  bool full() const noexcept { return waiting_.load() >= limit_; }
  /// Waits for the work already queued. Call it before destroying an io_context that was stopped
  /// while it still awaited this pool (a server stopped after its drain timeout).
  void join() { pool_.join(); }

 private:
  template <class T>
  struct initiate_run {
    hashing_pool* self;
    template <class Handler>
    void operator()(Handler handler, std::function<T()> work) const {
      offload(self->pool_.get_executor(), std::move(handler), [self = self, work = std::move(work)] {
        std::optional<T> out;
        try {
          out.emplace(work());
        } catch (...) {
        }
        self->waiting_.fetch_sub(1);
        return std::make_tuple(std::move(out));
      });
    }
  };

  boost::asio::thread_pool pool_;
  std::size_t limit_;
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace overworld::launcher
