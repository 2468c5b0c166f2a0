// Models, field by field: values read from the recorded player and clan, enums with strings this
// SDK does not know, missing optional and required fields, unknown fields and nulls kept, wrong
// types and malformed JSON as decode errors, numbers written back in the form they came.
#include "server/sandbox/support.hpp"

#include <overworld/coc/models/decode.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace overworld::coc {
namespace {

namespace json = boost::json;
using sandbox::testing::fixtures_dir;
using sandbox::testing::read_file;

std::string fixture(char const* name) { return read_file(fixtures_dir() / name); }

template <class T>
std::string error_of(std::string_view body) {
  auto r = decode<T>(body);
  if (r) return "decoded";
  EXPECT_EQ(r.error().kind, error_kind::decode);
  return r.error().message;
}

TEST(coc_models, PlayerFieldsAreRead) {
  auto const body = fixture("player.json");
  auto p = decode<player>(body);
  ASSERT_TRUE(p) << p.error().message;
  auto const expected = json::parse(body).as_object();
  EXPECT_EQ(p->tag, expected.at("tag").as_string());
  EXPECT_EQ(p->name, expected.at("name").as_string());
  EXPECT_EQ(p->town_hall_level, expected.at("townHallLevel").as_int64());
  EXPECT_EQ(p->best_trophies, expected.at("bestTrophies").as_int64());
  EXPECT_EQ(p->role, parse_enum<clan_role>(expected.at("role").as_string()));
  EXPECT_NE(p->role, clan_role::unknown);
  ASSERT_TRUE(p->clan);
  EXPECT_EQ(p->clan->tag, expected.at("clan").at("tag").as_string());
  ASSERT_TRUE(p->clan->badge_urls && p->clan->badge_urls->large);
  EXPECT_EQ(*p->clan->badge_urls->large, expected.at("clan").at("badgeUrls").at("large").as_string());
  ASSERT_TRUE(p->achievements);
  auto const& achievements = expected.at("achievements").as_array();
  ASSERT_EQ(p->achievements->size(), achievements.size());
  for (std::size_t i = 0; i < achievements.size(); ++i) {
    auto const& a = achievements[i].as_object();
    EXPECT_EQ((*p->achievements)[i].name, a.at("name").as_string());
    EXPECT_EQ((*p->achievements)[i].value, a.at("value").as_int64());
    EXPECT_EQ(to_string((*p->achievements)[i].village), a.at("village").as_string());
  }
  // Keys this fixture does not have are absent, not defaulted.
  EXPECT_EQ(p->heroes.has_value(), expected.contains("heroes"));
  EXPECT_EQ(p->legend_statistics.has_value(), expected.contains("legendStatistics"));
  // Every top-level key of the recorded player is a member.
  EXPECT_TRUE(p->extra.empty()) << p->extra.front().first;
}

TEST(coc_models, ClanMembersAndEnumsAreRead) {
  auto c = decode<clan>(fixture("clan.json"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->name, "The Order");
  EXPECT_EQ(c->type, clan_type::closed);
  EXPECT_EQ(c->war_frequency, war_frequency::unknown);  // the API's own "unknown"
  EXPECT_EQ(find_extra(c->extra, "warFrequency"), std::nullopt);
  ASSERT_TRUE(c->member_list);
  EXPECT_EQ(static_cast<int>(c->member_list->size()), c->members);
  int leaders = 0;
  for (auto const& m : *c->member_list) {
    EXPECT_NE(m.role, clan_role::unknown) << m.name;
    leaders += m.role == clan_role::leader;
  }
  EXPECT_EQ(leaders, 1);
  ASSERT_TRUE(c->chat_language);
  EXPECT_EQ(c->chat_language->language_code, "EN");
}

TEST(coc_models, UnknownEnumStringsFallBackAndComeBack) {
  auto const body =
      R"({"tag":"#2PP","name":"A","townHallLevel":17,"expLevel":1,"trophies":1,"bestTrophies":1,"warStars":0,)"
      R"("attackWins":0,"defenseWins":0,"role":"grandElder","warPreference":"maybe",)"
      R"("troops":[{"name":"Barbarian","level":1,"maxLevel":12,"village":"moonBase"}]})";
  auto p = decode<player>(body);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->role, clan_role::unknown);
  EXPECT_EQ(p->war_preference, war_preference::unknown);
  EXPECT_EQ(find_extra(p->extra, "role"), R"("grandElder")");
  ASSERT_TRUE(p->troops);
  EXPECT_EQ(p->troops->front().village, village::unknown);
  EXPECT_EQ(find_extra(p->troops->front().extra, "village"), R"("moonBase")");
  EXPECT_EQ(json::parse(to_json(*p)), json::parse(body));

  // A value set since decoding replaces the kept string.
  p->role = clan_role::co_leader;
  EXPECT_EQ(json::parse(to_json(*p)).at("role"), "coLeader");

  auto w = decode<clan_war>(R"({"state":"inTruce"})");
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->state, war_state::unknown);
  EXPECT_EQ(to_json(*w), R"({"state":"inTruce"})");
}

