#include <overworld/core/clock.hpp>
#include <overworld/core/error.hpp>
#include <overworld/core/log.hpp>
#include <overworld/core/metrics.hpp>

#include <gtest/gtest.h>

namespace overworld {
namespace {

TEST(ManualClock, MovesOnlyWhenTold) {
  manual_clock c{clock::wall_time{std::chrono::seconds{1000}}};
  auto const s0 = c.steady_now();
  EXPECT_EQ(unix_seconds(c.now()), 1000);
  EXPECT_EQ(c.steady_now(), s0);
  c.advance(std::chrono::milliseconds{1500});
  EXPECT_EQ(unix_millis(c.now()), 1'001'500);
  EXPECT_EQ(c.steady_now() - s0, std::chrono::milliseconds{1500});
  c.set(clock::wall_time{std::chrono::seconds{5}});
  EXPECT_EQ(unix_seconds(c.now()), 5);
  EXPECT_EQ(c.steady_now() - s0, std::chrono::milliseconds{1500});  // steady time never goes back
}

TEST(Errors, OverworldCategory) {
  error_code ec = errc::timeout;
  EXPECT_EQ(ec, errc::timeout);
  EXPECT_EQ(ec.message(), "timed out");
  EXPECT_STREQ(ec.category().name(), "overworld");
  result<int> r = errc::not_found;
  EXPECT_FALSE(r);
  EXPECT_EQ(r.error(), errc::not_found);
}

TEST(Metrics, HistogramBucketsAndQuantiles) {
  std::array<double, 3> const bounds{0.001, 0.01, 0.1};
  histogram h{bounds};
  for (int i = 0; i < 90; ++i) h.observe(0.0005);
  for (int i = 0; i < 10; ++i) h.observe(0.05);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_NEAR(h.sum(), 90 * 0.0005 + 10 * 0.05, 1e-4);
  EXPECT_LE(h.quantile(0.5), 0.001);
  EXPECT_GT(h.quantile(0.99), 0.01);
  std::string out;
  h.render(out, "lat", "route=\"/x\"");
  EXPECT_NE(out.find("lat_bucket{route=\"/x\",le=\"0.001\"} 90\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_bucket{route=\"/x\",le=\"+Inf\"} 100\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_count{route=\"/x\"} 100\n"), std::string::npos) << out;
}

TEST(Metrics, RegistryRendersCollectors) {
  metrics_registry r;
  counter c;
  c.inc(3);
  auto const id = r.add([&](std::string& out) {
    render_help(out, "x_total", "counter", "things");
    render_sample(out, "x_total", "", c.value());
  });
  EXPECT_EQ(r.render(), "# HELP x_total things\n# TYPE x_total counter\nx_total 3\n");
  r.remove(id);
  EXPECT_EQ(r.render(), "");
  EXPECT_EQ(escape_label("a\"b\\c\n"), "a\\\"b\\\\c\\n");
}

TEST(Log, JsonEscaping) {
  std::string out;
  append_json_escaped(out, "a\"b\\\n\x01");
  EXPECT_EQ(out, "a\\\"b\\\\\\n\\u0001");
  EXPECT_EQ(parse_log_format("json").value(), log_format::json);
  EXPECT_FALSE(parse_log_format("xml"));
}

}  // namespace
}  // namespace overworld
