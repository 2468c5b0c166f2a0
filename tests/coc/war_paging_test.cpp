// The current-war resolver against scripted answers, the pager and the batch helpers against the
// sandbox.
#include "server/sandbox/support.hpp"

#include <overworld/coc/api.hpp>
#include <overworld/coc/paging.hpp>
#include <overworld/coc/war.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view clan_tag = "#2PP";

// An API whose answers the test writes: path (as requested, %23 encoded) -> status and body.
struct scripted_api {
  std::mutex mutex;
  std::map<std::string, std::pair<unsigned, std::string>, std::less<>> answers;
  std::vector<std::string> asked;
  http::testing::running_server server;

  scripted_api() {
    server.routes->get("/v1/{rest...}", http::sync_handler{[this](http::request const& r) {
                         std::lock_guard lock{mutex};
                         asked.emplace_back(r.path);
                         auto it = answers.find(r.path);
                         if (it == answers.end())
                           return http::response::json(404, R"({"reason":"notFound","message":"Not found"})");
                         auto res = http::response::json(it->second.first, it->second.second);
                         return res;
                       }});
    server.start();
  }
  void set(std::string path, unsigned status, std::string body) {
    std::lock_guard lock{mutex};
    answers[std::move(path)] = {status, std::move(body)};
  }
  client_options options() const {
    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
    o.keys = {"k"};
    o.cache_enabled = false;
    o.backoff.initial = 1ms;
    o.backoff.max = 2ms;
    return o;
  }
};

std::string war(std::string_view state, std::string_view clan, std::string_view opponent) {
  return R"({"state":")" + std::string{state} + R"(","teamSize":15,"clan":{"tag":")" + std::string{clan} +
         R"(","name":"A"},"opponent":{"tag":")" + std::string{opponent} + R"(","name":"B"}})";
}

std::string group(std::string_view state, std::vector<std::vector<std::string>> const& rounds) {
  json::array rs;
  for (auto const& tags : rounds) {
    json::array a;
    for (auto const& t : tags) a.emplace_back(t);
    rs.emplace_back(json::object{{"warTags", std::move(a)}});
  }
  return json::serialize(
      json::object{{"state", state}, {"season", "2026-11"}, {"clans", json::array{}}, {"rounds", std::move(rs)}});
}

std::vector<std::string> undrawn(std::size_t n = 4) { return std::vector<std::string>(n, "#0"); }

constexpr char const* current = "/v1/clans/%232PP/currentwar";
constexpr char const* league = "/v1/clans/%232PP/currentwar/leaguegroup";
std::string cwl(std::string_view tag) { return "/v1/clanwarleagues/wars/%23" + std::string{tag.substr(1)}; }

api_result<resolved_war> resolve(scripted_api& api) {
  client c{api.options()};
  asio::io_context ioc;
  auto f = asio::co_spawn(ioc, resolve_current_war(c, std::string{clan_tag}), asio::use_future);
  ioc.run();
  return f.get();
}

TEST(coc_war, RegularWarInProgressWins) {
  scripted_api api;
  api.set(current, 200, war("inWar", "#2PP", "#8QQ"));
  auto w = resolve(api);
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->source, war_source::regular);
  EXPECT_EQ(w->state, "inWar");
  EXPECT_TRUE(w->war);
  // No need to look at the league group.
  EXPECT_EQ(api.asked, (std::vector<std::string>{current}));
}

TEST(coc_war, OutsideTheLeagueTheRegularAnswerStands) {
  scripted_api api;
  api.set(current, 200, R"({"state":"notInWar"})");
  auto w = resolve(api);  // the league group answers 404
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->source, war_source::none);
  EXPECT_EQ(w->state, "notInWar");

  api.set(current, 200, war("warEnded", "#2PP", "#8QQ"));
  auto ended = resolve(api);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->source, war_source::regular);
  EXPECT_EQ(ended->state, "warEnded");
}

TEST(coc_war, EndedRegularWarOverlappingLeaguePreparation) {
  scripted_api api;
  api.set(current, 200, war("warEnded", "#2PP", "#8QQ"));
  api.set(league, 200, group("preparation", {{"#8YYC", "#8YYG", "#8YYJ", "#8YYL"}, undrawn(), undrawn()}));
  api.set(cwl("#8YYC"), 200, war("preparation", "#9UU", "#9YY"));
  api.set(cwl("#8YYG"), 200, war("preparation", "#8QQ", "#2PP"));  // our clan on the opponent side
  auto w = resolve(api);
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->source, war_source::league);
  EXPECT_EQ(w->state, "preparation");
  EXPECT_EQ(w->war_tag, "#8YYG");
  EXPECT_EQ(w->round, 1U);
  // #0 tags are never asked for, and the search stops at the clan's war.
  for (auto const& p : api.asked) EXPECT_EQ(p.find("%230"), std::string::npos) << p;
  EXPECT_EQ(std::count(api.asked.begin(), api.asked.end(), cwl("#8YYJ")), 0);
}

