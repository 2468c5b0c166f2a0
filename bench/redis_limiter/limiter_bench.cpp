// The rate limiter's cost per request, in process and shared through Redis, side by side in one
// run: the latency of one check (p50, p99, one caller at a time) and the checks per second with
// 64 callers at once on one connection (pipelined). run.sh starts the Redis it uses.
// Usage: bench_redis_limiter REDIS_URL [CHECKS]
#include <overworld/server/common/limiter.hpp>
#include <overworld/store/redis.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace overworld;
using steady = std::chrono::steady_clock;

namespace {

/// Checks `count` keys one after another; each check's latency in microseconds.
asio::awaitable<std::vector<double>> one_at_a_time(std::shared_ptr<server::limiter> l, int count) {
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    std::string key = "198.51.100." + std::to_string(i % 5000);
    auto const start = steady::now();
    auto d = co_await l->check(std::move(key));
    micros.push_back(std::chrono::duration<double, std::micro>(steady::now() - start).count());
    if (!d) co_return std::vector<double>{};
  }
  co_return micros;
}

asio::awaitable<int> caller(std::shared_ptr<server::limiter> l, int first, int count) {
  int done = 0;
  for (int i = 0; i < count; ++i) {
    std::string key = "203.0.113." + std::to_string((first + i) % 5000);
    if (co_await l->check(std::move(key))) ++done;
  }
  co_return done;
}

void report(char const* name, std::shared_ptr<server::limiter> l, int count) {
  asio::io_context callers;
  auto f = asio::co_spawn(callers, one_at_a_time(l, count), asio::use_future);
  callers.run();
  auto micros = f.get();
  if (micros.empty()) {
    std::printf("%s: a check failed\n", name);
    return;
  }
  std::sort(micros.begin(), micros.end());
  auto const at = [&](double q) {
    return micros[static_cast<std::size_t>(q * static_cast<double>(micros.size() - 1))];
  };

  asio::io_context many;
  std::vector<std::future<int>> done;
  auto const start = steady::now();
  for (int c = 0; c < 64; ++c) done.push_back(asio::co_spawn(many, caller(l, c * 1000, count / 64), asio::use_future));
  many.run();
  int total = 0;
  for (auto& d : done) total += d.get();
  double const seconds = std::chrono::duration<double>(steady::now() - start).count();
  std::printf("%-8s one at a time: p50 %7.1f us  p99 %7.1f us | 64 callers: %9.0f checks/s\n", name, at(0.5), at(0.99),
              total / seconds);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_redis_limiter REDIS_URL [CHECKS]\n");
    return 2;
  }
  int const count = argc > 2 ? std::max(640, std::atoi(argv[2])) : 20'000;
  policy::rate_limit limit{1'000'000, std::chrono::seconds{60}};  // never refuses: every check counts a hit
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::thread redis_thread{[&] { io.run(); }};
  std::string why;
  auto client = store::redis_client::create(io.get_executor(), store::redis_options{argv[1]}, why);
  if (!client) {
    std::fprintf(stderr, "%s\n", why.c_str());
    return 2;
  }
  (*client)->start();
  for (int i = 0; i < 500 && !(*client)->connected(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{10});
  report("local", server::make_limiter(nullptr, "bench", limit), count);
  report("redis", server::make_limiter(*client, "bench", limit), count);
  (*client)->stop();
  guard.reset();
  redis_thread.join();
  return 0;
}