TEST(coc_models, EnumStringsMatchTheApi) {
  EXPECT_EQ(to_string(clan_role::co_leader), "coLeader");
  EXPECT_EQ(to_string(war_state::war_ended), "warEnded");
  EXPECT_EQ(to_string(war_frequency::more_than_once_per_week), "moreThanOncePerWeek");
  EXPECT_EQ(to_string(battle_type::home_village), "homeVillage");
  EXPECT_EQ(to_string(village::unknown), "unknown");
  EXPECT_EQ(parse_enum<league_group_state>("ended"), league_group_state::ended);
  EXPECT_EQ(parse_enum<war_result>("WIN"), std::nullopt);  // the swagger's spelling is not the API's
  EXPECT_EQ(enum_or_unknown<clan_type>("inviteOnly"), clan_type::invite_only);
  EXPECT_EQ(enum_or_unknown<clan_type>("secret"), clan_type::unknown);
  for (auto v : {raid_state::ongoing, raid_state::ended}) EXPECT_EQ(parse_enum<raid_state>(to_string(v)), v);
  for (auto v : {token_status::ok, token_status::invalid}) EXPECT_EQ(parse_enum<token_status>(to_string(v)), v);
  for (auto v : {battle_modifier::none, battle_modifier::hard_mode}) {
    EXPECT_EQ(parse_enum<battle_modifier>(to_string(v)), v);
  }
}

TEST(coc_models, MissingOptionalFieldsAreEmpty) {
  auto const body = R"({"tag":"#2PP","name":"A","townHallLevel":3,"expLevel":1,"trophies":0,"bestTrophies":0,)"
                    R"("warStars":0,"attackWins":0,"defenseWins":0})";
  auto p = decode<player>(body);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_FALSE(p->clan);
  EXPECT_FALSE(p->role);
  EXPECT_FALSE(p->achievements);
  EXPECT_FALSE(p->league_tier);
  EXPECT_TRUE(p->extra.empty());
  EXPECT_EQ(json::parse(to_json(*p)), json::parse(body));

  auto notinwar = decode<clan_war>(fixture("currentwar_notinwar.json"));
  ASSERT_TRUE(notinwar) << notinwar.error().message;
  EXPECT_EQ(notinwar->state, war_state::not_in_war);
  ASSERT_TRUE(notinwar->clan);
  EXPECT_FALSE(notinwar->clan->tag);
  EXPECT_FALSE(notinwar->start_time);
}

