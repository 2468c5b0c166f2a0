// The events engine against the in-process sandbox: for every kind, a change scripted through the
// admin API makes it fire exactly once with the right fields. The test's clock drives both the
// sandbox and the engine: a step is "move past the answers' max-age, poll what is due".
#include "events_support.hpp"

#include <gtest/gtest.h>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace overworld::coc::events::testing {
namespace {

using sandbox::testing::in_path;

class events_test : public sandbox::testing::admin_test {
 protected:
  void SetUp() override {
    clans = public_clans();
    ASSERT_GE(clans.size(), 3u);
    clan = clans[0];
    other = clans[1];
    for (auto const& tag : clans)
      ASSERT_EQ(admin("PUT", "/clans/" + in_path(tag) + "/war", R"({"state":"notInWar"})"), 200u);
    members = members_of(clan);
    outsider = members_of(other).back();
    ASSERT_GE(members.size(), 3u);
    engine.emplace(s);
  }

  unsigned admin(std::string const& method, std::string const& path, std::string const& body = {}) {
    auto const r = call(method, path, body);
    EXPECT_EQ(r.result_int(), 200) << method << " " << path << ": " << r.body();
    return r.result_int();
  }
  /// Moves the clock past every answer's max-age and polls.
  void later() {
    s.time.advance(std::chrono::hours{1});
    engine->step();
  }
  /// The one event of `k` the last steps made (fails when there are none or several).
  event only(kind k) {
    auto const found = engine->seen->of(k);
    EXPECT_EQ(found.size(), 1u) << name_of(k) << " fired " << found.size() << " times";
    return found.empty() ? event{} : found.front();
  }
  /// Watches with a baseline taken, and nothing seen yet.
  void baseline() {
    engine->step();
    engine->seen->clear();
  }

  std::vector<std::string> clans, members;
  std::string clan, other, outsider;
  std::optional<stepped_engine> engine;
};

TEST_F(events_test, MembersJoinLeaveChangeRoleAndDonate) {
  ASSERT_TRUE(engine->events.watch_clan(clan));
  baseline();
  admin("POST", "/clans/" + in_path(clan) + "/members", R"({"tag":")" + outsider + R"("})");
  admin("DELETE", "/clans/" + in_path(clan) + "/members/" + in_path(members[0]));
  admin("PATCH", "/clans/" + in_path(clan) + "/members/" + in_path(members[1]), R"({"role":"coLeader"})");
  admin("PATCH", "/players/" + in_path(members[2]), R"({"add":{"donations":7}})");
  admin("PATCH", "/players/" + in_path(members[1]), R"({"add":{"donationsReceived":4}})");
  later();
  auto const join = only(kind::member_join);
  EXPECT_EQ(join.tag, outsider);
  EXPECT_EQ(join.watched, clan);
  EXPECT_FALSE(join.name.empty());
  EXPECT_EQ(only(kind::member_leave).tag, members[0]);
  auto const role = only(kind::member_role);
  EXPECT_EQ(role.tag, members[1]);
  EXPECT_EQ(role.after, "coLeader");
  auto const given = only(kind::member_donations);
  EXPECT_EQ(given.tag, members[2]);
  EXPECT_TRUE(given.numeric);
  EXPECT_EQ(std::stoi(given.after) - std::stoi(given.before), 7);
  auto const got = only(kind::member_received);
  EXPECT_EQ(got.tag, members[1]);
  EXPECT_EQ(std::stoi(got.after) - std::stoi(got.before), 4);
  EXPECT_EQ(engine->seen->all().size(), 5u);
  later();  // nothing changed since: nothing fires
  EXPECT_EQ(engine->seen->all().size(), 5u);
}

TEST_F(events_test, ClanProfileChanges) {
  ASSERT_TRUE(engine->events.watch_clan(clan));
  baseline();
  auto const type = get_json("/v1/clans/" + in_path(clan)).at("type").as_string() == "closed" ? "open" : "closed";
  admin("PATCH", "/clans/" + in_path(clan),
        R"({"name":"Renamed","description":"new words","type":")" + std::string{type} +
            R"(","badge":"https://example.com/b.png","locationId":32000006,"clanLevel":31,"isWarLogPublic":false})");
  later();
  EXPECT_EQ(only(kind::clan_name).after, "Renamed");
  EXPECT_EQ(only(kind::clan_description).after, "new words");
  EXPECT_EQ(only(kind::clan_type).after, type);
  EXPECT_EQ(only(kind::clan_badge).after, "https://example.com/b.png");
  EXPECT_FALSE(only(kind::clan_location).after.empty());
  EXPECT_EQ(only(kind::clan_level).after, "31");
  auto const log = only(kind::clan_war_log);
  EXPECT_EQ(log.before, "true");
  EXPECT_EQ(log.after, "false");
  EXPECT_EQ(engine->seen->all().size(), 7u);
}

