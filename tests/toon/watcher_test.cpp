// Events from a scripted sequence of snapshots, and the watcher polling a scripted TTR server and
// following overworld-server's event stream, over plain HTTP and over TLS.
#include "http/client/tls_server.hpp"
#include "server/world/support.hpp"
#include "support.hpp"

#include <overworld/server/world/world_service.hpp>
#include <overworld/toon/watcher.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

namespace overworld::toon {
namespace {

using namespace std::chrono_literals;
using testing::quick_polling;
using testing::scripted_server;

district online(std::string name, std::optional<invasion> inv = std::nullopt) {
  district d;
  d.name = std::move(name);
  d.status = district_status::online;
  d.population = 10;
  d.invasion = std::move(inv);
  return d;
}

invasion ttr_invasion(std::string district, std::string type, std::int64_t defeated, std::int64_t total,
                      std::int64_t as_of) {
  invasion i;
  i.district = std::move(district);
  i.type = type;
  i.cog = parse_cog(type);
  i.defeated = defeated;
  i.total = total;
  i.as_of = as_of;
  return i;
}

std::vector<std::string> kinds(std::vector<event> const& events) {
  std::vector<std::string> out;
  for (auto const& e : events) out.push_back(std::string{to_string(e.kind)} + " " + e.district);
  return out;
}

TEST(toon_differ, ScriptedSnapshotsGiveEveryEvent) {
  snapshot_differ differ;
  auto e1 = differ.update({1000, {online("A", ttr_invasion("A", "Flunky", 0, 600, 1000)), online("B")}});
  EXPECT_EQ(kinds(e1), (std::vector<std::string>{"district.online A", "invasion.started A", "district.online B"}));
  EXPECT_FALSE(e1[1].invasion->estimated_end);  // one report: no rate yet

  auto e2 = differ.update({1060, {online("A", ttr_invasion("A", "Flunky", 60, 600, 1060)), online("B")}});
  ASSERT_EQ(kinds(e2), (std::vector<std::string>{"invasion.progress A"}));
  ASSERT_TRUE(e2[0].invasion->defeat_rate);
  EXPECT_DOUBLE_EQ(*e2[0].invasion->defeat_rate, 60.0);  // 60 cogs in 60 s
  EXPECT_EQ(e2[0].invasion->estimated_end, 1060 + 540);  // 540 left at one a second

  EXPECT_TRUE(differ.update({1061, {online("A", ttr_invasion("A", "Flunky", 60, 600, 1060)), online("B")}}).empty());

  // B drains; A's invasion is replaced by another (the old one ended first).
  auto b = online("B");
  b.status = district_status::draining;
  auto e3 = differ.update({1120, {online("A", ttr_invasion("A", "Tele\u0003marketer", 5, 3000, 1120)), b}});
  EXPECT_EQ(kinds(e3), (std::vector<std::string>{"invasion.ended A", "invasion.started A", "district.offline B"}));
  EXPECT_EQ(e3[0].invasion->cog.name, "Flunky");
  EXPECT_EQ(e3[0].invasion->defeated, 60);  // as last seen
  EXPECT_EQ(e3[1].invasion->cog.name, "Telemarketer");
  EXPECT_EQ(e3[2].status, district_status::draining);

  // A disappears with its invasion.
  auto e4 = differ.update({1180, {b}});
  EXPECT_EQ(kinds(e4), (std::vector<std::string>{"invasion.ended A", "district.offline A"}));
  EXPECT_EQ(e4[1].status, district_status::offline);
  // B comes back.
  auto e5 = differ.update({1240, {online("B")}});
  EXPECT_EQ(kinds(e5), (std::vector<std::string>{"district.online B"}));
}

TEST(toon_differ, TimersMegaAndQuietStart) {
  snapshot_differ differ{differ_options{std::chrono::seconds{300}, false}};
  auto timed = ttr_invasion("C", "Big Wig", 100, 1000, 2000);
  timed.ends_at = 2500;
  auto mega = ttr_invasion("D", "Flunky", 0, 0, 2000);
  mega.mega = true;
  mega.total.reset();
  EXPECT_TRUE(differ.update({2000, {online("C", timed), online("D", mega)}}).empty());  // no initial events
  EXPECT_EQ(differ.current().districts[0].invasion->estimated_end, 2500);               // the timer alone

  timed.defeated = 130;
  timed.as_of = 2060;  // 30 per minute: 870 left would take 29 minutes, the timer ends first
  mega.defeated = 500;
  mega.as_of = 2060;
  auto events = differ.update({2060, {online("C", timed), online("D", mega)}});
  ASSERT_EQ(kinds(events), (std::vector<std::string>{"invasion.progress C", "invasion.progress D"}));
  EXPECT_DOUBLE_EQ(*events[0].invasion->defeat_rate, 30.0);
  EXPECT_EQ(events[0].invasion->estimated_end, 2500);
  EXPECT_FALSE(events[1].invasion->estimated_end);  // mega invasions have no end to estimate
}

// Runs a watcher on its own thread; every wait is bounded so that a broken watcher fails the test.
class watch_thread {
 public:
  explicit watch_thread(watcher_options o) : w_(std::move(o)) {
    thread_ = std::thread{[this] {
      result_ = w_.run([this](event const& e) {
        std::lock_guard lock{mutex_};
        events_.push_back(e);
        changed_.notify_all();
      });
      std::lock_guard lock{mutex_};
      done_ = true;
      changed_.notify_all();
    }};
  }
  ~watch_thread() {
    w_.stop();
    thread_.join();
  }
  /// Waits until an event of `kind` for `district` has arrived; returns it.
  std::optional<event> wait_for(event_kind kind, std::string const& district, std::chrono::seconds limit = 10s) {
    std::unique_lock lock{mutex_};
    std::optional<event> found;
    changed_.wait_for(lock, limit, [&] {
      for (auto const& e : events_) {
        if (e.kind == kind && e.district == district) found = e;
      }
      return found.has_value() || done_;
    });
    return found;
  }
  std::vector<event> events() {
    std::lock_guard lock{mutex_};
    return events_;
  }
  watcher& get() { return w_; }

