// Attacks on what the served APIs do with a request: paths that leave the files folder,
// X-Forwarded-For spoofing against the per-client rate limit, and game-token reuse (what the APIs
// remember is attacked in state_attacks_test.cpp).
#include "hostile/hostile.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>

namespace overworld::hostile {
namespace {

TEST(Hostile, PathTraversalOnTheFilesRoute) {
  target_server server;
  std::string const secret = server.key("reporter-key");
  ASSERT_EQ(secret.size(), 48u);
  // A link inside the files folder that points at the key beside it.
  std::filesystem::create_symlink(server.data_dir() + "/reporter-key", server.data_dir() + "/files/link");
  std::vector<std::string> const targets{
      "/files/../reporter-key",
      "/files/../../../../etc/passwd",
      "/files/%2e%2e/reporter-key",
      "/files/%2E%2E%2Freporter-key",
      "/files/..%2freporter-key",
      "/files/game/..%2F..%2Freporter-key",
      "/files//etc/passwd",
      "/files/%2fetc%2fpasswd",
      "/files/game/demo.bin%00.txt",
      "/files/link",
      "/files/.%2e/reporter-key",
      "/files/game/../../reporter-key",
      "http://localhost/files/../reporter-key",
  };
  auto report = under_attack(server, [&] {
    for (auto const& target : targets) {
      raw_socket s{server.public_port};
      s.send(get(target));
      auto r = s.read();
      ASSERT_TRUE(r) << target;
      EXPECT_GE(r->result_int(), 400) << target;
      EXPECT_LT(r->result_int(), 500) << target;
      EXPECT_EQ(r->body().find(secret), std::string::npos) << target;
      EXPECT_EQ(r->body().find("root:"), std::string::npos) << target;
    }
    // The folder itself is still served.
    raw_socket ok{server.public_port};
    ok.send(get("/files/game/demo.bin"));
    auto r = ok.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result_int(), 200);
  });
  EXPECT_SERVER_UNHARMED(report);
}

TEST(Hostile, ForwardedForSpoofingDoesNotEscapeTheRateLimit) {
  target_server server;  // no trusted proxies: X-Forwarded-For is nobody's word
  auto report = under_attack(
      server,
      [&] {
        std::vector<unsigned> statuses;
        for (int i = 0; i < 12; ++i) {
          raw_socket s{server.public_port};
          s.send(get("/api/v1/launcher/version/", "X-Forwarded-For: 198.51.100." + std::to_string(i) + "\r\n"));
          auto r = s.read();
          ASSERT_TRUE(r);
          statuses.push_back(r->result_int());
        }
        // ratelimit.ttcc: 10 requests per 60 s per client, whatever it claims to be.
        EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200u), 10);
        EXPECT_EQ(statuses.back(), 429u);
      },
      0, "/api/v1/launcher/version/");  // 127.0.0.2 has a limit of its own: answered throughout
  EXPECT_SERVER_UNHARMED(report);
}

TEST(Hostile, GameTokensAreSingleUse) {
  target_server server;
  std::string const key = server.key("reporter-key");
  auto const login = [&] {
    raw_socket s{server.public_port, "127.0.0.3"};
    std::string const body = R"({"username":"demo","password":"demo"})";
    s.send("POST /api/v1/login/ HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = s.read(10s);
    if (!r) return std::string{};
    auto const at = r->body().find("\"token\":\"");
    return at == std::string::npos ? std::string{} : r->body().substr(at + 9, 64);
  };
  auto const redeem = [&](std::string const& token) {
    raw_socket s{server.public_port, "127.0.0.4"};
    std::string const body = R"({"token":")" + token + R"("})";
    s.send("POST /internal/v1/tokens/redeem HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + key +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = s.read();
    return r ? r->result_int() : 0u;
  };
  auto report = under_attack(server, [&] {
    std::string const token = login();
    ASSERT_EQ(token.size(), 64u);
    EXPECT_EQ(redeem(token), 200u);
    EXPECT_EQ(redeem(token), 404u);
    // Two game servers racing with one token: exactly one wins.
    std::string const raced = login();
    ASSERT_EQ(raced.size(), 64u);
    std::vector<std::future<unsigned>> racers;
    for (int i = 0; i < 8; ++i) racers.push_back(std::async(std::launch::async, redeem, raced));
    int wins = 0;
    for (auto& r : racers) wins += r.get() == 200u ? 1 : 0;
    EXPECT_EQ(wins, 1);
  });
  EXPECT_SERVER_UNHARMED(report);
}

}  // namespace
}  // namespace overworld::hostile
