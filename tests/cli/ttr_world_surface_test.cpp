// `overworld ttr fieldoffices` and `overworld ttr sillymeter` against overworld's own world
// service: what a district reports, the command shows, in --json exactly as served.
#include "cli/support.hpp"
#include "cli/world_support.hpp"

#include <gtest/gtest.h>

namespace overworld::cli::testing {
namespace {

namespace json = boost::json;

struct cli_ttr_world_surface : ::testing::Test {
  world_server world;

  void SetUp() override {
    world.report("Boingy Acres",
                 R"({"population":42,"field_offices":[{"zone":5200,"department":"s","difficulty":2,"annexes":3},)"
                 R"({"zone":9100,"difficulty":0,"annexes":0,"open":false,"expiring":1700000090}]})");
    world.publish();
  }
  std::vector<std::string> ttr(std::string const& command, bool as_json) {
    std::vector<std::string> all{"--base-url", world.url()};
    if (as_json) all.push_back("--json");
    all.push_back("ttr");
    all.push_back(command);
    return all;
  }
};

TEST_F(cli_ttr_world_surface, FieldOffices) {
  auto const as_json = run(ttr("fieldoffices", true));
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(world.get("/api/fieldoffices")));
  auto const table = run(ttr("fieldoffices", false));
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(line_starting(table.out, "5200").find("Maple Street"), std::string::npos) << table.out;
  EXPECT_NE(line_starting(table.out, "9100").find("Lullaby Lane"), std::string::npos) << table.out;
}

TEST_F(cli_ttr_world_surface, SillyMeter) {
  auto const team = world.world->silly().teams()[0];
  ASSERT_TRUE(world.world->silly().add_points(team, 777));
  world.publish();
  auto const as_json = run(ttr("sillymeter", true));
  ASSERT_EQ(as_json.code, 0) << as_json.err;
  auto const served = json::parse(world.get("/api/sillymeter"));
  EXPECT_EQ(json::parse(as_json.out), served);
  EXPECT_EQ(served.at("hp"), 777);
  auto const table = run(ttr("sillymeter", false));
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find(team), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Active"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace overworld::cli::testing