TEST_F(events_test, PlayerChanges) {
  auto const p = members[1];
  ASSERT_TRUE(engine->events.watch_player(p));
  baseline();
  auto const path = "/players/" + in_path(p);
  auto const profile = get_json("/v1" + path);
  auto const town_hall = std::to_string(profile.at("townHallLevel").as_int64() % 17 + 1);
  auto const builder_hall = std::to_string(profile.at("builderHallLevel").as_int64() % 10 + 1);
  admin("PATCH", path, R"({"trophies":4321})");
  admin("PATCH", path + "/profile",
        R"({"name":"Renamed","townHallLevel":)" + town_hall + R"(,"builderHallLevel":)" + builder_hall +
            R"(,"leagueTierId":105000034})");
  admin("PUT", path + "/items", R"({"list":"heroes","name":"Barbarian King","level":90})");
  admin("PUT", path + "/items", R"({"list":"troops","name":"Barbarian","level":11})");
  admin("PUT", path + "/items", R"({"list":"spells","name":"Rage Spell","level":6})");
  admin("PUT", path + "/items", R"({"list":"achievements","name":"Gold Grab","value":1000,"stars":1})");
  admin("POST", "/clans/" + in_path(other) + "/members", R"({"tag":")" + p + R"("})");
  later();
  EXPECT_EQ(only(kind::player_trophies).after, "4321");
  EXPECT_EQ(only(kind::player_town_hall).after, town_hall);
  EXPECT_EQ(only(kind::player_builder_hall).after, builder_hall);
  EXPECT_FALSE(only(kind::player_league).after.empty());
  EXPECT_EQ(only(kind::player_name).after, "Renamed");
  auto const moved = only(kind::player_clan);
  EXPECT_EQ(moved.before, clan);
  EXPECT_EQ(moved.after, other);
  auto const hero = only(kind::player_hero);
  EXPECT_EQ(hero.item, "Barbarian King");
  EXPECT_EQ(hero.after, "90");
  EXPECT_EQ(only(kind::player_troop).item, "Barbarian");
  EXPECT_EQ(only(kind::player_spell).after, "6");
  auto const feat = only(kind::player_achievement);
  EXPECT_EQ(feat.item, "Gold Grab");
  EXPECT_EQ(feat.after, "1000");
  EXPECT_EQ(feat.stars, 1);
  EXPECT_EQ(engine->seen->all().size(), 10u);
}

