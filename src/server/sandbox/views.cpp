#include "views.hpp"

#include "build.hpp"
#include "calendar.hpp"
#include "entities.hpp"
#include "random.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <charconv>

namespace overworld::sandbox::detail {

namespace {

/// A whole number field of the player's profile, found in its text: these views are asked for in
/// bulk, and parsing a profile to read one number costs more than the view.
std::int64_t number_in_profile(dataset const& data, std::string const& tag, std::string_view field,
                               std::int64_t fallback) {
  auto const* p = data.player(tag);
  if (!p || !p->profile) return fallback;
  std::string key = "\"";
  key += field;
  key += "\":";
  auto const at = p->profile->find(key);
  if (at == std::string::npos) return fallback;
  std::int64_t n = 0;
  auto const* first = p->profile->data() + at + key.size();
  auto const [end, ec] = std::from_chars(first, p->profile->data() + p->profile->size(), n);
  return ec == std::errc{} && end != first ? n : fallback;
}

json::object profile_of(dataset const& data, std::string const& tag) {
  auto const* p = data.player(tag);
  if (!p || !p->profile) return {};
  boost::system::error_code ec;
  auto v = json::parse(*p->profile, ec);
  return !ec && v.is_object() ? std::move(v.get_object()) : json::object{};
}

/// A player of the world other than `self`, from `rng`.
std::string someone(dataset const& data, random_numbers& rng, std::string const& self) {
  auto const& order = *data.player_order;
  if (order.size() < 2) return self;
  for (;;) {
    auto const& tag = order[rng.next() % order.size()];
    if (tag != self) return tag;
  }
}

/// [{"name":"Gold","amount":…},…]
std::string resources(std::int64_t gold, std::int64_t elixir, std::int64_t dark) {
  return "[{\"name\":\"Gold\",\"amount\":" + std::to_string(gold) +
         "},{\"name\":\"Elixir\",\"amount\":" + std::to_string(elixir) +
         "},{\"name\":\"DarkElixir\",\"amount\":" + std::to_string(dark) + "}]";
}

/// {"items":[…]} of items written already.
std::string items(std::vector<std::string> const& list) {
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    out += list[i];
  }
  return out + "]}";
}

std::int64_t tier_id(std::int64_t trophies) { return 105000000 + std::clamp<std::int64_t>(trophies / 150, 0, 34); }

}  // namespace

std::string battle_log(dataset const& data, std::string const& tag, std::int64_t t) {
  auto shape = stream(data.seed, "battles", tag);
  std::int64_t const every = shape.between(2, 6) * calendar::hour;
  std::int64_t const phase = shape.between(0, every - 1);
  std::int64_t const last = (t - phase) / every;
  auto const town_hall = std::max<std::int64_t>(1, number_in_profile(data, tag, "townHallLevel", 10));
  std::vector<std::string> list;
  for (std::int64_t k = last; k > last - 20; --k) {
    auto rng = stream(data.seed, "battle", tag, static_cast<std::uint64_t>(k));
    bool const ranked = rng.chance(60);
    bool const attack = rng.chance(55);
    auto const stars = rng.between(0, 3);
    auto const destruction = stars == 3 ? 100 : stars * 30 + rng.between(0, 29);
    auto const gold = attack ? town_hall * rng.between(20000, 90000) : 0;
    auto const elixir = attack ? town_hall * rng.between(20000, 90000) : 0;
    auto const dark = attack ? town_hall * rng.between(100, 900) : 0;
    auto const army = "u" + std::to_string(rng.between(1, 20)) + "x" + std::to_string(rng.between(0, 120)) + "s" +
                      std::to_string(rng.between(1, 9)) + "x" + std::to_string(rng.between(0, 20));
    list.push_back(json_text{}
                       .open()
                       .text("battleType", ranked ? "ranked" : "homeVillage")
                       .boolean("attack", attack)
                       .text("armyShareCode", army)
                       .text("opponentPlayerTag", someone(data, rng, tag))
                       .number("stars", stars)
                       .number("destructionPercentage", destruction)
                       .raw("lootedResources", resources(gold, elixir, dark))
                       .raw("extraLootedResources", resources(0, 0, 0))
                       .raw("availableLoot", resources(gold, elixir, dark))
                       .close()
                       .take());
  }
  return items(list);
}

std::string league_history(dataset const& data, std::string const& tag, std::int64_t t) {
  auto const week = calendar::ranked_week(t);
  auto const base = number_in_profile(data, tag, "trophies", 1000);
  std::vector<std::string> list;
  for (std::int64_t k = 8; k >= 1; --k) {
    auto const season = week - k * calendar::week;
    auto rng = stream(data.seed, "ranked week", tag, static_cast<std::uint64_t>(season));
    auto const trophies = std::max<std::int64_t>(0, base + rng.between(-400, 200));
    auto const battles = rng.between(12, 30);
    auto const wins = rng.between(battles / 3, battles);
    auto const defenses = rng.between(10, 30);
    auto const held = rng.between(0, defenses / 2);
    list.push_back(json_text{}
                       .open()
                       .number("leagueSeasonId", season)
                       .number("leagueTrophies", trophies)
                       .number("leagueTierId", tier_id(trophies))
                       .number("placement", rng.between(1, static_cast<std::int64_t>(ranked_group_size)))
                       .number("attackWins", wins)
                       .number("attackLosses", battles - wins)
                       .number("attackStars", wins * 2 + rng.between(0, wins))
                       .number("defenseWins", held)
                       .number("defenseLosses", defenses - held)
                       .number("defenseStars", (defenses - held) * 2)
                       .number("maxBattles", battles)
                       .close()
                       .take());
  }
  return items(list);
}

