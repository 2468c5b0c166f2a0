// The typed api against the in-process sandbox: the 35 operations decode into their models (the
// coroutine and the blocking forms), answers keep their freshness, errors pass through, and a
// 2xx body that is not the model's JSON is a decode error naming the request and the field.
#include "server/sandbox/support.hpp"

#include <overworld/coc/api.hpp>
#include <overworld/coc/blocking.hpp>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include <functional>
#include <numeric>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;
using sandbox::testing::sandbox_server;
using sandbox::testing::test_key;

client_options options_for(std::uint16_t port) {
  client_options o;
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  o.keys = {test_key};
  o.limiter.rate = 1000;
  o.limiter.burst = 1000;
  o.backoff.initial = 1ms;
  o.backoff.max = 5ms;
  return o;
}

sandbox_server& shared_sandbox() {
  static sandbox_server server;
  return server;
}

/// What each operation's check needs: the raw JSON next to the decoded model.
template <class T>
std::string check_list(api_result<list<T>> const& r, std::function<void(T const&)> const& each = {}) {
  if (!r) return r.error().describe();
  auto const raw = json::parse(r->raw.text()).as_object();
  EXPECT_EQ(r->items.size(), raw.at("items").as_array().size());
  EXPECT_FALSE(r->items.empty());
  if (each) {
    for (auto const& item : r->items) each(item);
  }
  return {};
}

