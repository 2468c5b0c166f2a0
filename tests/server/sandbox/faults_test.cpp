// Injected faults on /v1: latency, 5xx every Nth request, dropped connections; set by the admin
// API or by config, and gone again once cleared.
#include "admin_support.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace overworld::sandbox::testing {
namespace {

using namespace std::chrono_literals;
using http::testing::raw_connection;

constexpr char const* target = "/v1/locations";

class faults : public admin_test {
 protected:
  sandbox_server::response set(std::string const& body) { return call("PUT", "/faults", body); }
  /// One /v1 request on a connection of its own; nullopt when the server closed it unanswered.
  std::optional<sandbox_server::response> try_get() {
    raw_connection c{s.server.port()};
    c.send(http::testing::get_request(target, std::string{"Authorization: Bearer "} + test_key + "\r\n"));
    auto r = c.read();
    if (!r) {
      EXPECT_TRUE(c.closed_by_server());
    }
    return r;
  }
};

TEST_F(faults, LatencyIsAddedToEveryAnswer) {
  ASSERT_EQ(set(R"({"latency_ms":150})").result_int(), 200);
  for (int i = 0; i < 2; ++i) {
    auto const start = std::chrono::steady_clock::now();
    EXPECT_EQ(s.get(target).result_int(), 200);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  }
  // Errors are as slow as answers.
  auto const start = std::chrono::steady_clock::now();
  EXPECT_EQ(s.get("/v1/players/%232PP").result_int(), 404);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_EQ(body_of(call("GET", "/faults")).at("latency_ms").as_int64(), 150);
}

TEST_F(faults, EveryNthRequestFailsWithTheChosenStatus) {
  ASSERT_EQ(set(R"({"error_every":3,"error_status":502})").result_int(), 200);
  std::vector<unsigned> seen;
  for (int i = 0; i < 6; ++i) seen.push_back(s.get(target).result_int());
  EXPECT_EQ(seen, (std::vector<unsigned>{200, 200, 502, 200, 200, 502}));

  ASSERT_EQ(set(R"({"error_every":1,"error_status":502})").result_int(), 200);
  auto const gateway = s.get(target);
  EXPECT_EQ(gateway[boost::beast::http::field::content_type], "text/html");
  EXPECT_NE(gateway.body().find("<h1>502 Bad Gateway</h1>"), std::string::npos);
  ASSERT_EQ(set(R"({"error_every":1,"error_status":504})").result_int(), 200);
  EXPECT_NE(s.get(target).body().find("504 Gateway Time-out"), std::string::npos);
  ASSERT_EQ(set(R"({"error_every":1,"error_status":500})").result_int(), 200);
  auto const internal = s.get(target);
  EXPECT_EQ(internal.result_int(), 500);
  EXPECT_EQ(body_of(internal).at("reason").as_string(), "unknownException");
  ASSERT_EQ(set(R"({"error_probability":1,"error_status":503})").result_int(), 200);
  auto const maintenance = s.get(target);
  EXPECT_EQ(maintenance.result_int(), 503);
  EXPECT_EQ(body_of(maintenance).at("reason").as_string(), "inMaintenance");

  // The admin API is not affected, and clearing the faults ends them.
  ASSERT_EQ(call("DELETE", "/faults").result_int(), 200);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(s.get(target).result_int(), 200);
}

TEST_F(faults, DroppedConnectionsEndWithoutAResponse) {
  ASSERT_EQ(set(R"({"drop_every":2})").result_int(), 200);
  EXPECT_TRUE(try_get().has_value());
  EXPECT_FALSE(try_get().has_value());
  EXPECT_TRUE(try_get().has_value());
  EXPECT_FALSE(try_get().has_value());

  ASSERT_EQ(set(R"({"drop_probability":1})").result_int(), 200);
  EXPECT_FALSE(try_get().has_value());
  EXPECT_EQ(call("GET", "/status").result_int(), 200);
  ASSERT_EQ(call("DELETE", "/faults").result_int(), 200);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(try_get().has_value());
}

TEST_F(faults, BadSettingsAre400AndKeepTheOldOnes) {
  ASSERT_EQ(set(R"({"error_every":4})").result_int(), 200);
  for (auto const* body :
       {R"({"error_status":418,"error_every":1})", R"({"error_probability":2})", R"({"drop_every":-1})",
        R"({"latency_ms":600000})", R"({"latency":5})", R"({"drop_probability":"often"})", "[1]"}) {
    auto const r = set(body);
    EXPECT_EQ(r.result_int(), 400) << body << ": " << r.body();
  }
  auto const now = body_of(call("GET", "/faults"));
  EXPECT_EQ(now.at("error_every").as_int64(), 4);
  EXPECT_EQ(now.at("error_status").as_int64(), 500);
}

TEST(faults_config, SetAtStartFromSandboxFaultKeys) {
  config cfg{sandbox_config_keys()};
  ASSERT_TRUE(cfg.set("sandbox.fault.error_every", "2", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.fault.error_status", "504", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.fault.latency_ms", "20", config_source::file));
  std::string why;
  auto options = sandbox_options_from(cfg, why);
  ASSERT_TRUE(options) << why;
  EXPECT_EQ(options->faults.error_every, 2u);
  EXPECT_EQ(options->faults.error_status, 504u);
  EXPECT_EQ(options->faults.latency, 20ms);
  sandbox_server s{*options, generated_dataset()};
  EXPECT_EQ(s.get(target).result_int(), 200);
  EXPECT_EQ(s.get(target).result_int(), 504);

  ASSERT_TRUE(cfg.set("sandbox.fault.error_status", "501", config_source::file));
  EXPECT_FALSE(sandbox_options_from(cfg, why));
  EXPECT_NE(why.find("sandbox.fault"), std::string::npos);
  ASSERT_TRUE(cfg.set("sandbox.fault.error_status", "500", config_source::file));
  ASSERT_TRUE(cfg.set("sandbox.fault.drop_probability", "lots", config_source::file));
  EXPECT_FALSE(sandbox_options_from(cfg, why));
}

}  // namespace
}  // namespace overworld::sandbox::testing
