// The service as the app runs it: configuration keys, the tick and the simulator on a real loop,
// stop and close; which districts may report.
#include "http/server/support.hpp"

#include <overworld/server/world/world_service.hpp>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include <future>
#include <thread>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
using http::testing::raw_connection;
using http::testing::running_server;

std::string report_request(std::string const& district, std::string const& key) {
  std::string const body = R"({"population":7})";
  return "POST /internal/v1/districts/" + http::percent_encode(district) + "/report HTTP/1.1\r\nHost: h\r\n" +
         (key.empty() ? "" : "Authorization: Bearer " + key + "\r\n") +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(WorldConfig, DefaultsAndDistrictPolicy) {
  config cfg{world_config_keys()};
  std::string why;
  auto defaults = world_options_from(cfg, why);
  ASSERT_TRUE(defaults) << why;
  EXPECT_EQ(defaults->tick, 1s);
  EXPECT_EQ(defaults->tracking.offline_after, 30s);
  EXPECT_EQ(defaults->tracking.drop_after, 5min);
  EXPECT_TRUE(defaults->allow_unknown_districts);
  EXPECT_TRUE(defaults->districts.empty());
  EXPECT_FALSE(defaults->simulate);
  EXPECT_EQ(defaults->history_db, "world.sqlite");

  ASSERT_TRUE(cfg.merge_toml_string(R"(
[world]
tick = "250ms"
offline_after = "10s"
drop_after = "1m"
reporter_key = "k"
districts = ["Zapwood", "Splat Summit"]
allow_unknown_districts = false
[world.district_secrets]
"Boingy Acres" = "s"
)",
                                    &why))
      << why;
  auto o = world_options_from(cfg, why);
  ASSERT_TRUE(o) << why;
  EXPECT_EQ(o->tick, 250ms);
  EXPECT_EQ(o->tracking.offline_after, 10s);
  EXPECT_EQ(o->tracking.drop_after, 60s);
  EXPECT_EQ(o->reporter_key, "k");
  EXPECT_FALSE(o->allow_unknown_districts);
  EXPECT_EQ(o->districts, (std::set<std::string, std::less<>>{"Splat Summit", "Zapwood"}));
  EXPECT_EQ(o->district_secrets.at("Boingy Acres"), "s");

  config bad{world_config_keys()};
  ASSERT_TRUE(bad.merge_toml_string("[world]\noffline_after = \"2m\"\ndrop_after = \"1m\"\n", &why));
  EXPECT_FALSE(world_options_from(bad, why));
  EXPECT_NE(why.find("drop_after"), std::string::npos) << why;
}

TEST(WorldService, UnknownDistrictsAreRefusedWhenNotAllowed) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world_options o;
  o.reporter_key = "shared";
  o.district_secrets = {{"Boingy Acres", "boingy"}};
  o.districts = {"Zapwood"};
  o.allow_unknown_districts = false;
  world_service world{o, time};
  running_server server;
  world.install(*server.routes);
  server.start();
  auto const post = [&](std::string const& district, std::string const& key) {
    raw_connection c{server.port()};
    c.send(report_request(district, key));
    auto r = c.read();
    return r ? std::pair{r->result_int(), r->body()} : std::pair{0u, std::string{}};
  };
  EXPECT_EQ(post("Zapwood", "shared").first, 200u);
  EXPECT_EQ(post("Boingy Acres", "boingy").first, 200u);
  EXPECT_EQ(post("Boingy Acres", "shared").first, 200u);
  auto const [status, body] = post("Nowhere", "shared");
  EXPECT_EQ(status, 404u);
  EXPECT_EQ(boost::json::parse(body).at("error"), "unknown district");
  EXPECT_EQ(post("Nowhere", "").first, 401u);  // no key: nothing is told about districts
  world.publish();
  EXPECT_EQ(world.districts().size(), 2u);
  auto const pop = boost::json::parse(*world.current()->get(endpoint::ttr_population).body);
  EXPECT_FALSE(pop.at("populationByDistrict").as_object().contains("Nowhere"));
}

TEST(WorldService, TicksAndSimulatesOnARealLoopUntilStopped) {
  world_options o;
  o.tick = 20ms;
  o.simulate = true;
  o.simulation.districts = 5;
  o.simulation.seed = 7;
  o.simulation_step = 20ms;
  world_service world{o};
  boost::asio::io_context ioc;
  auto guard = boost::asio::make_work_guard(ioc);
  std::thread loop{[&ioc] { ioc.run(); }};
  world.start(ioc);

  auto const first = world.current()->sequence;
  auto const deadline = std::chrono::steady_clock::now() + 5s;
  while (world.current()->sequence < first + 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  auto const snap = world.current();
  EXPECT_GE(snap->sequence, first + 5);
  auto const pop = boost::json::parse(*snap->get(endpoint::ttr_population).body);
  EXPECT_EQ(pop.at("populationByDistrict").as_object().size(), 5u);
  // The simulator starts invasions in half of its districts at once.
  auto const inv = boost::json::parse(*snap->get(endpoint::ttr_invasions).body);
  EXPECT_GE(inv.at("invasions").as_object().size(), 2u);

  world.stop();
  // Whatever the loop was running when stop() returned finishes before this marker runs.
  auto const drained = [&ioc](std::chrono::milliseconds after) {
    std::promise<void> done;
    boost::asio::steady_timer marker{ioc, after};
    marker.async_wait([&done](boost::system::error_code) { done.set_value(); });
    done.get_future().wait();
  };
  drained(0ms);
  auto const stopped = world.current()->sequence;
  // Three tick periods later (timers fire in the order they expire, so a tick still armed would
  // have run before this one): nothing was published.
  drained(3 * o.tick);
  EXPECT_EQ(world.current()->sequence, stopped);

  guard.reset();
  ioc.stop();
  loop.join();
  world.close();
}

}  // namespace
}  // namespace overworld::world
