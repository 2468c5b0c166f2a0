// The Redis client against a real redis-server (tests/support/redis.hpp): commands, pipelining,
// scripts reloaded after SCRIPT FLUSH, error replies, reconnection after a restart, a refused
// connection, the command deadline; and the decoder and URL reader on their own.
#include "support/redis.hpp"
#include "support/io_thread.hpp"

#include <overworld/store/redis.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <set>
#include <thread>

namespace asio = boost::asio;
using namespace overworld;
using namespace overworld::store;
using overworld::testing::eventually;
using overworld::testing::io_thread;
using overworld::testing::redis_server;
using namespace std::chrono_literals;

namespace {

class RedisClient : public ::testing::Test {
 protected:
  std::shared_ptr<redis_client> make(std::string url, redis_options o = {}) {
    o.url = std::move(url);
    std::string why;
    auto c = redis_client::create(io.executor(), o, why);
    EXPECT_TRUE(c) << why;
    (*c)->start();
    return *c;
  }
  std::shared_ptr<redis_client> connected(redis_options o = {}) {
    auto c = make(server.url(), o);
    EXPECT_TRUE(eventually([&] { return c->connected(); }));
    return c;
  }
  redis_reply run(redis_client& c, std::vector<std::string> args) {
    auto r = io.wait(c.command(std::move(args)));
    EXPECT_TRUE(r) << r.error().message();
    return r ? *r : redis_reply{};
  }

  redis_server server;
  io_thread io;  // after the server: stopped first
};

TEST_F(RedisClient, CommandsAndTheirReplyTypes) {
  auto c = connected();
  EXPECT_EQ(run(*c, {"SET", "greeting", "hello\r\nworld"}).text, "OK");
  auto got = run(*c, {"GET", "greeting"});
  EXPECT_EQ(got.kind, redis_reply::type::string);
  EXPECT_EQ(got.text, "hello\r\nworld");  // binary-safe both ways
  EXPECT_TRUE(run(*c, {"GET", "missing"}).is_nil());
  auto n = run(*c, {"INCRBY", "counter", "41"});
  EXPECT_EQ(n.kind, redis_reply::type::integer);
  EXPECT_EQ(n.integer, 41);
  run(*c, {"RPUSH", "list", "a", "b", "c"});
  auto list = run(*c, {"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(list.kind, redis_reply::type::array);
  ASSERT_EQ(list.elements.size(), 3u);
  EXPECT_EQ(list.elements[2].text, "c");
  c->stop();
}

TEST_F(RedisClient, AnErrorReplyIsAReplyAndTheConnectionStays) {
  auto c = connected();
  run(*c, {"SET", "word", "abc"});
  auto r = run(*c, {"INCR", "word"});
  EXPECT_TRUE(r.is_error());
  EXPECT_TRUE(r.text.starts_with("ERR")) << r.text;
  EXPECT_TRUE(run(*c, {"NOSUCHCOMMAND"}).is_error());
  EXPECT_EQ(run(*c, {"GET", "word"}).text, "abc");
  EXPECT_EQ(c->errors(), 0u);
  c->stop();
}

std::vector<std::string> incr_shared() {
  return {"INCR", "shared"};
}  // g++ 12: no literals in a coroutine's braced list

asio::awaitable<std::int64_t> increment(std::shared_ptr<redis_client> c) {
  auto r = co_await c->command(incr_shared());
  co_return r && !r->is_error() ? r->integer : -1;
}

TEST_F(RedisClient, ManyCommandsInFlightOnOneConnectionAreAnsweredInOrder) {
  auto c = connected();
  std::vector<std::future<std::int64_t>> answers;
  asio::io_context callers;  // another thread's coroutines, all waiting at once
  for (int i = 0; i < 2000; ++i) answers.push_back(asio::co_spawn(callers, increment(c), asio::use_future));
  callers.run();
  std::set<std::int64_t> seen;
  for (auto& a : answers) seen.insert(a.get());
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_EQ(*seen.begin(), 1);
  EXPECT_EQ(*seen.rbegin(), 2000);

  auto batch = io.wait(c->pipeline({{"SET", "p", "1"}, {"INCR", "p"}, {"GET", "p"}, {"INCR", "shared"}}));
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->size(), 4u);
  EXPECT_EQ((*batch)[1].integer, 2);
  EXPECT_EQ((*batch)[2].text, "2");
  EXPECT_EQ((*batch)[3].integer, 2001);
  c->stop();
}

TEST_F(RedisClient, AScriptIsLoadedAgainAfterTheServerForgetsIt) {
  auto c = connected();
  redis_script const script{"return redis.call('INCRBY', KEYS[1], ARGV[1])"};
  EXPECT_EQ(script.sha1().size(), 40u);
  auto first = io.wait(c->eval(script, {"k"}, {"5"}));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->integer, 5);
  EXPECT_EQ(server.ask("SCRIPT EXISTS " + script.sha1()), "*1");
  EXPECT_EQ(server.ask("SCRIPT FLUSH"), "+OK");
  auto again = io.wait(c->eval(script, {"k"}, {"2"}));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->integer, 7);
  auto broken = io.wait(c->eval(redis_script{"this is not lua"}, {}, {}));
  ASSERT_TRUE(broken);
  EXPECT_TRUE(broken->is_error());
  c->stop();
}