TEST_F(events_test, AWarFromPreparationToItsEnd) {
  ASSERT_TRUE(engine->events.watch_war(clan));
  baseline();
  auto const war = "/clans/" + in_path(clan) + "/war";
  admin("PUT", war, R"({"state":"preparation","teamSize":5,"opponent":")" + other + R"("})");
  later();
  auto const fresh = only(kind::war_new);
  EXPECT_EQ(fresh.tag, other);
  auto state = only(kind::war_state);
  EXPECT_EQ(state.before, "notInWar");
  EXPECT_EQ(state.after, "preparation");

  engine->seen->clear();
  admin("PUT", war, R"({"state":"inWar"})");
  auto const w = get_json("/v1/clans/" + in_path(clan) + "/currentwar");
  auto const attacker = std::string{w.at("clan").at("members").at(0).at("tag").as_string()};
  auto const defender = std::string{w.at("opponent").at("members").at(0).at("tag").as_string()};
  admin("POST", war + "/attacks",
        R"({"attacker":")" + attacker + R"(","defender":")" + defender + R"(","stars":2,"destructionPercentage":85})");
  later();
  EXPECT_EQ(only(kind::war_state).after, "inWar");
  auto const hit = only(kind::war_attack);
  EXPECT_EQ(hit.tag, attacker);
  EXPECT_EQ(hit.defender, defender);
  EXPECT_EQ(hit.stars, 2);
  EXPECT_EQ(hit.destruction, 85);
  EXPECT_EQ(hit.team, "clan");
  EXPECT_EQ(hit.order, 1);
  EXPECT_TRUE(engine->seen->of(kind::war_new).empty());

  engine->seen->clear();
  admin("PUT", war, R"({"state":"warEnded"})");
  later();
  state = only(kind::war_state);
  EXPECT_EQ(state.before, "inWar");
  EXPECT_EQ(state.after, "warEnded");
  EXPECT_EQ(engine->seen->all().size(), 1u);
}

TEST_F(events_test, ARaidWeekend) {
  ASSERT_TRUE(engine->events.watch_raids(clan));
  baseline();
  auto const raids = "/clans/" + in_path(clan) + "/raids";
  admin("POST", raids);
  later();
  EXPECT_FALSE(only(kind::raid_weekend_start).item.empty());
  engine->seen->clear();
  admin("POST", raids + "/attacks", R"({"attacker":")" + members[0] + R"(","loot":1500})");
  later();
  auto const raid = only(kind::raid_attack);
  EXPECT_EQ(raid.tag, members[0]);
  EXPECT_EQ(raid.after, "1");
  EXPECT_EQ(raid.loot, 1500);
  admin("POST", raids + "/end", R"({"offensiveReward":300})");
  later();
  EXPECT_EQ(only(kind::raid_weekend_end).loot, 1500);
  EXPECT_EQ(engine->seen->all().size(), 2u);
}

TEST_F(events_test, MaintenanceStartsAndEndsOnce) {
  ASSERT_TRUE(engine->events.watch_api());
  ASSERT_TRUE(engine->events.watch_clan(clan));
  ASSERT_TRUE(engine->events.watch_player(members[0]));
  baseline();
  admin("PUT", "/maintenance", R"({"on":true})");
  later();
  later();  // still down: nothing new
  EXPECT_EQ(only(kind::maintenance_start).watched, "");
  EXPECT_TRUE(engine->events.metrics().maintenance);
  admin("PUT", "/maintenance", R"({"on":false})");
  s.time.advance(std::chrono::hours{1});  // past the back-off of the failed polls
  later();
  only(kind::maintenance_end);
  EXPECT_EQ(engine->seen->all().size(), 2u);
}

TEST_F(events_test, OneRequestPerResourceWhateverTheHandlers) {
  collector second;
  engine->events.on({kind::member_join}, [&second](event const& e) { second(e); });
  ASSERT_TRUE(engine->events.watch_clan(clan));
  ASSERT_TRUE(engine->events.watch_clan(clan));  // the same resource: polled once
  baseline();
  auto const sent = engine->client.statistics().sent;
  admin("POST", "/clans/" + in_path(clan) + "/members", R"({"tag":")" + outsider + R"("})");
  later();
  EXPECT_EQ(engine->client.statistics().sent - sent, 1u);
  ASSERT_TRUE(second.wait_for(1));
  EXPECT_EQ(second.all().size(), 1u);
  EXPECT_EQ(engine->events.metrics().watched, 1u);
}