TEST(coc_api, EveryOperationDecodesIntoItsModel) {
  client c{options_for(shared_sandbox().server.port())};
  api typed{c};
  struct operation {
    char const* name;
    std::function<std::string()> run;  ///< empty: passed
  };
  auto const league_id_is = [](std::int64_t id) {
    return [id](api_result<league> const& r) -> std::string {
      if (!r) return r.error().describe();
      EXPECT_EQ(r->id, id);
      EXPECT_FALSE(r->name.empty());
      return {};
    };
  };
  auto const named = [](auto const& item) { EXPECT_FALSE(item.name.empty()); };
  auto const id_named = [](league const& l) {
    EXPECT_GT(l.id, 0);
    EXPECT_FALSE(l.name.empty());
  };
  std::vector<operation> const operations{
      {"search_clans",
       [&] {
         return check_list<clan>(typed.wait(typed.search_clans({.name = "test", .page = {.limit = 2}})),
                                 [](clan const& cl) { EXPECT_NE(cl.type, clan_type::unknown) << cl.tag; });
       }},
      {"clan",
       [&] {
         auto r = typed.wait(typed.clan("#2PP"));
         if (!r) return r.error().describe();
         EXPECT_EQ(r->name, "The Order");
         EXPECT_TRUE(r->member_list && !r->member_list->empty());
         return std::string{};
       }},
      {"clan_members",
       [&] {
         return check_list<clan_member>(typed.wait(typed.clan_members("#29Y8PRCJR")),
                                        [](clan_member const& m) { EXPECT_NE(m.role, clan_role::unknown); });
       }},
      {"war_log", [&] { return check_list<war_log_entry>(typed.wait(typed.war_log("#29Y8PRCJR"))); }},
      {"current_war",
       [&] {
         auto r = typed.wait(typed.current_war("#2GPVRU0C0"));
         if (!r) return r.error().describe();
         EXPECT_EQ(r->state, war_state::in_war);
         EXPECT_TRUE(r->clan && r->clan->members);
         return std::string{};
       }},
      {"league_group",
       [&] {
         auto r = typed.wait(typed.league_group("#GYR89PJ9"));
         if (!r) return r.error().describe();
         EXPECT_NE(r->state, league_group_state::unknown);
         EXPECT_TRUE(r->clans && !r->clans->empty());
         EXPECT_TRUE(r->rounds && !r->rounds->empty());
         return std::string{};
       }},
      {"cwl_war",
       [&] {
         auto r = typed.wait(typed.cwl_war("#82G0JYVGG"));
         if (!r) return r.error().describe();
         EXPECT_EQ(r->state, war_state::war_ended);
         return std::string{};
       }},
      {"raid_seasons",
       [&] {
         return check_list<raid_season>(typed.wait(typed.raid_seasons("#29Y8PRCJR")),
                                        [](raid_season const& s) { EXPECT_NE(s.state, raid_state::unknown); });
       }},
      {"player",
       [&] {
         auto r = typed.wait(typed.player("#2PP"));
         if (!r) return r.error().describe();
         EXPECT_EQ(r->name, "Morgil");
         EXPECT_EQ(r->tag, "#2PP");
         return std::string{};
       }},
      {"verify_token",
       [&] {
         auto r = typed.wait(typed.verify_token("#2PP", "TOKEN"));
         if (!r) return r.error().describe();
         EXPECT_EQ(r->status, token_status::ok);
         return std::string{};
       }},
      {"battle_log",
       [&] {
         return check_list<battle_log_entry>(typed.wait(typed.battle_log("#2PP")), [](battle_log_entry const& b) {
           EXPECT_NE(b.battle_type, battle_type::unknown);
         });
       }},
      {"league_history", [&] { return check_list<league_history_entry>(typed.wait(typed.league_history("#2PP"))); }},
      {"league_tiers",
       [&] {
         auto r = typed.wait(typed.league_tiers());
         if (r) {
           EXPECT_EQ(r->items.size(), 35U);
         }
         return check_list<league_tier>(r, id_named);
       }},
      {"league_tier", [&] { return league_id_is(105000034)(typed.wait(typed.league_tier(105000034))); }},
      {"leagues", [&] { return check_list<league>(typed.wait(typed.leagues()), id_named); }},
      {"league", [&] { return league_id_is(29000022)(typed.wait(typed.league(29000022))); }},
      {"league_seasons",
       [&] {
         return check_list<league_season>(typed.wait(typed.league_seasons(29000022)),
                                          [](league_season const& s) { EXPECT_FALSE(s.id.empty()); });
       }},
      {"league_season_rankings",
       [&] {
         return check_list<player_ranking>(typed.wait(typed.league_season_rankings(29000022, "2026-02-23")),
                                           [](player_ranking const& p) { EXPECT_GT(p.rank, 0); });
       }},
      {"ranked_league_group",
       [&] {
         auto r = typed.wait(typed.ranked_league_group("#2PP", "1773032400"));
         if (!r) return r.error().describe();
         EXPECT_TRUE(r->members && !r->members->empty());
         return std::string{};
       }},
      {"war_leagues", [&] { return check_list<war_league>(typed.wait(typed.war_leagues()), id_named); }},
      {"war_league", [&] { return league_id_is(48000012)(typed.wait(typed.war_league(48000012))); }},
      {"capital_leagues", [&] { return check_list<capital_league>(typed.wait(typed.capital_leagues()), id_named); }},
      {"capital_league", [&] { return league_id_is(85000000)(typed.wait(typed.capital_league(85000000))); }},
      {"builder_base_leagues",
       [&] { return check_list<builder_base_league>(typed.wait(typed.builder_base_leagues()), id_named); }},
      {"builder_base_league", [&] { return league_id_is(44000000)(typed.wait(typed.builder_base_league(44000000))); }},
      {"locations",  // real data has regions without a name
       [&] {
         return check_list<location>(typed.wait(typed.locations()),
                                     [](location const& l) { EXPECT_GE(l.id, 32000000); });
       }},
      {"location",
       [&] {
         auto r = typed.wait(typed.location(32000007));
         if (!r) return r.error().describe();
         EXPECT_EQ(r->id, 32000007);
         EXPECT_TRUE(r->is_country);
         return std::string{};
       }},
      {"clan_rankings",
       [&] {
         return check_list<clan_ranking>(typed.wait(typed.clan_rankings(32000007)),
                                         [](clan_ranking const& c) { EXPECT_TRUE(c.clan_points); });
       }},
      {"player_rankings",
       [&] {
         return check_list<player_ranking>(typed.wait(typed.player_rankings(32000007)),
                                           [](player_ranking const& p) { EXPECT_TRUE(p.trophies); });
       }},
      {"clan_builder_base_rankings",
       [&] {
         return check_list<clan_ranking>(typed.wait(typed.clan_builder_base_rankings(location_ref::global())),
                                         [](clan_ranking const& c) { EXPECT_TRUE(c.clan_builder_base_points); });
       }},
      {"player_builder_base_rankings",
       [&] {
         return check_list<player_ranking>(typed.wait(typed.player_builder_base_rankings(32000007)),
                                           [](player_ranking const& p) { EXPECT_TRUE(p.builder_base_trophies); });
       }},
      {"capital_rankings",
       [&] {
         return check_list<clan_ranking>(typed.wait(typed.capital_rankings(32000007)),
                                         [](clan_ranking const& c) { EXPECT_TRUE(c.clan_capital_points); });
       }},
      {"gold_pass",
       [&] {
         auto r = typed.wait(typed.gold_pass());
         if (!r) return r.error().describe();
         EXPECT_FALSE(r->start_time.empty());
         EXPECT_LT(r->start_time, r->end_time);
         return std::string{};
       }},
      {"clan_labels", [&] { return check_list<label>(typed.wait(typed.clan_labels()), named); }},
      {"player_labels", [&] { return check_list<label>(typed.wait(typed.player_labels()), named); }},
  };
  EXPECT_EQ(operations.size(), 35U);
  for (auto const& op : operations) {
    SCOPED_TRACE(op.name);
    EXPECT_EQ(op.run(), "") << op.name;
  }
  EXPECT_EQ(c.statistics().sent, 35U);
}