TEST(coc_models, MissingRequiredFieldIsAnError) {
  auto const message = error_of<player>(R"({"tag":"#2PP","townHallLevel":3,"expLevel":1,"trophies":0,)"
                                        R"("bestTrophies":0,"warStars":0,"attackWins":0,"defenseWins":0})");
  EXPECT_NE(message.find("missing field \"name\""), std::string::npos) << message;
  auto const nested = error_of<list<clan_member>>(R"({"items":[{"tag":"#2PP","name":"x","role":"member"}]})");
  EXPECT_NE(nested.find("at items[0]"), std::string::npos) << nested;
  EXPECT_NE(nested.find("missing field"), std::string::npos) << nested;
}

TEST(coc_models, UnknownFieldsAreKeptAtEveryLevel) {
  auto const body = R"({"items":[{"id":56000000,"name":"Clan Wars","sparkle":{"a":[1,2.5,"x",null]},)"
                    R"("iconUrls":{"small":"s","huge":"h"}}],"paging":{"cursors":{}},"generatedAt":"now","n":-3})";
  auto labels = decode<list<label>>(body);
  ASSERT_TRUE(labels) << labels.error().message;
  ASSERT_EQ(labels->items.size(), 1U);
  auto const& l = labels->items.front();
  EXPECT_EQ(l.name, "Clan Wars");
  EXPECT_EQ(find_extra(l.extra, "sparkle"), R"({"a":[1,2.5,"x",null]})");
  ASSERT_TRUE(l.icon_urls);
  EXPECT_EQ(find_extra(l.icon_urls->extra, "huge"), R"("h")");
  EXPECT_EQ(find_extra(labels->extra, "generatedAt"), R"("now")");
  EXPECT_EQ(find_extra(labels->extra, "n"), "-3");
  ASSERT_TRUE(labels->paging && labels->paging->cursors);
  EXPECT_FALSE(labels->paging->cursors->after);
  EXPECT_EQ(json::parse(to_json(*labels)), json::parse(body));
}

// An answer over the size whose parser is kept per thread (4 MiB) is parsed by a parser of its
// own, from a padded copy or in place; a small one after it reuses the thread's parser.
TEST(coc_models, LargeAnswersDecodeLikeSmallOnes) {
  std::string body = R"({"items":[)";
  constexpr int count = 70000;
  for (int i = 0; i < count; ++i) {
    if (i) body += ',';
    body += R"({"id":)" + std::to_string(56000000 + i) + R"(,"name":"Label number )" + std::to_string(i) +
            R"(","iconUrls":{"small":"https://api-assets.clashofclans.com/labels/64/x.png"}})";
  }
  body += R"(],"paging":{"cursors":{}}})";
  ASSERT_GT(body.size(), std::size_t{4} << 20);
  auto copied = decode<list<label>>(std::string_view{body});
  ASSERT_TRUE(copied) << copied.error().message;
  ASSERT_EQ(copied->items.size(), std::size_t{count});
  EXPECT_EQ(copied->items.back().name, "Label number " + std::to_string(count - 1));
  auto shared = std::make_shared<std::string>(body);
  shared->reserve(body.size() + 64);
  auto in_place = decode<list<label>>(std::shared_ptr<std::string const>{shared}, std::chrono::seconds{0}, false);
  ASSERT_TRUE(in_place) << in_place.error().message;
  EXPECT_EQ(in_place->items[12345].id, 56012345);
  auto cut = decode<list<label>>(std::string_view{body}.substr(0, body.size() - 3));
  EXPECT_FALSE(cut);
  auto small = decode<list<label>>(std::string_view{R"({"items":[{"id":1,"name":"A"}],"paging":{"cursors":{}}})"});
  ASSERT_TRUE(small) << small.error().message;
  EXPECT_EQ(small->items.front().name, "A");
}

