// core/offload.hpp: work handed to a pool and its result handed back to the caller's executor,
// including when the caller's io_context is stopped and destroyed while the work still runs.
#include <overworld/core/offload.hpp>

#include <gtest/gtest.h>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

namespace overworld {
namespace {

TEST(Offload, RunsOnThePoolAndCompletesOnTheCaller) {
  boost::asio::thread_pool pool{1};
  boost::asio::io_context ioc;
  std::thread::id worker, completed;
  std::optional<int> got;
  offload(pool.get_executor(),
          boost::asio::bind_executor(ioc,
                                     [&](int v) {
                                       completed = std::this_thread::get_id();
                                       got = v;
                                     }),
          [&] {
            worker = std::this_thread::get_id();
            return std::make_tuple(42);
          });
  ioc.run();  // returns only once the result is back: the pending job counts as work
  EXPECT_EQ(got, 42);
  EXPECT_NE(worker, std::this_thread::get_id());
  EXPECT_EQ(completed, std::this_thread::get_id());
}

/// A service registered after the offload's gate, so shut down before it: it lets the job go only
/// once the context's destruction has begun.
class release_on_shutdown : public boost::asio::execution_context::service {
 public:
  static inline boost::asio::execution_context::id id;
  release_on_shutdown(boost::asio::execution_context& c, std::promise<void>& go) : service(c), go_(go) {}

 private:
  void shutdown() override { go_.set_value(); }
  std::promise<void>& go_;
};

TEST(Offload, AContextDestroyedWhileTheJobRunsWaitsForTheHandBack) {
  boost::asio::thread_pool pool{1};
  std::promise<void> go;
  std::atomic<bool> job_done{false};
  std::atomic<bool> handler_ran{false};
  {
    boost::asio::io_context ioc;  // never run, as a server's context after a drain that timed out
    offload(pool.get_executor(), boost::asio::bind_executor(ioc, [&](int) { handler_ran = true; }),
            [&job_done, ready = go.get_future()] {
              ready.wait();
              job_done = true;
              return std::make_tuple(1);
            });
    boost::asio::make_service<release_on_shutdown>(ioc, go);
  }  // the destructor lets the job go, then waits until its result is posted and its work released
  EXPECT_TRUE(job_done);
  EXPECT_FALSE(handler_ran);  // destroyed with the context's other pending work, never run
  pool.join();
}

}  // namespace
}  // namespace overworld
