// Blocking work (password hashing, SQLite statements) moved off an io thread and its result handed
// back to the caller's own executor: the building block of the awaitable `run` of the hashing
// pools and of the SQLite thread.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>

namespace overworld {

namespace offload_detail {

/// How many hand-backs to one execution context are still under way.
struct gate_state {
  std::mutex mutex;
  std::condition_variable idle;
  std::size_t busy = 0;
};

/// A service of the caller's execution context that holds the context's destruction until every
/// hand-back to it has finished touching it. Services are shut down before the scheduler, newest
/// first, so a result posted while the gate waits is destroyed with the context's other work.
class gate : public boost::asio::execution_context::service {
 public:
  static inline boost::asio::execution_context::id id;
  explicit gate(boost::asio::execution_context& context) : service(context) {}
  std::shared_ptr<gate_state> const& state() const noexcept { return state_; }

 private:
  void shutdown() override {
    std::unique_lock lock{state_->mutex};
    state_->idle.wait(lock, [this] { return state_->busy == 0; });
  }
  std::shared_ptr<gate_state> state_ = std::make_shared<gate_state>();
};

/// One hand-back under way; the last thing a job gives up, whether it ran or was dropped unrun.
class ticket {
 public:
  explicit ticket(std::shared_ptr<gate_state> state) : state_(std::move(state)) {
    std::lock_guard lock{state_->mutex};
    ++state_->busy;
  }
  ticket(ticket&& other) noexcept = default;
  ticket& operator=(ticket&&) = delete;
  ~ticket() {
    if (!state_) return;
    std::lock_guard lock{state_->mutex};
    --state_->busy;
    state_->idle.notify_all();  // under the lock: the state outlives the waiter's wake-up anyway
  }

 private:
  std::shared_ptr<gate_state> state_;
};

/// Declared in destruction order, last first: the ticket goes after everything that refers to the
/// caller's context.
template <class Home, class Handler, class Job>
struct hand_back {
  ticket pass;
  Home home;
  Handler handler;
  Job job;
};

}  // namespace offload_detail

/// Runs `job` on `pool` (any executor of other threads) and completes `handler` on the handler's
/// own executor with the elements of the tuple that `job` returns. `job` must not throw.
///
/// The caller's executor counts as busy from the call until the result has been posted back, so an
/// io_context whose loop has nothing else to do does not return in between; its work count is
/// released on the pool thread after that post. A context stopped by hand and destroyed while a job
/// is under way waits in its destructor until the job's hand-back is done (the job itself still
/// runs to its end), so no pool thread ever touches a destroyed context.
template <class PoolExecutor, class Handler, class Job>
void offload(PoolExecutor const& pool, Handler handler, Job job) {
  namespace asio = boost::asio;
  auto home = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
  asio::execution_context& context = asio::query(home, asio::execution::context);
  offload_detail::ticket pass{asio::use_service<offload_detail::gate>(context).state()};
  using state = offload_detail::hand_back<decltype(home), Handler, Job>;
  auto s = std::make_unique<state>(state{std::move(pass), std::move(home), std::move(handler), std::move(job)});
  asio::post(pool, [s = std::move(s)]() mutable {
    auto results = s->job();
    auto target = asio::prefer(s->home, asio::execution::outstanding_work.untracked);
    asio::post(std::move(target), [handler = std::move(s->handler), results = std::move(results)]() mutable {
      std::apply(std::move(handler), std::move(results));
    });
    s.reset();  // the work count, then the ticket: the caller's loop may return and its context go
  });
}

}  // namespace overworld