TEST(coc_models, NullsAreKept) {
  auto const body = R"({"name":"Sweet Victory!","stars":3,"value":10,"target":10,"info":"Win","completionInfo":null,)"
                    R"("village":"home"})";
  auto const wrapped = std::string{R"({"tag":"#2PP","name":"A","townHallLevel":3,"expLevel":1,"trophies":0,)"} +
                       R"("bestTrophies":0,"warStars":0,"attackWins":0,"defenseWins":0,"achievements":[)" + body + "]}";
  auto p = decode<player>(wrapped);
  ASSERT_TRUE(p) << p.error().message;
  auto& a = p->achievements->front();
  EXPECT_FALSE(a.completion_info);
  EXPECT_EQ(find_extra(a.extra, "completionInfo"), "null");
  EXPECT_EQ(json::parse(to_json(*p)), json::parse(wrapped));
  a.completion_info = game_text{"done"};
  EXPECT_EQ(json::parse(to_json(a)).at("completionInfo"), "done");

  // null where a value is required is a type error.
  EXPECT_NE(error_of<location>(R"({"id":1,"name":null,"isCountry":false})").find("at name"), std::string::npos);
}

TEST(coc_models, WrongTypesAreErrorsNamingTheField) {
  auto const base = std::string{R"({"tag":"#2PP","name":"A","townHallLevel":3,"expLevel":1,"bestTrophies":0,)"} +
                    R"("warStars":0,"attackWins":0,"defenseWins":0,)";
  auto m = error_of<player>(base + R"("trophies":"12"})");
  EXPECT_NE(m.find("cannot decode player: at trophies"), std::string::npos) << m;
  m = error_of<player>(
      base + R"("trophies":1,"achievements":[{"name":"x","stars":"3","value":1,"target":1,"village":"home"}]})");
  EXPECT_NE(m.find("at achievements[0].stars"), std::string::npos) << m;
  m = error_of<player>(base + R"("trophies":1,"clan":[]})");
  EXPECT_NE(m.find("at clan"), std::string::npos) << m;
  m = error_of<player>(base + R"("trophies":4294967296})");  // an int member out of range
  EXPECT_NE(m.find("at trophies"), std::string::npos) << m;
  m = error_of<player>(base + R"("trophies":1,"role":7})");  // an enum that is not a string
  EXPECT_NE(m.find("at role"), std::string::npos) << m;
  m = error_of<list<label>>(R"({"items":{}})");
  EXPECT_NE(m.find("cannot decode list of label: at items"), std::string::npos) << m;
  EXPECT_NE(error_of<location>("[]"), "decoded");
  EXPECT_NE(error_of<location>(R"("x")"), "decoded");
}

TEST(coc_models, MalformedJsonIsAnError) {
  for (std::string_view bad :
       {"", " ", "{", "}", "{\"id\":1,\"name\":\"x\",\"isCountry\":false} {}",
        "{\"id\":1,\"name\":\"x\",\"isCountry\":false,}", "{\"id\":1 \"name\":\"x\"}",
        "{\"id\":1,\"name\":\"x\",\"isCountry\":fals}", "{\"id\":1,\"name\":\"x\\q\",\"isCountry\":true}",
        "{\"id\":1,\"name\":\"x\",\"isCountry\":true,\"more\":[1,tru]}",
        "{\"id\":1,\"name\":\"x\",\"isCountry\":true,\"more\":{\"a\" 1}}",
        "{\"id\":1,\"name\":\"x\",\"isCountry\":true,\"more\":01}",
        "{\"id\":1,\"name\":\"\xff\",\"isCountry\":true}"}) {
    EXPECT_NE(error_of<location>(bad), "decoded") << bad;
  }
}

TEST(coc_models, DecimalsAndIntegersKeepTheirForm) {
  for (std::string_view body : {R"({"state":"inWar","clan":{"clanLevel":1,"destructionPercentage":100}})",
                                R"({"state":"inWar","clan":{"clanLevel":1,"destructionPercentage":100.0}})",
                                R"({"state":"inWar","clan":{"clanLevel":1,"destructionPercentage":87.35}})",
                                R"({"state":"inWar","clan":{"clanLevel":1,"destructionPercentage":0.0}})"}) {
    auto w = decode<clan_war>(body);
    ASSERT_TRUE(w) << w.error().message;
    EXPECT_EQ(json::parse(to_json(*w)), json::parse(body)) << to_json(*w);
  }
  auto w = decode<clan_war>(R"({"state":"inWar","clan":{"clanLevel":1,"destructionPercentage":87.5}})");
  ASSERT_TRUE(w);
  EXPECT_DOUBLE_EQ(*w->clan->destruction_percentage, 87.5);
  EXPECT_FALSE(w->clan->destruction_percentage->integer);
}

TEST(coc_models, RawJsonIsSharedAndCarriesTheAnswersFreshness) {
  auto text = std::make_shared<std::string const>(fixture("goldpass.json"));
  auto g = decode<gold_pass_season>(text, std::chrono::seconds{42}, true);
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->raw.text().data(), text->data());  // no copy
  EXPECT_EQ(g->raw.max_age(), std::chrono::seconds{42});
  EXPECT_TRUE(g->raw.from_cache());
  EXPECT_EQ(g->start_time, "20230601T080100.000Z");

  auto l = decode<list<location>>(fixture("locations.json"));
  ASSERT_TRUE(l);
  EXPECT_FALSE(l->raw.empty());
  EXPECT_TRUE(l->items.front().raw.empty());  // items are not decoded on their own
}

TEST(coc_models, ToJsonWritesEditedAndBuiltModels) {
  location where;
  where.id = 32000007;
  where.name = "Tab\t\"quoted\" \\ é";
  where.is_country = true;
  where.country_code = "AF";
  auto const written = to_json(where);
  auto const back = json::parse(written).as_object();
  EXPECT_EQ(back.at("name"), "Tab\t\"quoted\" \\ é");
  EXPECT_EQ(back.at("id"), 32000007);
  EXPECT_FALSE(back.contains("localizedName"));
  auto again = decode<location>(written);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->name, where.name);
  EXPECT_EQ(again->country_code, "AF");
}

