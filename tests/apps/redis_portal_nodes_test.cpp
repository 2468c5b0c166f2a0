// overworld-server's CoC sandbox on two nodes sharing one Redis (redis.url), as a bot author behind
// a balancer meets it: log in on node A, create a key on node B and use it on A; log out on B and
// the session is gone on A; revoke on A and B refuses the key within sandbox.key_refresh; a clean
// stop with the keys' refresh running.
#include "apps/app_support.hpp"
#include "support/redis.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <regex>
#include <thread>

namespace overworld {
namespace {

using http::testing::raw_connection;
using testing::child_process;
using testing::temp_dir;
using response = boost::beast::http::response<boost::beast::http::string_body>;
namespace json = boost::json;

/// One overworld-server on `redis_url` whose sandbox has one portal account.
class node {
 public:
  explicit node(std::string const& redis_url) {
    std::ofstream{dir_.path() + "/overworld.toml"} << "[sandbox.portal_accounts]\n\"dev@example.com\" = \"right\"\n";
    process_ =
        std::make_unique<child_process>(testing::server_binary(),
                                        std::vector<std::string>{"--listen", "127.0.0.1:0", "--data", dir_.path(),
                                                                 "--config", dir_.path() + "/overworld.toml"},
                                        std::map<std::string, std::string>{{"OVERWORLD_REDIS_URL", redis_url},
                                                                           {"OVERWORLD_SANDBOX_KEY_REFRESH", "100ms"}});
    auto const line = process_->wait_for_line("Clash of Clans sandbox on");
    if (!line) throw std::runtime_error("the node did not start: " + process_->output());
    port_ = testing::port_of(*line, R"(127\.0\.0\.1:)");
    if (!process_->wait_for_line("listening on")) throw std::runtime_error("not serving: " + process_->output());
  }

  response post(std::string const& path, std::string const& body, std::string const& cookie = {}) {
    raw_connection c{port_};
    c.send("POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n" +
           (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") + "Content-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body);
    auto r = c.read();
    if (!r) throw std::runtime_error("no answer to " + path);
    return *r;
  }
  unsigned use(std::string const& key) {
    raw_connection c{port_};
    c.send("GET /v1/locations HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + key + "\r\n\r\n");
    auto r = c.read();
    return r ? r->result_int() : 0;
  }
  child_process& process() { return *process_; }

 private:
  temp_dir dir_;
  std::unique_ptr<child_process> process_;
  std::uint16_t port_ = 0;
};

TEST(RedisPortalNodes, LogInOnOneNodeCreateOnAnotherUseOnTheFirst) {
  testing::redis_server redis;
  node a{redis.url()};
  node b{redis.url()};
  auto const login = a.post("/api/login", R"({"email":"dev@example.com","password":"right"})");
  ASSERT_EQ(login.result_int(), 200) << login.body();
  std::string const cookie{login[boost::beast::http::field::set_cookie]};
  std::string const session = cookie.substr(0, cookie.find(';'));

  auto const created = b.post("/api/apikey/create", R"({"name":"bot","cidrRanges":["127.0.0.1"]})", session);
  ASSERT_EQ(created.result_int(), 200) << created.body();
  auto const k = json::parse(created.body()).at("key");
  std::string const key{k.at("key").as_string()};
  std::string const id{k.at("id").as_string()};
  EXPECT_EQ(a.use(key), 200);
  EXPECT_EQ(b.use(key), 200);

  EXPECT_EQ(a.post("/api/apikey/revoke", R"({"id":")" + id + R"("})", session).result_int(), 200);
  EXPECT_EQ(a.use(key), 403);
  // Within sandbox.key_refresh (100 ms), bounded generously for a loaded machine.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (b.use(key) != 403 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  EXPECT_EQ(b.use(key), 403);

  EXPECT_EQ(b.post("/api/logout", "{}", session).result_int(), 200);
  EXPECT_EQ(a.post("/api/apikey/list", "{}", session).result_int(), 403);

  for (auto* n : {&a, &b}) {
    n->process().signal(SIGTERM);
    EXPECT_EQ(n->process().wait(), 0) << n->process().output();
  }
}

}  // namespace
}  // namespace overworld