TEST(coc_war, LeagueWarInProgressBeatsTheNextRoundInPreparation) {
  scripted_api api;
  api.set(current, 200, R"({"state":"notInWar"})");
  api.set(league, 200, group("inWar", {{"#9PQ2"}, {"#9PQ8", "#9PQ9"}, {"#9PQY"}, undrawn()}));
  api.set(cwl("#9PQ2"), 200, war("warEnded", "#2PP", "#8QQ"));
  api.set(cwl("#9PQ8"), 200, war("inWar", "#9UU", "#9YY"));
  api.set(cwl("#9PQ9"), 200, war("inWar", "#2PP", "#9LL"));
  api.set(cwl("#9PQY"), 200, war("preparation", "#2PP", "#9CC"));
  auto w = resolve(api);
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->source, war_source::league);
  EXPECT_EQ(w->state, "inWar");
  EXPECT_EQ(w->war_tag, "#9PQ9");
  EXPECT_EQ(w->round, 2U);
  ASSERT_TRUE(w->war);
  EXPECT_EQ(json::parse(w->war->body()).at("opponent").at("tag"), "#9LL");
}

// A recorded war (every field the model needs) between `clan` and `opponent`.
std::string recorded_war(std::string_view state, std::string_view clan, std::string_view opponent) {
  std::ifstream in{overworld::testing::source_path("data/coc-seed/currentwar_inwar.json")};
  std::stringstream text;
  text << in.rdbuf();
  auto doc = json::parse(text.str()).as_object();
  doc["state"] = state;
  doc["clan"].as_object()["tag"] = clan;
  doc["opponent"].as_object()["tag"] = opponent;
  return json::serialize(doc);
}

api_result<war_now> resolve_typed(scripted_api& fake) {
  client c{fake.options()};
  api typed{c};
  return c.wait(resolve_war(typed, std::string{clan_tag}));
}

TEST(coc_war, TheTypedResolverDecodesTheWar) {
  scripted_api fake;
  fake.set(current, 200, R"({"state":"notInWar"})");
  fake.set(league, 200, group("inWar", {{"#9PQ2"}, {"#9PQ9"}, undrawn()}));
  fake.set(cwl("#9PQ2"), 200, recorded_war("warEnded", "#2PP", "#8QQ"));
  fake.set(cwl("#9PQ9"), 200, recorded_war("inWar", "#2PP", "#9LL"));
  auto w = resolve_typed(fake);
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->source, war_source::league);
  EXPECT_EQ(w->state, war_state::in_war);
  EXPECT_EQ(w->war_tag, "#9PQ9");
  EXPECT_EQ(w->round, 2U);
  ASSERT_TRUE(w->war && w->war->opponent);
  EXPECT_EQ(w->war->opponent->tag, "#9LL");

  scripted_api quiet;
  quiet.set(current, 200, R"({"state":"notInWar"})");
  auto none = resolve_typed(quiet);
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_EQ(none->source, war_source::none);
  EXPECT_EQ(none->state, war_state::not_in_war);

  scripted_api broken;
  broken.set(current, 200, war("inWar", "#2PP", "#8QQ"));  // no clanLevel, members, …
  auto bad = resolve_typed(broken);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, error_kind::decode);
  EXPECT_EQ(bad.error().path, "/clans/#2PP/currentwar");

  scripted_api broken_league;
  broken_league.set(current, 200, R"({"state":"notInWar"})");
  broken_league.set(league, 200, group("inWar", {{"#9PQ9"}, undrawn()}));
  broken_league.set(cwl("#9PQ9"), 200, war("inWar", "#2PP", "#9LL"));
  auto bad_league = resolve_typed(broken_league);
  ASSERT_FALSE(bad_league);
  EXPECT_EQ(bad_league.error().path, "/clanwarleagues/wars/#9PQ9");
}

TEST(coc_war, LastDayOfTheLeagueAndPrivateWarLogs) {
  scripted_api api;
  api.set(current, 403, R"({"reason":"accessDenied"})");  // a private war log
  api.set(league, 200, group("ended", {{"#9LLC"}, {"#9LLR"}}));
  api.set(cwl("#9LLC"), 200, war("warEnded", "#2PP", "#8QQ"));
  api.set(cwl("#9LLR"), 200, war("warEnded", "#9UU", "#2PP"));
  auto w = resolve(api);
  ASSERT_TRUE(w) << w.error().describe();
  EXPECT_EQ(w->source, war_source::league);
  EXPECT_EQ(w->state, "warEnded");
  EXPECT_EQ(w->war_tag, "#9LLR");

  scripted_api outside;
  outside.set(current, 403, R"({"reason":"accessDenied"})");
  auto hidden = resolve(outside);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().kind, error_kind::private_war_log);
}

