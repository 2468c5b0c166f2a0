// Reports, validation and expiry (with the manual clock), and the simulator.
#include <overworld/server/world/simulator.hpp>
#include <overworld/server/world/tracker.hpp>

#include <gtest/gtest.h>

#include <set>

namespace overworld::world {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t now_unix = 1'700'000'000;

result<district_report> parse(std::string_view json, std::string* why_out = nullptr) {
  std::string why;
  auto r = parse_report(json, report_limits{}, now_unix, why);
  if (why_out) *why_out = why;
  return r;
}

TEST(Report, FullReportParses) {
  auto r = parse(R"({"population":120,"status":"draining","invasion":{"cog":"Tele\u0003marketer","department":"s",
    "skelecog":true,"v2":false,"mega":false,"defeated":10,"total":4000,"started_at":1699999000,"ends_at":1700003000,
    "future_field":[1,2]}, "extra": {"ignored": true}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->population, 120);
  EXPECT_EQ(r->status, district_status::draining);
  ASSERT_TRUE(r->current);
  EXPECT_EQ(r->current->cog, "Telemarketer");  // U+0003 stripped
  EXPECT_EQ(r->current->dept, department::sellbot);
  EXPECT_TRUE(r->current->skelecog);
  EXPECT_EQ(r->current->defeated, 10);
  EXPECT_EQ(r->current->total, 4000);
  EXPECT_EQ(r->current->ends_at, 1700003000);
  auto minimal = parse(R"({"population":0})");
  ASSERT_TRUE(minimal);
  EXPECT_EQ(minimal->status, district_status::online);
  EXPECT_FALSE(minimal->current);
  auto none = parse(R"({"population":3,"invasion":null})");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->current);
  auto mega = parse(R"({"population":3,"invasion":{"cog":"Flunky","mega":true,"defeated":0,"started_at":1699999999}})");
  ASSERT_TRUE(mega);
  EXPECT_EQ(mega->current->ttr_progress(), "0/1000000");
  EXPECT_EQ(mega->current->dept, department::bossbot);  // from the catalogue
}

TEST(Report, BadReportsAreRejectedWithAReason) {
  struct bad {
    char const* json;
    char const* reason;
    errc code;
  };
  bad const cases[] = {
      {R"({"population":)", "malformed JSON", errc::parse_error},
      {R"({"population":1} trailing)", "malformed JSON", errc::parse_error},
      {R"([1,2])", "must be a JSON object", errc::parse_error},
      {R"({})", "population is required", errc::invalid_argument},
      {R"({"population":"many"})", "population must be an integer", errc::invalid_argument},
      {R"({"population":-1})", "population must be from 0", errc::invalid_argument},
      {R"({"population":100001})", "population must be from 0", errc::invalid_argument},
      {R"({"population":1.5})", "population must be an integer", errc::invalid_argument},
      {R"({"population":1,"status":"sleepy"})", "status must be", errc::invalid_argument},
      {R"({"population":1,"invasion":5})", "invasion must be an object", errc::invalid_argument},
      {R"({"population":1,"invasion":{"defeated":1,"total":2,"started_at":1699999999}})", "invasion.cog is required",
       errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","total":2,"started_at":1699999999}})",
       "defeated and invasion.total", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","defeated":3,"total":2,"started_at":1699999999}})",
       "defeated must be from 0 to total", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","defeated":0,"total":0,"started_at":1699999999}})",
       "total must be from 1", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","defeated":0,"total":2000000,"started_at":1699999999}})",
       "total must be from 1", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","defeated":0,"total":10,"started_at":1800000000}})",
       "started_at is not a plausible", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","defeated":0,"total":10}})", "started_at is required",
       errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","department":"toonbot","defeated":0,"total":10,"started_at":1699999999}})",
       "department must be", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","skelecog":"yes","defeated":0,"total":10,"started_at":1699999999}})",
       "skelecog must be true or false", errc::invalid_argument},
      {R"({"population":1,"invasion":{"cog":"Flunky","defeated":0,"total":10,"started_at":1699999999,"ends_at":5}})",
       "ends_at is before", errc::invalid_argument},
  };
  for (auto const& c : cases) {
    std::string why;
    auto r = parse(c.json, &why);
    ASSERT_FALSE(r) << c.json;
    EXPECT_EQ(r.error(), c.code) << c.json;
    EXPECT_NE(why.find(c.reason), std::string::npos) << c.json << " → " << why;
  }
}

