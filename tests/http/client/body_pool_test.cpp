// Bodies handed out by client::share come back to the client when their last owner lets go, and
// the next answer that fits is read into their storage: only one that fits, only as many as the
// options allow, and safely after the client itself is gone.
#include "harness.hpp"
#include "http/server/support.hpp"

#include <overworld/http/client.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace overworld::http {
namespace {

using testing::harness;
using testing::running_server;

constexpr std::size_t padding = 64;

// A body whose bytes tell their place, so that a reused storage holding stale bytes shows.
std::string patterned(std::size_t n, char first) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>(first + (i * 7 + i / 251) % 26);
  return out;
}

struct sized_server {
  running_server s;
  std::vector<std::size_t> sizes{1'000, 55'000, 60'000, 100'000, 110'000, 120'000, 300'000};
  sized_server() {
    for (auto n : sizes) {
      auto body = patterned(n, n % 2 ? 'A' : 'a');
      s.routes->get("/n/" + std::to_string(n),
                    sync_handler{[body](request const&) { return response::text(200, body); }});
    }
    s.start();
  }
  std::string url(std::size_t n) const {
    return "http://127.0.0.1:" + std::to_string(s.port()) + "/n/" + std::to_string(n);
  }
};

std::shared_ptr<client_response const> fetch_shared(harness& h, sized_server const& s, std::size_t n) {
  auto r = h.get(s.url(n));
  EXPECT_TRUE(r) << n << ": " << r.error().message();
  if (!r) return nullptr;
  EXPECT_EQ(r->body, patterned(n, n % 2 ? 'A' : 'a')) << n;
  return h.c.share(std::move(*r));
}

TEST(ClientBodyPool, ADroppedBodyHoldsTheNextAnswerThatFits) {
  sized_server s;
  harness h;
  fetch_shared(h, s, 100'000).reset();
  auto small = fetch_shared(h, s, 1'000);  // would waste 99 KB of it: fresh storage
  ASSERT_TRUE(small);
  EXPECT_LT(small->body.capacity(), 100'000u);
  auto fits = fetch_shared(h, s, 60'000);
  ASSERT_TRUE(fits);
  EXPECT_GE(fits->body.capacity(), 100'000u + padding);
  auto next = fetch_shared(h, s, 60'000);  // the pool is empty again
  ASSERT_TRUE(next);
  EXPECT_LT(next->body.capacity(), 100'000u);
}

TEST(ClientBodyPool, TheOldestGoesWhenThePoolIsFullAndABodyBiggerThanItIsNotKept) {
  sized_server s;
  client_options o;
  o.body_pool_size = 8;
  o.body_pool_bytes = 250'000;
  harness h{o};
  {
    auto a = fetch_shared(h, s, 100'000);
    auto b = fetch_shared(h, s, 110'000);
    auto c = fetch_shared(h, s, 120'000);
    auto big = fetch_shared(h, s, 300'000);
  }  // dropped in reverse: 300 KB (too big), 120 KB, 110 KB, then 100 KB pushes 120 KB out (330 KB)
  auto r = fetch_shared(h, s, 60'000);  // 100 KB and 110 KB fit; the smaller one is taken
  ASSERT_TRUE(r);
  EXPECT_GE(r->body.capacity(), 100'000u + padding);
  EXPECT_LT(r->body.capacity(), 110'000u);
  auto t = fetch_shared(h, s, 110'000);  // only 110 KB is left, and the 120 KB one is gone
  ASSERT_TRUE(t);
  EXPECT_GE(t->body.capacity(), 110'000u + padding);
  EXPECT_LT(t->body.capacity(), 120'000u);
}

TEST(ClientBodyPool, APoolOfOneKeepsTheLastBodyAndOfNoneNothing) {
  sized_server s;
  client_options one;
  one.body_pool_size = 1;
  harness h1{one};
  {
    auto b = fetch_shared(h1, s, 110'000);
    auto a = fetch_shared(h1, s, 100'000);
  }  // 100 KB first, then 110 KB takes its place
  auto last = fetch_shared(h1, s, 100'000);
  ASSERT_TRUE(last);
  EXPECT_GE(last->body.capacity(), 110'000u + padding);
  client_options o;
  o.body_pool_size = 0;
  harness h{o};
  fetch_shared(h, s, 100'000).reset();
  auto r = fetch_shared(h, s, 60'000);
  ASSERT_TRUE(r);
  EXPECT_LT(r->body.capacity(), 100'000u);
}

TEST(ClientBodyPool, AnAnswerMayOutliveItsClientAndEndOnAnotherThread) {
  sized_server s;
  std::shared_ptr<client_response const> kept;
  {
    harness h;
    kept = fetch_shared(h, s, 55'000);
  }
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->body, patterned(55'000, 'a'));
  std::thread{[held = std::move(kept)]() mutable { held.reset(); }}.join();
}

}  // namespace
}  // namespace overworld::http
