#include <overworld/sdk/single_flight.hpp>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace overworld::sdk {
namespace {

namespace asio = boost::asio;
using gate = asio::experimental::concurrent_channel<void(boost::system::error_code)>;

struct shared_work {
  explicit shared_work(asio::any_io_executor ex) : release(std::move(ex), 1) {}
  gate release;  // the work finishes when the test sends on it
  std::atomic<int> calls{0};
};

// The shared work: counts itself, waits for the test to let it finish.
asio::awaitable<std::string> fetch(std::shared_ptr<shared_work> w, std::string answer, bool fail) {
  ++w->calls;
  co_await w->release.async_receive(asio::as_tuple(asio::use_awaitable));
  if (fail) throw std::runtime_error("upstream failed");
  co_return answer;
}

asio::awaitable<std::string> call(single_flight<std::string>& flights, std::string key, std::shared_ptr<shared_work> w,
                                  std::string answer, bool fail) {
  auto shared = flights.run(std::move(key), [w, answer, fail] { return fetch(w, answer, fail); });
  co_return co_await std::move(shared);
}

// Runs `then` on the context once `ready()` holds (the spawned coroutines have reached their
// first suspension), without blocking the context.
void once_ready(asio::io_context& ioc, std::function<bool()> ready, std::function<void()> then) {
  asio::post(ioc, [&ioc, ready = std::move(ready), then = std::move(then)]() mutable {
    if (ready()) return then();
    once_ready(ioc, std::move(ready), std::move(then));
  });
}

// Spin until `done()` holds (the other thread makes progress), bounded.
template <class F>
bool eventually(F done) {
  for (int i = 0; i < 5'000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
  return false;
}

TEST(SingleFlight, CoroutinesOnOneContextShareOneCall) {
  asio::io_context ioc;
  single_flight<std::string> flights;
  auto w = std::make_shared<shared_work>(ioc.get_executor());
  std::vector<std::string> results;
  for (int i = 0; i < 6; ++i) {
    asio::co_spawn(ioc, call(flights, "GET https://h/v1/players/%232PP", w, "answer " + std::to_string(i), false),
                   [&](std::exception_ptr e, std::string r) {
                     EXPECT_FALSE(e);
                     results.push_back(std::move(r));
                   });
  }
  // Once everyone has joined, let the work finish.
  once_ready(
      ioc, [&] { return flights.statistics().joined == 5; },
      [&] {
        EXPECT_EQ(flights.in_flight(), 1U);
        EXPECT_EQ(w->calls.load(), 1);
        w->release.try_send(boost::system::error_code{});
      });
  ioc.run();
  EXPECT_EQ(w->calls.load(), 1);
  ASSERT_EQ(results.size(), 6U);
  for (auto const& r : results) EXPECT_EQ(r, "answer 0");  // the first caller's work
  EXPECT_EQ(flights.in_flight(), 0U);
  EXPECT_EQ(flights.statistics().started, 1U);
}

TEST(SingleFlight, KeyIsFreeAgainAfterwardsAndKeysAreIndependent) {
  asio::io_context ioc;
  single_flight<std::string> flights;
  auto a = std::make_shared<shared_work>(ioc.get_executor());
  auto b = std::make_shared<shared_work>(ioc.get_executor());
  std::vector<std::string> results;
  auto collect = [&](std::exception_ptr e, std::string r) {
    EXPECT_FALSE(e);
    results.push_back(std::move(r));
  };
  asio::co_spawn(ioc, call(flights, "a", a, "A", false), collect);
  asio::co_spawn(ioc, call(flights, "b", b, "B", false), collect);
  once_ready(
      ioc, [&] { return a->calls == 1 && b->calls == 1; },
      [&] {
        EXPECT_EQ(flights.in_flight(), 2U);
        a->release.try_send(boost::system::error_code{});
        b->release.try_send(boost::system::error_code{});
      });
  ioc.run();
  EXPECT_EQ(results, (std::vector<std::string>{"A", "B"}));

  // A second round on the same key runs the work again.
  ioc.restart();
  asio::co_spawn(ioc, call(flights, "a", a, "A2", false), collect);
  asio::post(ioc, [&] { a->release.try_send(boost::system::error_code{}); });
  ioc.run();
  EXPECT_EQ(a->calls.load(), 2);
  EXPECT_EQ(results.back(), "A2");
  EXPECT_EQ(flights.statistics().started, 3U);
  EXPECT_EQ(flights.statistics().joined, 0U);
}

TEST(SingleFlight, FailureReachesEveryCaller) {
  asio::io_context ioc;
  single_flight<std::string> flights;
  auto w = std::make_shared<shared_work>(ioc.get_executor());
  int failures = 0;
  for (int i = 0; i < 4; ++i) {
    asio::co_spawn(ioc, call(flights, "k", w, "x", true), [&](std::exception_ptr e, std::string) {
      ASSERT_TRUE(e);
      try {
        std::rethrow_exception(e);
      } catch (std::runtime_error const& ex) {
        EXPECT_STREQ(ex.what(), "upstream failed");
        ++failures;
      }
    });
  }
  once_ready(
      ioc, [&] { return flights.statistics().joined == 3; }, [&] { w->release.try_send(boost::system::error_code{}); });
  ioc.run();
  EXPECT_EQ(failures, 4);
  EXPECT_EQ(w->calls.load(), 1);
  EXPECT_EQ(flights.in_flight(), 0U);
}

TEST(SingleFlight, WaitersOnAnotherThreadAreWokenOnTheirOwnThread) {
  asio::io_context leader_ctx;
  asio::io_context waiter_ctx;
  single_flight<std::string> flights;
  auto w = std::make_shared<shared_work>(leader_ctx.get_executor());
  auto leader_guard = asio::make_work_guard(leader_ctx);
  auto waiter_guard = asio::make_work_guard(waiter_ctx);
  std::thread leader_thread{[&] { leader_ctx.run(); }};
  std::thread waiter_thread{[&] { waiter_ctx.run(); }};

  std::atomic<int> done{0};
  std::string leader_result;
  std::vector<std::string> waiter_results;  // only touched on waiter_thread
  std::atomic<bool> wrong_thread{false};
  auto const waiter_id = waiter_thread.get_id();

  asio::co_spawn(leader_ctx, call(flights, "k", w, "from the leader", false), [&](std::exception_ptr e, std::string r) {
    EXPECT_FALSE(e);
    leader_result = std::move(r);
    ++done;
  });
  ASSERT_TRUE(eventually([&] { return flights.in_flight() == 1; }));
  for (int i = 0; i < 8; ++i) {
    asio::co_spawn(waiter_ctx, call(flights, "k", w, "from a waiter", false), [&](std::exception_ptr e, std::string r) {
      EXPECT_FALSE(e);
      if (std::this_thread::get_id() != waiter_id) wrong_thread = true;
      waiter_results.push_back(std::move(r));
      ++done;
    });
  }
  ASSERT_TRUE(eventually([&] { return flights.statistics().joined == 8; }));
  w->release.try_send(boost::system::error_code{});
  ASSERT_TRUE(eventually([&] { return done.load() == 9; }));

  leader_guard.reset();
  waiter_guard.reset();
  leader_thread.join();
  waiter_thread.join();
  EXPECT_EQ(w->calls.load(), 1);
  EXPECT_EQ(leader_result, "from the leader");
  ASSERT_EQ(waiter_results.size(), 8U);
  for (auto const& r : waiter_results) EXPECT_EQ(r, "from the leader");
  EXPECT_FALSE(wrong_thread.load());
}

TEST(SingleFlight, OneContextRunByTwoThreads) {
  asio::io_context ioc;
  single_flight<std::string> flights;
  auto w = std::make_shared<shared_work>(ioc.get_executor());
  std::atomic<int> done{0};
  std::atomic<int> matching{0};
  for (int i = 0; i < 16; ++i) {
    asio::co_spawn(ioc, call(flights, "k", w, "v" + std::to_string(i), false),
                   [&](std::exception_ptr e, std::string r) {
                     EXPECT_FALSE(e);
                     if (r.starts_with('v')) ++matching;
                     ++done;
                   });
  }
  auto guard = asio::make_work_guard(ioc);
  std::thread t1{[&] { ioc.run(); }};
  std::thread t2{[&] { ioc.run(); }};
  ASSERT_TRUE(eventually([&] { return flights.statistics().joined == 15; }));
  w->release.try_send(boost::system::error_code{});
  ASSERT_TRUE(eventually([&] { return done.load() == 16; }));
  guard.reset();
  t1.join();
  t2.join();
  EXPECT_EQ(w->calls.load(), 1);
  EXPECT_EQ(matching.load(), 16);
  EXPECT_EQ(flights.in_flight(), 0U);
}

TEST(SingleFlight, WaitersAreReleasedWhenTheLeaderIsDestroyed) {
  single_flight<std::string> flights;
  asio::io_context waiter_ctx;
  std::exception_ptr waiter_error;
  {
    asio::io_context leader_ctx;
    auto w = std::make_shared<shared_work>(leader_ctx.get_executor());
    asio::co_spawn(leader_ctx, call(flights, "k", w, "never", false), asio::detached);
    leader_ctx.poll();  // the leader is now waiting for the work
    ASSERT_EQ(flights.in_flight(), 1U);
    auto unused = std::make_shared<shared_work>(waiter_ctx.get_executor());
    asio::co_spawn(waiter_ctx, call(flights, "k", unused, "x", false),
                   [&](std::exception_ptr e, std::string) { waiter_error = e; });
    waiter_ctx.poll();
    ASSERT_EQ(flights.statistics().joined, 1U);
  }  // leader_ctx destroyed with the work unfinished
  EXPECT_EQ(flights.in_flight(), 0U);
  waiter_ctx.run();
  ASSERT_TRUE(waiter_error);
  try {
    std::rethrow_exception(waiter_error);
  } catch (boost::system::system_error const& e) {
    EXPECT_EQ(e.code(), asio::error::operation_aborted);
  }
}

TEST(SingleFlight, AWaiterThatGoesAwayDoesNotDisturbTheLeader) {
  single_flight<std::string> flights;
  asio::io_context leader_ctx;
  auto w = std::make_shared<shared_work>(leader_ctx.get_executor());
  std::string leader_result;
  asio::co_spawn(leader_ctx, call(flights, "k", w, "done", false), [&](std::exception_ptr e, std::string r) {
    EXPECT_FALSE(e);
    leader_result = std::move(r);
  });
  leader_ctx.poll();
  {
    asio::io_context waiter_ctx;
    auto unused = std::make_shared<shared_work>(waiter_ctx.get_executor());
    asio::co_spawn(waiter_ctx, call(flights, "k", unused, "x", false), asio::detached);
    waiter_ctx.poll();
    ASSERT_EQ(flights.statistics().joined, 1U);
  }  // the waiter and its context are gone
  w->release.try_send(boost::system::error_code{});
  leader_ctx.run();
  EXPECT_EQ(leader_result, "done");
  EXPECT_EQ(flights.in_flight(), 0U);
}

}  // namespace
}  // namespace overworld::sdk