TEST(coc_war, ErrorsAndBadAnswersAreReported) {
  scripted_api api;
  api.set(current, 200, R"({"no":"state"})");
  auto bad = resolve(api);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, error_kind::decode);

  api.set(current, 200, R"({"state":"notInWar"})");
  api.set(league, 503, R"({"reason":"inMaintenance","message":"maintenance"})");
  auto down = resolve(api);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().kind, error_kind::maintenance);
}

// Paging and batches over the sandbox's generated data.
struct sandbox_fixture : ::testing::Test {
  static sandbox::testing::sandbox_server& server() {
    static sandbox::testing::sandbox_server s;
    return s;
  }
  client_options options() {
    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server().server.port()) + "/v1";
    o.keys = {sandbox::testing::test_key};
    o.limiter.rate = 1000;
    o.limiter.burst = 1000;
    return o;
  }
  template <class T>
  T run(asio::awaitable<T> op) {
    asio::io_context ioc;
    auto f = asio::co_spawn(ioc, std::move(op), asio::use_future);
    ioc.run();
    return f.get();
  }
};

TEST_F(sandbox_fixture, PagerFollowsCursorsToTheEnd) {
  client c{options()};
  auto whole = c.wait(c.locations());
  ASSERT_TRUE(whole);
  auto const expected = list_items(whole->body());
  ASSERT_TRUE(expected);
  ASSERT_GT(expected->size(), 7U);

  pager::fetch_page fetch = [&c](paging p) { return c.locations(std::move(p)); };
  auto items = run(all_items(fetch, 7));
  ASSERT_TRUE(items) << items.error().describe();
  ASSERT_EQ(items->size(), expected->size());
  for (std::size_t i = 0; i < items->size(); ++i) EXPECT_EQ(json::parse((*items)[i]), json::parse((*expected)[i])) << i;

  pager walk{fetch, 7};
  unsigned pages = 0;
  while (auto page = run(walk.next())) {
    ASSERT_TRUE(*page);
    ++pages;
  }
  EXPECT_EQ(pages, (expected->size() + 6) / 7);
  EXPECT_TRUE(walk.done());
  EXPECT_FALSE(run(walk.next()));
}

TEST_F(sandbox_fixture, PagerStopsAtAnError) {
  client c{options()};
  pager walk{[&c](paging p) { return c.clan_members("#2PPPPPP", std::move(p)); }, 5};
  auto first = run(walk.next());
  ASSERT_TRUE(first);
  ASSERT_FALSE(*first);
  EXPECT_EQ(first->error().kind, error_kind::not_found);
  EXPECT_TRUE(walk.done());
  auto items = run(all_items([&c](paging p) { return c.clan_members("#2PPPPPP", std::move(p)); }, 5));
  EXPECT_FALSE(items);
}

TEST_F(sandbox_fixture, BatchReportsEachTagOnItsOwn) {
  client c{options()};
  std::vector<std::string> tags{"#2PP", "not a tag", "#2PPPPPP", "#2pp"};
  auto results = run(players(c, tags, 3));
  ASSERT_EQ(results.size(), tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) EXPECT_EQ(results[i].tag, tags[i]);
  EXPECT_TRUE(results[0].result);
  ASSERT_FALSE(results[1].result);
  EXPECT_EQ(results[1].result.error().kind, error_kind::bad_request);
  ASSERT_FALSE(results[2].result);
  EXPECT_EQ(results[2].result.error().kind, error_kind::not_found);
  ASSERT_TRUE(results[3].result);
  EXPECT_EQ(results[3].result->body(), results[0].result->body());

  auto clan_results = run(clans(c, {"#2PP", "#2PPPPPP"}));
  ASSERT_EQ(clan_results.size(), 2U);
  ASSERT_TRUE(clan_results[0].result) << clan_results[0].result.error().describe();
  EXPECT_EQ(json::parse(clan_results[0].result->body()).at("name"), "The Order");
  ASSERT_FALSE(clan_results[1].result);
  EXPECT_EQ(clan_results[1].result.error().kind, error_kind::not_found);
  EXPECT_TRUE(run(players(c, {})).empty());
}

}  // namespace
}  // namespace overworld::coc