TEST(coc_api, CoroutineFormAwaitedFromAnotherExecutor) {
  client c{options_for(shared_sandbox().server.port())};
  api typed{c};
  asio::io_context mine;
  auto future = asio::co_spawn(mine, typed.player("#2PP"), asio::use_future);
  mine.run();
  auto p = future.get();
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->name, "Morgil");
  EXPECT_FALSE(p->raw.from_cache());
  EXPECT_GT(p->raw.max_age(), 0s);

  // The same call again: answered from the cache, the model says so.
  auto again = typed.wait(typed.player("#2PP"));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->raw.from_cache());
  EXPECT_EQ(again->raw.text(), p->raw.text());
}

// A bot's coroutine awaits paged calls without a page: the default argument is a temporary in
// the co_await operand, which g++ 12 destroyed twice while it was a braced aggregate (`= {}`):
// "free(): invalid pointer" on the first call.
asio::awaitable<std::size_t> members_and_wars(api* typed, client* raw) {
  auto members = co_await typed->clan_members("#29Y8PRCJR");
  auto wars = co_await typed->war_log("#29Y8PRCJR");
  auto raw_members = co_await raw->clan_members("#29Y8PRCJR");
  if (!members || !wars || !raw_members) co_return 0;
  co_return members->items.size() + wars->items.size();
}

TEST(coc_api, PagedCallsWithoutAPageAwaitedInACoroutine) {
  client c{options_for(shared_sandbox().server.port())};
  api typed{c};
  asio::io_context mine;
  auto future = asio::co_spawn(mine, members_and_wars(&typed, &c), asio::use_future);
  mine.run();
  EXPECT_GT(future.get(), 0U);
}

TEST(coc_api, BlockingClientReadsLikeAScript) {
  auto const base = "http://127.0.0.1:" + std::to_string(shared_sandbox().server.port()) + "/v1";
  blocking_client coc{test_key, base.c_str()};
  auto p = coc.player("#2PP");
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->name, "Morgil");
  auto members = coc.clan_members("#29Y8PRCJR");  // default paging
  ASSERT_TRUE(members) << members.error().describe();
  EXPECT_FALSE(members->items.empty());
  auto two = coc.clan_members("#29Y8PRCJR", paging{.limit = 2});  // forwarded: name the type
  ASSERT_TRUE(two) << two.error().describe();
  EXPECT_EQ(two->items.size(), 2U);
  auto missing = coc.player("#2PPP");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);
  EXPECT_THROW((void)coc.player("#2PPP").value(), api_exception);
  EXPECT_THROW(blocking_client(nullptr), std::invalid_argument);
  EXPECT_THROW(blocking_client(""), std::invalid_argument);
}