/// A coroutine handler: suspends once on its executor before it keeps the event.
boost::asio::awaitable<void> keep_later(std::shared_ptr<collector> sink, event e) {
  co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
  (*sink)(e);
}

TEST_F(events_test, CoroutineHandlersAreAwaited) {
  auto sink = std::make_shared<collector>();
  // The lambda only returns the coroutine's awaitable: it is not a coroutine itself.
  coroutine handler = [sink](event e) { return keep_later(sink, std::move(e)); };
  engine->events.on({kind::member_join, kind::member_leave}, handler);
  ASSERT_TRUE(engine->events.watch_clan(clan));
  baseline();
  admin("POST", "/clans/" + in_path(clan) + "/members", R"({"tag":")" + outsider + R"("})");
  admin("DELETE", "/clans/" + in_path(clan) + "/members/" + in_path(members[0]));
  later();
  ASSERT_TRUE(sink->wait_for(2));
  auto const got = sink->all();
  EXPECT_EQ(got[0].kind, kind::member_join);  // in order, one at a time
  EXPECT_EQ(got[1].kind, kind::member_leave);
  EXPECT_EQ(got[1].tag, members[0]);
}

TEST_F(events_test, ASlowHandlerLosesItsOwnEventsNotThePolls) {
  // What the handler touches is declared first, so that it outlives the engine (whose destructor
  // waits for a handler that is still running).
  std::mutex gate;
  std::unique_lock hold{gate};  // the handler blocks until the test lets it go
  std::atomic<int> handled{0};
  engine_options o;
  o.handler_threads = 2;  // the stuck handler holds one, the other handler runs on the other
  stepped_engine slow_engine{s, o};
  slow_engine.events.on(
      {kind::member_join, kind::member_leave},
      [&](event const&) {
        std::lock_guard wait{gate};
        ++handled;
      },
      1);
  ASSERT_TRUE(slow_engine.events.watch_clan(clan));
  slow_engine.events.step();
  admin("POST", "/clans/" + in_path(clan) + "/members", R"({"tag":")" + outsider + R"("})");
  admin("DELETE", "/clans/" + in_path(clan) + "/members/" + in_path(members[0]));
  admin("DELETE", "/clans/" + in_path(clan) + "/members/" + in_path(members[1]));
  s.time.advance(std::chrono::hours{1});
  slow_engine.events.step();  // returns although the handler is stuck
  auto const m = slow_engine.events.metrics();
  EXPECT_EQ(m.polls, 2u);
  EXPECT_EQ(m.events, 3u);
  EXPECT_GE(m.dropped, 1u);                    // the stuck one holds one event, its queue one more
  EXPECT_TRUE(slow_engine.seen->wait_for(3));  // the other handler got all three
  hold.unlock();
  EXPECT_LE(m.dropped, 2u);
}

TEST(events_catalogue, NamesGoBothWays) {
  for (auto k : all_kinds()) EXPECT_EQ(kind_named(name_of(k)), k);
  EXPECT_FALSE(kind_named("member_joined"));
  EXPECT_EQ(all_kinds().size(), 35u);
  event e;
  e.kind = kind::war_attack;
  e.watched = "#2PP";
  e.tag = "#8QQ";
  e.name = "Bob \"B\"";
  e.defender = "#9YY";
  e.team = "clan";
  e.stars = 3;
  e.destruction = 100;
  e.order = 4;
  EXPECT_EQ(to_json(e), R"({"event":"war_attack","watched":"#2PP","tag":"#8QQ","name":"Bob \"B\"","defender":"#9YY",)"
                        R"("team":"clan","stars":3,"destruction":100,"order":4,"seen":0,"lag_ms":0})");
  EXPECT_EQ(describe(e), "war_attack #2PP: attack #8QQ Bob \"B\" on #9YY: 3 stars, 100%");
}

}  // namespace
}  // namespace overworld::coc::events::testing
