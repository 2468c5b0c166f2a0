// Blocking work (password hashing, SQLite statements) moved off an io thread and its result handed
// back to the caller's own executor: the building block of the awaitable `run` of the hashing
// pools and of the SQLite thread.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <tuple>
#include <utility>

namespace overworld {

/// Runs `job` on `pool` (any executor of other threads) and completes `handler` on the handler's
/// own executor with the elements of the tuple that `job` returns. `job` must not throw.
///
/// The caller's executor counts as busy from the call until the result has been posted back, so an
/// io_context whose loop has nothing else to do does not return in between. Its work count is
/// released on the pool thread only after that post has finished: a caller whose loop returns once
/// the handler has run (and who then destroys its io_context) never races with the pool thread
/// still signalling that loop. An io_context stopped by hand must outlive the pool's threads.
template <class PoolExecutor, class Handler, class Job>
void offload(PoolExecutor const& pool, Handler handler, Job job) {
  auto home = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                  boost::asio::execution::outstanding_work.tracked);
  boost::asio::post(pool, [handler = std::move(handler), job = std::move(job), home = std::move(home)]() mutable {
    auto results = job();
    auto target = boost::asio::prefer(home, boost::asio::execution::outstanding_work.untracked);
    boost::asio::post(std::move(target), [handler = std::move(handler), results = std::move(results)]() mutable {
      std::apply(std::move(handler), std::move(results));
    });
    auto release = std::move(home);  // the caller's loop may return from here on
  });
}

}  // namespace overworld