std::optional<std::string> ranked_group(dataset const& data, std::string const& group_tag, std::int64_t season,
                                        std::string const& player_tag, std::int64_t t) {
  auto const index = ranked_group_index(group_tag);
  if (!index || season != calendar::ranked_week(season) || season > t) return std::nullopt;
  auto const& order = *data.player_order;
  auto const first = static_cast<std::size_t>(*index) * ranked_group_size;
  if (first >= order.size()) return std::nullopt;
  auto const last = std::min(order.size(), first + ranked_group_size);
  json::array members, names;
  bool asked = false;
  for (auto i = first; i < last; ++i) {
    auto const& tag = order[i];
    auto const p = profile_of(data, tag);
    auto rng = stream(data.seed, "ranked member", tag, static_cast<std::uint64_t>(season));
    json::object m{{"playerTag", tag}, {"playerName", string_of(p, "name")}};
    if (auto const* c = p.if_contains("clan"); c && c->is_object()) {
      m["clanTag"] = string_of(c->get_object(), "tag");
      m["clanName"] = string_of(c->get_object(), "name");
    }
    auto const played =
        std::min<std::int64_t>(30, (std::min(t, season + calendar::week) - season) / (5 * calendar::hour));
    auto const wins = played == 0 ? 0 : rng.between(0, played);
    auto const defended = played == 0 ? 0 : rng.between(0, played);
    m["leagueTrophies"] = std::max<std::int64_t>(0, int_of(p, "trophies") / 4 + wins * 40 - (played - wins) * 10);
    m["attackWinCount"] = wins;
    m["attackLoseCount"] = played - wins;
    m["defenseWinCount"] = defended;
    m["defenseLoseCount"] = played - defended;
    members.push_back(std::move(m));
    names.push_back(json::string{string_of(p, "name")});
    asked = asked || tag == player_tag;
  }
  json::array attacks, defenses;
  if (asked && members.size() > 1) {
    auto rng = stream(data.seed, "ranked logs", player_tag, static_cast<std::uint64_t>(season));
    auto const span = std::max<std::int64_t>(1, std::min(t, season + calendar::week) - season);
    for (auto* log : {&attacks, &defenses}) {
      auto const count = std::min<std::int64_t>(span / (6 * calendar::hour), 24);
      for (std::int64_t k = 0; k < count; ++k) {
        auto j = static_cast<std::size_t>(rng.next() % members.size());
        if (members[j].at("playerTag").as_string() == player_tag) j = (j + 1) % members.size();
        auto const stars = rng.between(0, 3);
        log->push_back(json::object{{"opponentPlayerTag", members[j].at("playerTag")},
                                    {"opponentName", names[j]},
                                    {"stars", stars},
                                    {"destructionPercentage", stars == 3 ? 100 : stars * 30 + rng.between(0, 29)},
                                    {"trophies", stars * 13 + rng.between(0, 5)},
                                    {"creationTime", calendar::iso_time(season + rng.between(0, span - 1))}});
      }
    }
  }
  return compact(json::object{
      {"members", std::move(members)}, {"attackLogs", std::move(attacks)}, {"defenseLogs", std::move(defenses)}});
}

std::optional<paged_list> legend_ranking(dataset const& data, std::string const& season) {
  json::string const id{season};
  auto const listed = compact(json::object{{"id", id}});
  auto const& seasons = data.legend_seasons->items;
  if (std::find(seasons.begin(), seasons.end(), listed) == seasons.end()) return std::nullopt;
  auto rng = stream(data.seed, "legend season", season);
  auto const& order = *data.player_order;
  std::vector<std::pair<std::int64_t, std::size_t>> finishers;  // trophies, player
  for (std::size_t i = 0; i < std::min<std::size_t>(200, order.size()); ++i) {
    finishers.emplace_back(rng.between(5000, 6500), static_cast<std::size_t>(rng.next() % order.size()));
  }
  std::sort(finishers.begin(), finishers.end(), [](auto const& a, auto const& b) { return a.first > b.first; });
  paged_list list;
  std::vector<std::size_t> seen;
  for (auto const& [trophies, i] : finishers) {
    if (std::find(seen.begin(), seen.end(), i) != seen.end()) continue;
    seen.push_back(i);
    auto const p = profile_of(data, order[i]);
    json::object item{{"tag", order[i]},
                      {"name", string_of(p, "name")},
                      {"expLevel", int_of(p, "expLevel", 1)},
                      {"trophies", trophies},
                      {"attackWins", rng.between(0, 300)},
                      {"defenseWins", rng.between(0, 30)},
                      {"rank", static_cast<std::int64_t>(seen.size())}};
    if (auto const* c = p.if_contains("clan"); c && c->is_object()) {
      json::object ref{{"tag", string_of(c->get_object(), "tag")}, {"name", string_of(c->get_object(), "name")}};
      if (auto const* badge = c->get_object().if_contains("badgeUrls")) ref["badgeUrls"] = *badge;
      item["clan"] = std::move(ref);
    }
    list.items.push_back(compact(item));
  }
  return list;
}

}  // namespace overworld::sandbox::detail