TEST(coc_models, DisplayNamesAreTheGames) {
  EXPECT_EQ(display_name(clan_role::admin), "Elder");
  EXPECT_EQ(display_name(clan_role::co_leader), "Co-leader");
  EXPECT_EQ(display_name(clan_role::leader), "Leader");
  EXPECT_EQ(display_name(clan_role::member), "Member");
  EXPECT_EQ(display_name(clan_role::unknown), "Unknown");
  EXPECT_EQ(display_name(war_state::preparation), "Preparation day");
  EXPECT_EQ(display_name(war_state::in_war), "Battle day");
  EXPECT_EQ(display_name(war_result::tie), "Draw");
  EXPECT_EQ(display_name(war_frequency::unknown), "Not set");
  EXPECT_EQ(display_name(war_frequency::more_than_once_per_week), "Twice a week");
  EXPECT_EQ(display_name(clan_type::invite_only), "Invite only");
  EXPECT_EQ(display_name(village::builder_base), "Builder Base");
  // The API's strings are unchanged.
  EXPECT_EQ(to_string(clan_role::admin), "admin");
}

TEST(coc_models, TimesInBothFormsAndBack) {
  using namespace std::chrono;
  auto const t = parse_time("20230511T092258.000Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, sys_days{2023y / May / 11} + 9h + 22min + 58s);
  EXPECT_EQ(format_time(*t), "20230511T092258.000Z");
  EXPECT_EQ(parse_time("20230511T092258Z"), t);
  EXPECT_EQ(parse_time("2023-05-11T09:22:58Z"), t);
  EXPECT_EQ(parse_time("2023-05-11T09:22:58.250Z"), *t + 250ms);
  EXPECT_EQ(format_time(*t + 250ms), "20230511T092258.250Z");
  EXPECT_EQ(parse_time("2024-02-29T00:00:00Z"), timestamp{sys_days{2024y / February / 29}});
  for (auto bad :
       {"", "20230511", "20230511T092258.000", "20230511T092258.000Z ", "2023-05-11T092258Z", "20230231T000000Z",
        "20231301T000000Z", "20230511T246000Z", "2023051lT092258Z", "-0230511T092258Z", "20230511T092258.0Z"}) {
    EXPECT_EQ(parse_time(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(to_time(std::nullopt), std::nullopt);

  // Every time of a recorded war reads (a friendly war of 45 minutes).
  auto w = decode<clan_war>(fixture("currentwar_inwar.json"));
  ASSERT_TRUE(w) << w.error().message;
  auto const start = to_time(w->start_time);
  auto const end = to_time(w->end_time);
  ASSERT_TRUE(start && end && to_time(w->preparation_start_time));
  EXPECT_EQ(format_time(*end), *w->end_time);
  EXPECT_EQ(*end - *start, 45min);
}

}  // namespace
}  // namespace overworld::coc
