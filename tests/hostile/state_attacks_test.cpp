// Attacks on what the served APIs remember and write: floods of new client addresses and account
// names against the rate limiters, odd district names against the public JSON, out-of-range admin
// numbers, password guessing on the developer portal.
#include "hostile/hostile.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace overworld::hostile {
namespace {

/// A request with a JSON body.
std::string post_json(std::string_view target, std::string const& body, std::string_view extra = {}) {
  return "POST " + std::string{target} + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
         std::string{extra} + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// One request on a new connection from `source`: the answer, or nullopt.
std::optional<wire_response> once(std::uint16_t port, std::string const& request, char const* source = "127.0.0.1") {
  raw_socket s{port, source};
  if (!s.send(request)) return std::nullopt;
  return s.read(10s);
}

/// The value of a sample in /metrics (`name{labels}`), or -1.
double metric(std::uint16_t port, std::string const& sample) {
  auto r = once(port, get("/metrics"));
  if (!r) return -1;
  auto const at = r->body().find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(r->body().substr(at + sample.size() + 2));
}

std::string ttcc_version(std::string const& client) {
  return get("/api/v1/launcher/version/", "X-Forwarded-For: " + client + "\r\n");
}

TEST(Hostile, ANewAddressFloodNeitherGrowsTheLimiterNorLiftsABlock) {
  // The balancer's word is believed, so every request may claim a new client, as a flood of IPv6
  // addresses would be.
  target_server server{"[http]\ntrusted_proxies = [\"127.0.0.1/32\"]\n[ratelimit.ttcc]\nmax_tracked = 1000\n"};
  std::string const blocked = "198.51.100.7";
  for (int i = 0; i < 16; ++i) once(server.public_port, ttcc_version(blocked));  // 10 allowed, 5 refused, blocked
  ASSERT_EQ(once(server.public_port, ttcc_version(blocked))->result_int(), 429u);

  constexpr int flood = 20'000, batch = 100;
  std::size_t answered_200 = 0;
  auto report = under_attack(server, [&] {
    raw_socket s{server.public_port};
    for (int sent = 0; sent < flood; sent += batch) {
      std::string requests;
      for (int i = sent; i < sent + batch; ++i) {
        requests += ttcc_version("10." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." +
                                 std::to_string(i & 255));
      }
      ASSERT_TRUE(s.send(requests));
      for (int i = 0; i < batch; ++i) {
        auto r = s.read(10s);
        ASSERT_TRUE(r) << "request " << sent + i;
        answered_200 += r->result_int() == 200u ? 1 : 0;
      }
    }
  });
  EXPECT_SERVER_UNHARMED(report);
  EXPECT_EQ(answered_200, std::size_t{flood}) << "every new client is served: the cap evicts, it never refuses";
  EXPECT_LE(metric(server.public_port, R"(overworld_ratelimit_tracked_keys{limiter="ttcc"})"), 1000.0);
  EXPECT_GE(metric(server.public_port, R"(overworld_ratelimit_evictions_total{limiter="ttcc"})"), flood - 1000.0);
  EXPECT_EQ(once(server.public_port, ttcc_version(blocked))->result_int(), 429u) << "the flood lifted a block";
}

TEST(Hostile, OddDistrictNamesAreRefusedAndEveryPublicBodyStillParses) {
  target_server server;
  std::string const key = server.key("reporter-key");
  std::vector<std::string> const names{"Bad%FF%FE", "a%00b",        "tab%09", "cr%0Dlf%0A", "%C0%AF",
                                       "%ED%A0%80", "%F4%90%80%80", "del%7F", "%E2%80",     "%1B%5B31m"};
  auto report = under_attack(server, [&] {
    for (auto const& name : names) {
      auto r = once(server.public_port, post_json("/internal/v1/districts/" + name + "/report", R"({"population":5})",
                                                  "Authorization: Bearer " + key + "\r\n"));
      ASSERT_TRUE(r) << name;
      EXPECT_EQ(r->result_int(), 400u) << name;
      EXPECT_EQ(r->body(), R"({"error":"invalid district name"})") << name;
    }
  });
  EXPECT_SERVER_UNHARMED(report);
  for (char const* path : {"/api/v2/districts", "/api/population", "/api/v1/districts.js", "/api/invasions"}) {
    auto r = once(server.public_port, get(path), "127.0.0.3");
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->result_int(), 200u) << path;
    boost::system::error_code ec;
    boost::json::parse(r->body(), ec);
    EXPECT_FALSE(ec) << path << ": " << r->body();
  }
}

TEST(Hostile, AdminNumbersOutOfRangeChangeNothing) {
  target_server server;
  std::string const auth = "Authorization: Bearer " + server.key("admin-key") + "\r\n";
  auto const call = [&](std::string const& target, std::string const& body) {
    auto r = once(server.admin_port, post_json(target, body, auth));
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  };
  ASSERT_EQ(call("/admin/v1/accounts/demo/ban", R"({"hours":2})").first, 200u);
  ASSERT_EQ(call("/admin/v1/accounts/demo/points", R"({"n":3})").first, 200u);
  auto report = under_attack(server, [&] {
    for (char const* n : {"3e15", "1e19", "1e300", "1e400", "-1", "0", "0.5", "18446744073709551616"}) {
      EXPECT_EQ(call("/admin/v1/accounts/demo/ban", std::string{R"({"hours":)"} + n + "}"),
                std::pair(400u, std::string{R"({"error":"hours must be a whole number from 1 to 878400"})"}))
          << n;
    }
    for (char const* n : {"3e15", "1e19", "-1e19", "1e300", "1e400", "0.5", "1000001", "18446744073709551616"}) {
      EXPECT_EQ(call("/admin/v1/accounts/demo/points", std::string{R"({"n":)"} + n + "}").first, 400u) << n;
    }
  });
  EXPECT_SERVER_UNHARMED(report);
  // The ban still holds and the points are as they were: a login answers "banned" (1003).
  auto login =
      once(server.public_port, post_json("/api/v1/login/", R"({"username":"demo","password":"demo"})"), "127.0.0.3");
  ASSERT_TRUE(login);
  EXPECT_NE(login->body().find(R"("reason":1003)"), std::string::npos) << login->body();
  EXPECT_EQ(call("/admin/v1/accounts/demo/points", R"({"n":0})"),
            std::pair(200u, std::string{R"({"moderation_points":3})"}));
}

TEST(Hostile, PasswordGuessingOnTheDeveloperPortalIsStopped) {
  target_server server;
  auto const login = [&](std::string const& password) {
    auto r = once(server.sandbox_port,
                  post_json("/api/login", R"({"email":"demo@example.com","password":")" + password + R"("})"));
    return r ? r->result_int() : 0u;
  };
  std::vector<unsigned> statuses;
  auto report = under_attack(
      server,
      [&] {
        for (int i = 0; i < 300; ++i) statuses.push_back(login("guess" + std::to_string(i)));
      },
      server.sandbox_port, "/api/login");
  EXPECT_SERVER_UNHARMED(report);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 403u), 30) << "30 logins per e-mail address in 5 minutes";
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429u), 270);
  EXPECT_EQ(login("demo"), 429u) << "the right password after the guesses is still refused";
}

}  // namespace
}  // namespace overworld::hostile