TEST_F(RedisClient, ReconnectsByItselfAfterTheServerIsRestarted) {
  auto c = connected();
  run(*c, {"SET", "before", "1"});
  server.stop();
  EXPECT_TRUE(eventually([&] { return !c->connected(); }));
  auto refused = io.wait(c->command({"GET", "before"}));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), errc::unavailable);
  EXPECT_GE(c->errors(), 1u);

  server.start();
  EXPECT_TRUE(eventually([&] { return c->connected(); }));
  EXPECT_TRUE(run(*c, {"GET", "before"}).is_nil());  // a restart without persistence forgot it
  EXPECT_EQ(run(*c, {"SET", "after", "1"}).text, "OK");
  c->stop();
}

TEST_F(RedisClient, ARefusedConnectionFailsAtOnceAndIsCounted) {
  auto unix_client = make("unix:///nonexistent/redis.sock");
  auto tcp_client = make("redis://127.0.0.1:1/0");
  EXPECT_TRUE(eventually([&] { return unix_client->errors() >= 2 && tcp_client->errors() >= 2; }));
  for (auto* c : {unix_client.get(), tcp_client.get()}) {
    EXPECT_FALSE(c->connected());
    auto r = io.wait(c->command({"PING"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unavailable);
  }
  metrics_registry metrics;
  tcp_client->expose(metrics, "limits");
  auto const text = metrics.render();
  EXPECT_NE(text.find("overworld_redis_connected{redis=\"limits\"} 0"), std::string::npos) << text;
  EXPECT_NE(text.find("overworld_redis_errors_total{redis=\"limits\"}"), std::string::npos);
  unix_client->stop();
  tcp_client->stop();
}

TEST_F(RedisClient, AnAnswerPastTheCommandTimeoutDropsTheConnectionThenItRecovers) {
  redis_options o;
  o.command_timeout = 150ms;
  auto c = connected(o);
  EXPECT_EQ(server.ask("CLIENT PAUSE 800 ALL"), "+OK");
  auto r = io.wait(c->command({"PING"}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unavailable);
  EXPECT_TRUE(eventually([&] { return c->connected(); }));  // once the pause is over
  EXPECT_EQ(run(*c, {"PING"}).text, "PONG");
  c->stop();
}

TEST_F(RedisClient, StopFailsWaitingCommandsAsShuttingDown) {
  auto c = connected();
  c->stop();
  EXPECT_TRUE(eventually([&] { return !c->connected(); }));
  auto r = io.wait(c->command({"PING"}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::shutting_down);
}

// ---- the decoder and the URL, without a server

std::vector<redis_reply> decode_all(resp_decoder& d, std::string_view bytes, std::size_t step) {
  std::vector<redis_reply> out;
  for (std::size_t i = 0; i < bytes.size(); i += step) {
    EXPECT_TRUE(d.feed(bytes.substr(i, step)));
    for (;;) {
      auto r = d.next();
      EXPECT_TRUE(r);
      if (!r || !*r) break;
      out.push_back(std::move(**r));
    }
  }
  return out;
}

TEST(RespDecoder, RepliesSplitAnywhereComeOutWhole) {
  std::string const bytes = "+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhe\r\no\r\n$-1\r\n*2\r\n*1\r\n:1\r\n$0\r\n\r\n*-1\r\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{3}, bytes.size()}) {
    resp_decoder d;
    auto got = decode_all(d, bytes, step);
    ASSERT_EQ(got.size(), 7u) << step;
    EXPECT_EQ(got[0].kind, redis_reply::type::status);
    EXPECT_TRUE(got[1].is_error());
    EXPECT_EQ(got[1].text, "ERR bad");
    EXPECT_EQ(got[2].integer, 42);
    EXPECT_EQ(got[3].text, "he\r\no");
    EXPECT_TRUE(got[4].is_nil());
    ASSERT_EQ(got[5].elements.size(), 2u);
    EXPECT_EQ(got[5].elements[0].elements[0].integer, 1);
    EXPECT_EQ(got[5].elements[1].text, "");
    EXPECT_TRUE(got[6].is_nil());
  }
}

TEST(RespDecoder, BoundsAndBrokenBytesAreErrors) {
  struct row {
    std::string bytes;
    errc expected;
  };
  for (auto const& [bytes, expected] : std::vector<row>{
           {"$5000\r\n" + std::string(5000, 'x') + "\r\n", errc::too_large},  // one bulk past 4 KiB
           {"*2000\r\n", errc::too_large},                                    // more elements than allowed
           {"*3\r\n$1500\r\n" + std::string(1500, 'x') + "\r\n$1500\r\n" + std::string(1500, 'y') + "\r\n$1500\r\n" +
                std::string(1500, 'z') + "\r\n",
            errc::too_large},  // the whole reply past 4 KiB
           {"?what\r\n", errc::protocol_error},
           {":12x\r\n", errc::protocol_error},
           {"*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", errc::protocol_error},  // too deep
       }) {
    resp_decoder d{4096, 100};
    error_code failure;
    for (std::size_t i = 0; i < bytes.size() && !failure; i += 256) {
      if (auto f = d.feed(std::string_view{bytes}.substr(i, 256)); !f) failure = f.error();
      while (!failure) {
        auto r = d.next();
        if (!r)
          failure = r.error();
        else if (!*r)
          break;
      }
    }
    EXPECT_EQ(failure, expected) << bytes.substr(0, 20);
    EXPECT_FALSE(d.next());  // unusable after an error
  }
}

TEST(RedisUrl, TheTwoFormsAndWhatIsRefused) {
  std::string why;
  auto tcp = parse_redis_url("redis://user:p%40ss@cache.example:6380/2", why);
  ASSERT_TRUE(tcp) << why;
  EXPECT_EQ(tcp->host, "cache.example");
  EXPECT_EQ(tcp->port, 6380);
  EXPECT_EQ(tcp->database, 2);
  EXPECT_EQ(tcp->username, "user");
  EXPECT_EQ(tcp->password, "p@ss");
  EXPECT_EQ(tcp->describe(), "cache.example:6380");

  auto plain = parse_redis_url("redis://127.0.0.1", why);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, 6379);
  EXPECT_EQ(plain->database, 0);
  auto v6 = parse_redis_url("redis://secret@[::1]:7000", why);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->password, "secret");

  auto local = parse_redis_url("unix:///run/redis/redis.sock?db=3&password=x", why);
  ASSERT_TRUE(local);
  EXPECT_EQ(local->socket_path, "/run/redis/redis.sock");
  EXPECT_EQ(local->database, 3);
  EXPECT_EQ(local->password, "x");

  for (std::string_view bad :
       {"", "http://x", "redis://", "redis://host:0", "redis://host:65536", "redis://host/x", "redis://[::1",
        "unix://relative.sock", "unix:///s?db=-1", "unix:///s?colour=red", "redis://u:%zz@host"}) {
    why.clear();
    auto r = parse_redis_url(bad, why);
    EXPECT_FALSE(r) << bad;
    EXPECT_FALSE(why.empty());
  }
}

}  // namespace