TEST(Names, DistrictNamesAndCatalogue) {
  EXPECT_TRUE(valid_district_name("Boingy Acres", 64));
  EXPECT_FALSE(valid_district_name("", 64));
  EXPECT_FALSE(valid_district_name(" Lead", 64));
  EXPECT_FALSE(valid_district_name("a/b", 64));
  EXPECT_FALSE(valid_district_name("a\nb", 64));
  EXPECT_FALSE(valid_district_name(std::string(65, 'a'), 64));
  EXPECT_EQ(cog_catalogue().size(), 32u);
  std::set<std::string_view> names;
  std::map<department, int> per_dept;
  for (auto const& c : cog_catalogue()) {
    names.insert(c.name);
    ++per_dept[c.dept];
  }
  EXPECT_EQ(names.size(), 32u);
  for (auto d : {department::bossbot, department::lawbot, department::cashbot, department::sellbot})
    EXPECT_EQ(per_dept[d], 8);
  EXPECT_EQ(department_of("Mr. Hollywood"), department::sellbot);
  EXPECT_EQ(department_of("The Big Cheese"), department::bossbot);
}

TEST(Tracker, SilentDistrictGoesOfflineThenIsDropped) {
  manual_clock time;
  tracker t{tracker_options{30s, 120s, 5min}, time};
  invasion inv;
  inv.cog = "Flunky";
  inv.defeated = 5;
  inv.total = 100;
  inv.started_at = unix_seconds(time.now());
  t.apply("Zapwood", district_report{50, district_status::online, inv});
  auto v = t.collect();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].status, district_status::online);
  EXPECT_TRUE(v[0].current);
  time.advance(29s);
  EXPECT_FALSE(t.collect()[0].silent);
  time.advance(1s);
  v = t.collect();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(v[0].silent);
  EXPECT_EQ(v[0].status, district_status::offline);
  EXPECT_EQ(v[0].population, 0);
  EXPECT_FALSE(v[0].current);  // a stale invasion is not shown
  time.advance(90s);
  EXPECT_TRUE(t.collect().empty());
  EXPECT_EQ(t.size(), 0u);
  // A report brings it back.
  t.apply("Zapwood", district_report{50, district_status::online, std::nullopt});
  EXPECT_EQ(t.collect().size(), 1u);
}

TEST(Tracker, DefeatRateResetsWithANewInvasion) {
  manual_clock time;
  tracker t{tracker_options{}, time};
  invasion a;
  a.cog = "Flunky";
  a.total = 1000;
  a.started_at = 1;
  t.apply("D", district_report{1, district_status::online, a});
  time.advance(60s);
  a.defeated = 60;
  t.apply("D", district_report{1, district_status::online, a});
  EXPECT_DOUBLE_EQ(t.collect()[0].defeat_rate, 60.0);
  invasion b = a;
  b.cog = "Yesman";
  b.defeated = 0;
  b.started_at = 2;
  t.apply("D", district_report{1, district_status::online, b});
  EXPECT_DOUBLE_EQ(t.collect()[0].defeat_rate, 0.0);
  EXPECT_NE(t.collect()[0].invasion_id, invasion_id("D", a));
}

TEST(Simulator, ProducesValidLiveInvasions) {
  manual_clock time;
  simulator_options options;
  options.districts = 20;
  options.seed = 42;
  options.invasion_chance = 0.05;
  simulator sim{options, time};
  sim.start_invasions(10);
  std::set<std::string> cogs_seen;
  bool saw_end = false, saw_skelecog = false, saw_v2 = false, saw_mega = false;
  std::map<std::string, std::int64_t> last_defeated;
  for (int step = 0; step < 3600; ++step) {  // ten simulated hours in steps of 10 s
    time.advance(10s);
    for (auto const& [name, r] : sim.step(10.0)) {
      EXPECT_GE(r.population, 0);
      EXPECT_LE(r.population, 500);
      if (!r.current) {
        if (last_defeated.erase(name)) saw_end = true;
        continue;
      }
      auto const& inv = *r.current;
      EXPECT_TRUE(department_of(inv.cog)) << inv.cog;
      EXPECT_FALSE(inv.skelecog && inv.v2);
      cogs_seen.insert(inv.cog);
      saw_skelecog |= inv.skelecog;
      saw_v2 |= inv.v2;
      saw_mega |= inv.mega;
      if (!inv.mega) {
        EXPECT_LE(inv.defeated, inv.total);
        EXPECT_GE(inv.total, 1000);
        EXPECT_LE(inv.total, 8000);
      }
      std::string report_json = "{\"population\":" + std::to_string(r.population) + "}";
      std::string why;
      EXPECT_TRUE(parse_report(report_json, {}, unix_seconds(time.now()), why));
      last_defeated[name] = inv.defeated;
    }
  }
  EXPECT_TRUE(saw_end);
  EXPECT_TRUE(saw_skelecog);
  EXPECT_TRUE(saw_v2);
  EXPECT_TRUE(saw_mega);
  EXPECT_GE(cogs_seen.size(), 20u);
  EXPECT_EQ(simulator::district_names().size(),
            std::set<std::string>(simulator::district_names().begin(), simulator::district_names().end()).size());
}

}  // namespace
}  // namespace overworld::world