 private:
  watcher w_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<event> events_;
  bool done_ = false;
  api_result<void> result_;
  std::thread thread_;
};

TEST(toon_watcher, PollsTtrWhenThereIsNoStream) {
  scripted_server s;
  s.get(
      "/api/population",
      {scripted_server::json(
          200,
          R"({"lastUpdated":1,"totalPopulation":9,"populationByDistrict":{"Zapwood":9},"statusByDistrict":{"Zapwood":"online"},"error":null})")});
  s.get(
      "/api/invasions",
      {
          scripted_server::json(
              200,
              R"({"lastUpdated":1,"invasions":{"Zapwood":{"asOf":1000,"type":"Flunky","progress":"0/100"}},"error":null})"),
          scripted_server::json(
              200,
              R"({"lastUpdated":2,"invasions":{"Zapwood":{"asOf":1060,"type":"Flunky","progress":"50/100"}},"error":null})"),
          scripted_server::json(200, R"({"lastUpdated":3,"invasions":{},"error":null})"),
      });
  s.start();
  watcher_options o;
  o.base_url = s.url();
  o.poll_interval = 10ms;
  o.polling = quick_polling();
  watch_thread w{o};
  auto ended = w.wait_for(event_kind::invasion_ended, "Zapwood");
  ASSERT_TRUE(ended);
  EXPECT_EQ(w.get().source(), watch_source::polling);  // the scripted server has no stream: 404
  auto progress = w.wait_for(event_kind::invasion_progress, "Zapwood");
  ASSERT_TRUE(progress);
  EXPECT_DOUBLE_EQ(*progress->invasion->defeat_rate, 50.0);
  EXPECT_EQ(progress->invasion->estimated_end, 1060 + 60);
  EXPECT_EQ(kinds(w.events()).front(), "district.online Zapwood");
  EXPECT_FALSE(s.requests("/api/invasions").at(0).headers.at("user-agent").empty());
}

TEST(toon_watcher, FollowsOverworldsEventStream) {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  world::world_options wo;
  wo.heartbeat = 200ms;
  world::world_service service{wo, time};
  http::testing::running_server server;
  service.install(*server.routes);
  server.start();
  service.districts().apply("Zapwood",
                            world::district_report{5, world::district_status::online,
                                                   world::testing::make_invasion("Big Wig", 1, 50, 1'699'999'990)});
  service.publish();

  watcher_options o;
  o.base_url = "http://127.0.0.1:" + std::to_string(server.port());
  o.stream = stream_mode::always;
  o.polling = quick_polling();
  watch_thread w{o};
  // The invasion that was there before the stream opened comes from the resync.
  auto started = w.wait_for(event_kind::invasion_started, "Zapwood");
  ASSERT_TRUE(started);
  EXPECT_EQ(started->invasion->cog.dept, department::lawbot);
  EXPECT_FALSE(started->invasion->id.empty());
  EXPECT_EQ(w.get().source(), watch_source::stream);

  time.advance(30s);
  service.districts().apply("Zapwood",
                            world::district_report{5, world::district_status::online,
                                                   world::testing::make_invasion("Big Wig", 30, 50, 1'699'999'990)});
  service.publish();
  auto progress = w.wait_for(event_kind::invasion_progress, "Zapwood");
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->invasion->defeated, 30);

  service.districts().apply("Zapwood", world::district_report{5, world::district_status::draining, std::nullopt});
  service.publish();
  auto ended = w.wait_for(event_kind::invasion_ended, "Zapwood");
  ASSERT_TRUE(ended);
  auto offline = w.wait_for(event_kind::district_offline, "Zapwood");
  ASSERT_TRUE(offline);
  EXPECT_EQ(offline->status, district_status::draining);
  EXPECT_EQ(w.get().current().districts.size(), 1u);
}

TEST(toon_watcher, FollowsAnEventStreamOverTls) {
  http::testing::test_pki pki;
  http::testing::tls_server tls{
      pki.good_cert, pki.good_key, [](auto const& req) {
        if (req.target() == "/api/v2/invasions/stream") {
          // Stays open after the event, as a live stream does.
          return http::testing::tls_answer{
              "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
              "id: 7\nevent: district.status\ndata: "
              "{\"district\":\"Zapwood\",\"status\":\"online\",\"population\":5}\n\n"};
        }
        std::string const body = req.target() == "/api/v2/districts" ? R"({"lastUpdated":1,"districts":[]})" : "{}";
        std::string const status = req.target() == "/api/v2/districts" ? "200 OK" : "404 Not Found";
        return http::testing::tls_answer{
            "HTTP/1.1 " + status +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body};
      }};
  watcher_options o;
  o.base_url = "https://127.0.0.1:" + std::to_string(tls.port());
  o.stream = stream_mode::always;
  o.polling = quick_polling();
  o.polling.http.ca_file = pki.ca_cert;
  watch_thread w{o};
  auto online = w.wait_for(event_kind::district_online, "Zapwood");
  ASSERT_TRUE(online);
  EXPECT_EQ(online->status, district_status::online);
  EXPECT_EQ(w.get().source(), watch_source::stream);
  EXPECT_EQ(w.get().current().districts.at(0).population, 5);
}

TEST(toon_watcher, AnUntrustedStreamCertificateIsATlsError) {
  http::testing::test_pki pki;
  http::testing::tls_server tls{pki.self_cert, pki.self_key};
  watcher_options o;
  o.base_url = "https://127.0.0.1:" + std::to_string(tls.port());
  o.stream = stream_mode::always;
  o.polling = quick_polling();
  o.reconnect_delay = 10ms;
  watcher w{o};
  std::vector<error> reported;
  // The watcher keeps reconnecting; the first report is enough.
  auto r = w.run([](event const&) {},
                 [&](error const& e) {
                   reported.push_back(e);
                   w.stop();
                 });
  ASSERT_FALSE(reported.empty());
  EXPECT_EQ(reported.front().code, errc::tls_error);
}

TEST(toon_watcher, StreamOnlyWithoutAStreamIsAnError) {
  scripted_server s;
  s.start();
  watcher_options o;
  o.base_url = s.url();
  o.stream = stream_mode::always;
  o.polling = quick_polling();
  watcher w{o};
  auto r = w.run([](event const&) {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, error_kind::not_found);
}

}  // namespace
}  // namespace overworld::toon