asio::awaitable<std::size_t> walk_members(api* typed, std::vector<std::size_t>* page_sizes) {
  item_pager<clan_member> pages{[typed](paging p) { return typed->clan_members("#29Y8PRCJR", std::move(p)); }, 1};
  while (auto page = co_await pages.next()) {
    if (!*page) co_return 0;
    page_sizes->push_back((*page)->items.size());
  }
  co_return pages.pages();
}

TEST(coc_api, TypedPagesFollowTheCursorsToTheEnd) {
  client c{options_for(shared_sandbox().server.port())};
  api typed{c};
  auto everyone = typed.wait(typed.clan_members("#29Y8PRCJR"));
  ASSERT_TRUE(everyone) << everyone.error().describe();
  auto const total = everyone->items.size();
  ASSERT_GT(total, 3U);  // more than one page of each walk below

  std::vector<std::size_t> sizes;
  auto const pages = c.wait(walk_members(&typed, &sizes));
  EXPECT_EQ(pages, total);  // one member per page
  EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}), total);

  auto all =
      c.wait(all_of<clan_member>([&typed](paging p) { return typed.clan_members("#29Y8PRCJR", std::move(p)); }, 3));
  ASSERT_TRUE(all) << all.error().describe();
  ASSERT_EQ(all->size(), total);
  for (std::size_t i = 0; i < total; ++i) EXPECT_EQ((*all)[i].tag, everyone->items[i].tag);

  auto missing = c.wait(all_of<clan_member>([&typed](paging p) { return typed.clan_members("#2PPP", std::move(p)); }));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);
}

TEST(coc_api, ApiErrorsPassThrough) {
  client c{options_for(shared_sandbox().server.port())};
  api typed{c};
  auto missing = typed.wait(typed.player("#2PPP"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, error_kind::not_found);
  auto log = typed.wait(typed.war_log("#2PP"));
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().kind, error_kind::private_war_log);
  EXPECT_THROW((void)typed.wait(typed.location(1)).value(), api_exception);
}

TEST(coc_api, BodyThatIsNotTheModelIsADecodeError) {
  http::testing::running_server server;
  server.routes->get("/v1/{rest...}", http::sync_handler{[](http::request const& r) {
                       if (r.path == "/v1/players/%232PP")
                         return http::response::json(200, R"({"tag":"#2PP","name":"A","trophies":"many"})");
                       return http::response::json(200, R"({"tag":"#2PP","name":"The Ord)");  // cut short
                     }});
  server.start();
  client c{options_for(server.port())};
  api typed{c};

  auto p = typed.wait(typed.player("#2PP"));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, error_kind::decode);
  EXPECT_EQ(p.error().status, 200U);
  EXPECT_EQ(p.error().path, "/players/#2PP");
  EXPECT_NE(p.error().message.find("at trophies"), std::string::npos) << p.error().message;

  auto cl = typed.wait(typed.clan("#2PP"));
  ASSERT_FALSE(cl);
  EXPECT_EQ(cl.error().kind, error_kind::decode);
  EXPECT_EQ(cl.error().path, "/clans/#2PP");
}

TEST(coc_api, WaitOnTheClientsOwnThreadIsRefused) {
  client c{options_for(shared_sandbox().server.port())};
  api typed{c};
  // A raw call whose continuation, on the client's thread, tries to block on a typed call.
  std::string what;
  auto inner = [](api* a, std::string* out) -> client::call {
    try {
      (void)a->wait(a->gold_pass());
    } catch (std::logic_error const& e) {
      *out = e.what();
    }
    co_return raw_response{};
  };
  (void)c.wait(inner(&typed, &what));
  EXPECT_NE(what.find("own thread"), std::string::npos) << what;
}

}  // namespace
}  // namespace overworld::coc
