#include "entities.hpp"

#include "build.hpp"
#include "calendar.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>

namespace overworld::sandbox::detail {

namespace {

std::vector<references::item> parsed(id_table const& table) {
  std::vector<references::item> out;
  for (auto const& [id, body] : table.by_id) {
    boost::system::error_code ec;
    auto v = json::parse(*body, ec);
    if (!ec && v.is_object()) out.push_back({std::move(v.get_object()), *body});
  }
  return out;
}

references::item const* pick(std::vector<references::item> const& list, std::int64_t value, std::int64_t top) {
  if (list.empty()) return nullptr;
  auto const n = static_cast<std::int64_t>(list.size());
  auto const i = std::clamp<std::int64_t>(value * n / std::max<std::int64_t>(top, 1), 0, n - 1);
  return &list[static_cast<std::size_t>(i)];
}

std::vector<std::size_t> some(std::size_t of, random_numbers& rng) {
  std::vector<std::size_t> chosen;
  if (of == 0) return chosen;
  auto const count = rng.between(0, 3);
  for (std::int64_t i = 0; i < count; ++i) {
    auto const k = static_cast<std::size_t>(rng.next() % of);
    if (std::find(chosen.begin(), chosen.end(), k) == chosen.end()) chosen.push_back(k);
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

/// Clan points as the game weighs members: the best ten count half, the next ten a quarter, …
std::int64_t weighted_points(std::vector<std::int64_t> trophies) {
  std::sort(trophies.rbegin(), trophies.rend());
  constexpr std::array<int, 5> percent{50, 25, 12, 10, 3};
  std::int64_t total = 0;
  for (std::size_t i = 0; i < trophies.size(); ++i)
    total += trophies[i] * percent[std::min<std::size_t>(i / 10, 4)] / 100;
  return total;
}

constexpr std::array<std::string_view, 24> syllables{"ka",  "lo",  "mi", "ra",  "ven", "tor", "lyn",  "dar",
                                                     "shi", "ko",  "zu", "bel", "mor", "fin", "gal",  "ri",
                                                     "sa",  "tek", "vo", "ul",  "an",  "eth", "quin", "ro"};
constexpr std::array<std::string_view, 8> epithets{"Brave", "Swift", "Iron", "Silent", "Lucky", "Red", "Old", "Wild"};
constexpr std::array<std::string_view, 6> frequencies{
    "always", "moreThanOncePerWeek", "oncePerWeek", "lessThanOncePerWeek", "never", "unknown"};
constexpr std::array<std::string_view, 9> district_names{"Capital Peak",   "Barbarian Camp",     "Wizard Valley",
                                                         "Balloon Lagoon", "Builder's Workshop", "Dragon Cliffs",
                                                         "Golem Quarry",   "Skeleton Park",      "Goblin Mines"};

constexpr std::string_view tag_alphabet = "0289PYLQGRJCUV";
constexpr std::uint64_t ranked_group_base = 0x6000'0000'0000ULL;

}  // namespace

references::references(dataset const& data)
    : tiers_(parsed(*data.league_tiers)),
      builder_(parsed(*data.builder_base_leagues)),
      war_(parsed(*data.war_leagues)),
      capital_(parsed(*data.capital_leagues)),
      clan_labels_(parsed(*data.clan_labels)),
      player_labels_(parsed(*data.player_labels)) {
  for (auto const& [id, body] : data.locations->by_id) {
    boost::system::error_code ec;
    auto v = json::parse(*body, ec);
    if (!ec && v.is_object()) locations_.emplace(id, std::move(v.get_object()));
  }
}

references::item const* references::league_tier(std::int64_t trophies) const {
  if (tiers_.empty()) return nullptr;
  if (trophies >= 5000) return &tiers_.back();
  if (trophies < 100 || tiers_.size() < 3) return &tiers_.front();
  auto const between = static_cast<std::int64_t>(tiers_.size()) - 2;  // the tiers below Legend
  return &tiers_[static_cast<std::size_t>(1 +
                                          std::clamp<std::int64_t>((trophies - 100) * between / 4900, 0, between - 1))];
}
references::item const* references::builder_base_league(std::int64_t trophies) const {
  return pick(builder_, trophies, 6000);
}
json::object references::war_league(std::int64_t clan_level) const {
  auto const* i = pick(war_, clan_level, 31);
  return i ? i->object : json::object{};
}
json::object references::capital_league(std::int64_t points) const {
  auto const* i = pick(capital_, points, 5000);
  return i ? i->object : json::object{};
}
json::array references::clan_labels(random_numbers& rng) const {
  json::array out;
  for (auto k : some(clan_labels_.size(), rng)) out.push_back(clan_labels_[k].object);
  return out;
}
std::string references::player_labels(random_numbers& rng) const {
  std::string out = "[";
  for (auto k : some(player_labels_.size(), rng)) {
    if (out.size() > 1) out += ',';
    out += player_labels_[k].text;
  }
  return out + "]";
}
std::optional<json::object> references::location(std::int64_t id) const {
  auto it = locations_.find(id);
  if (it == locations_.end()) return std::nullopt;
  return it->second;
}

std::string made_up_name(random_numbers& rng) {
  std::string name;
  auto const parts = rng.between(2, 3);
  for (std::int64_t i = 0; i < parts; ++i) name += syllables[rng.next() % syllables.size()];
  name[0] = static_cast<char>(name[0] - 'a' + 'A');
  if (rng.chance(25)) name = std::string{epithets[rng.next() % epithets.size()]} + " " + name;
  if (rng.chance(15)) name += " " + std::to_string(rng.between(1, 99));
  return name;
}

json::object made_up_badge(std::uint64_t n) {
  auto const url = [n](char const* size) {
    return "https://api-assets.clashofclans.com/badges/" + std::string{size} + "/sandbox-" + std::to_string(n % 97) +
           ".png";
  };
  return {{"small", url("70")}, {"large", url("512")}, {"medium", url("200")}};
}

json::object clan_reference(json::object const& clan) {
  json::object ref;
  for (char const* key : {"tag", "name", "clanLevel", "badgeUrls"}) {
    if (auto const* v = clan.if_contains(key)) ref[key] = *v;
  }
  return ref;
}

json::object member_entry(json::object const& player, std::string const& role) {
  json::object m;
  auto const copy = [&](char const* key) {
    if (auto const* v = player.if_contains(key)) m[key] = *v;
  };
  copy("tag");
  copy("name");
  m["role"] = role;
  copy("townHallLevel");
  copy("expLevel");
  copy("league");
  copy("leagueTier");
  m["trophies"] = int_of(player, "trophies");
  m["builderBaseTrophies"] = int_of(player, "builderBaseTrophies");
  m["clanRank"] = 0;
  m["previousClanRank"] = 0;
  m["donations"] = int_of(player, "donations");
  m["donationsReceived"] = int_of(player, "donationsReceived");
  copy("playerHouse");
  copy("builderBaseLeague");
  return m;
}

std::optional<std::uint64_t> id_from_tag(std::string_view tag) {
  if (tag.starts_with('#')) tag.remove_prefix(1);
  if (tag.empty() || tag.size() > 16) return std::nullopt;
  std::uint64_t id = 0;
  for (char c : tag) {
    auto const digit = tag_alphabet.find(c);
    if (digit == std::string_view::npos) return std::nullopt;
    id = id * tag_alphabet.size() + digit;
  }
  return id;
}

std::string ranked_group_tag(std::uint32_t order) { return tag_from_id(ranked_group_base + order / ranked_group_size); }

std::optional<std::uint32_t> ranked_group_index(std::string const& tag) {
  auto const id = id_from_tag(tag);
  if (!id || *id < ranked_group_base || *id >= ranked_group_base + 0x1'0000'0000ULL) return std::nullopt;
  return static_cast<std::uint32_t>(*id - ranked_group_base);
}

world_builder::world_builder(dataset& data, references const& refs) : data_(data), refs_(refs) {}

player_facts& world_builder::player(std::string const& tag) {
  auto [it, inserted] = player_index_.try_emplace(tag, players_.size());
  if (inserted) {
    players_.emplace_back().tag = tag;
    players_.back().recorded = data_.player(tag) && data_.player(tag)->profile;
  }
  return players_[it->second];
}

clan_facts& world_builder::clan(std::string const& tag) {
  auto [it, inserted] = clan_index_.try_emplace(tag, clans_.size());
  if (inserted) {
    clans_.emplace_back().tag = tag;
    clans_.back().recorded = data_.clan(tag) && data_.clan(tag)->profile;
    clan_tags_.push_back(tag);
  }
  return clans_[it->second];
}

bool world_builder::assign(std::string const& clan_tag, std::string const& player_tag, std::string const& role) {
  auto& p = player(player_tag);
  auto& c = clan(clan_tag);
  if (!p.clan.empty() || c.closed || c.members.size() >= max_members) return p.clan == clan_tag;
  p.clan = clan_tag;
  if (!role.empty()) p.role = role;
  c.members.push_back(player_tag);
  return true;
}

std::string world_builder::fresh_tag(random_numbers& rng, std::uint64_t base) {
  for (;;) {
    auto tag = tag_from_id(base + rng.next() % 0x10'0000'0000ULL);
    if (!player_index_.contains(tag) && !clan_index_.contains(tag) && !data_.player(tag) && !data_.clan(tag))
      return tag;
  }
}

void world_builder::fill(player_facts& p) const {
  auto rng = stream(data_.seed, "player", p.tag);
  if (p.name.empty()) p.name = made_up_name(rng);
  if (p.town_hall <= 0) p.town_hall = std::min<std::int64_t>(17, rng.between(3, 17) + rng.between(0, 3) / 3);
  if (p.exp_level <= 0) p.exp_level = p.town_hall * 13 + rng.between(0, 40);
  if (!p.trophies) p.trophies = std::max<std::int64_t>(0, p.town_hall * 320 + rng.between(-600, 600));
  if (!p.builder_base_trophies) p.builder_base_trophies = rng.between(0, 5500);
  if (!p.donations) p.donations = rng.between(0, 2500);
  if (!p.donations_received) p.donations_received = rng.between(0, 2500);
  if (!p.attack_wins) p.attack_wins = rng.between(0, 300);
  if (!p.defense_wins) p.defense_wins = rng.between(0, 40);
}

void world_builder::fill(clan_facts& c) const {
  auto rng = stream(data_.seed, "clan", c.tag);
  if (c.name.empty()) c.name = made_up_name(rng);
  if (c.level <= 0) c.level = rng.between(1, 30);
  if (!c.badge) c.badge = made_up_badge(hash_text(c.tag));
  if (c.type.empty()) c.type = rng.chance(70) ? "open" : rng.chance(50) ? "inviteOnly" : "closed";
  if (c.war_frequency.empty()) c.war_frequency = frequencies[rng.next() % frequencies.size()];
  if (c.description.empty()) c.description = "A clan of the Overworld sandbox.";
  if (!c.labels) c.labels = refs_.clan_labels(rng);
  if (c.known && !c.war_log_public) {
    if (auto const* pub = c.known->if_contains("isWarLogPublic"); pub && pub->is_bool())
      c.war_log_public = pub->get_bool();
  }
  if (!c.war_log_public) c.war_log_public = rng.next() % 4 != 0;
  if (!c.capital_points) c.capital_points = rng.between(0, 5000);
  if (!c.wanted) c.wanted = rng.between(10, 50);
}

std::string world_builder::render(player_facts const& p, std::int64_t now) const {
  auto rng = stream(data_.seed, "player profile", p.tag);
  auto const trophies = *p.trophies;
  auto const builder = *p.builder_base_trophies;
  clan_facts const* clan = p.clan.empty() ? nullptr : &clans_[clan_index_.at(p.clan)];
  json_text o;
  o.open()
      .text("tag", p.tag)
      .text("name", p.name)
      .number("townHallLevel", p.town_hall)
      .number("expLevel", p.exp_level)
      .number("trophies", trophies)
      .number("bestTrophies", trophies + rng.between(0, 400))
      .number("warStars", rng.between(0, p.town_hall * 90))
      .number("attackWins", *p.attack_wins)
      .number("defenseWins", *p.defense_wins)
      .number("builderHallLevel", std::clamp<std::int64_t>(p.town_hall - 3, 1, 10))
      .number("builderBaseTrophies", builder)
      .number("bestBuilderBaseTrophies", builder + rng.between(0, 300));
  if (clan) o.text("role", p.role.empty() ? std::string_view{"member"} : std::string_view{p.role});
  o.text("warPreference", rng.chance(60) ? "in" : "out")
      .number("donations", *p.donations)
      .number("donationsReceived", *p.donations_received)
      .number("clanCapitalContributions", rng.between(0, 400000));
  if (clan) {
    json_text ref;
    ref.open().text("tag", clan->tag).text("name", clan->name).number("clanLevel", clan->level);
    if (clan->badge) ref.raw("badgeUrls", compact(*clan->badge));
    o.raw("clan", ref.close().take());
  }
  if (auto const* tier = refs_.league_tier(trophies)) o.raw("leagueTier", tier->text);
  if (auto const* league = refs_.builder_base_league(builder)) o.raw("builderBaseLeague", league->text);
  auto const* known = data_.player(p.tag);
  auto const order = known ? known->order : static_cast<std::uint32_t>(data_.player_order->size());
  auto const week = calendar::ranked_week(now);
  o.text("currentLeagueGroupTag", ranked_group_tag(order))
      .number("currentLeagueSeasonId", week)
      .text("previousLeagueGroupTag", ranked_group_tag(order))
      .number("previousLeagueSeasonId", week - calendar::week)
      .raw("achievements", "[]")
      .raw("labels", refs_.player_labels(rng));
  for (char const* list : {"troops", "heroes", "heroEquipment", "spells"}) o.raw(list, "[]");
  return o.close().take();
}

json::object world_builder::member(player_facts const& p) const {
  // The fields member_entry takes from a profile, so that the entry is the one join_clan makes.
  json::object o{{"tag", p.tag}, {"name", p.name}, {"townHallLevel", p.town_hall}, {"expLevel", p.exp_level}};
  if (auto const* tier = refs_.league_tier(*p.trophies)) o["leagueTier"] = tier->object;
  o["trophies"] = *p.trophies;
  o["builderBaseTrophies"] = *p.builder_base_trophies;
  o["donations"] = *p.donations;
  o["donationsReceived"] = *p.donations_received;
  if (auto const* league = refs_.builder_base_league(*p.builder_base_trophies)) o["builderBaseLeague"] = league->object;
  return member_entry(o, p.role.empty() ? std::string{"member"} : p.role);
}

json::object world_builder::render(clan_facts const& c, json::array member_list) const {
  auto rng = stream(data_.seed, "clan profile", c.tag);
  std::vector<std::int64_t> trophies, builder;
  for (auto const& m : member_list) {
    trophies.push_back(int_of(m.as_object(), "trophies"));
    builder.push_back(int_of(m.as_object(), "builderBaseTrophies"));
  }
  bool const open_log = *c.war_log_public;
  auto const war_wins = rng.between(0, c.level * 40);
  json::object o{{"tag", c.tag}, {"name", c.name}, {"type", c.type}, {"description", c.description}};
  if (c.location) o["location"] = *c.location;
  o["isFamilyFriendly"] = rng.chance(20);
  o["badgeUrls"] = *c.badge;
  o["clanLevel"] = c.level;
  o["clanPoints"] = c.clan_points.value_or(weighted_points(trophies));
  o["clanBuilderBasePoints"] = c.builder_base_points.value_or(weighted_points(builder));
  o["clanCapitalPoints"] = *c.capital_points;
  if (auto league = refs_.capital_league(*c.capital_points); !league.empty()) o["capitalLeague"] = std::move(league);
  o["requiredTrophies"] = rng.between(0, 30) * 100;
  o["warFrequency"] = c.war_frequency;
  o["warWinStreak"] = rng.between(0, 8);
  o["warWins"] = war_wins;
  if (open_log) {
    o["warTies"] = rng.between(0, war_wins / 20 + 1);
    o["warLosses"] = rng.between(0, war_wins / 2 + 1);
  }
  o["isWarLogPublic"] = open_log;
  if (auto league = c.war_league ? *c.war_league : refs_.war_league(c.level); !league.empty()) {
    o["warLeague"] = std::move(league);
  }
  o["members"] = static_cast<std::int64_t>(member_list.size());
  o["memberList"] = std::move(member_list);
  o["labels"] = *c.labels;
  o["requiredBuilderBaseTrophies"] = rng.between(0, 20) * 100;
  o["requiredTownhallLevel"] = rng.between(1, 14);
  auto const hall = std::clamp<std::int64_t>(c.level / 3, 1, 10);
  json::array districts;
  for (std::size_t d = 0; d < district_names.size(); ++d) {
    if (d > static_cast<std::size_t>(hall)) break;
    districts.push_back(json::object{{"id", 70000000 + static_cast<std::int64_t>(d)},
                                     {"name", district_names[d]},
                                     {"districtHallLevel", d == 0 ? hall : std::max<std::int64_t>(1, hall - 1)}});
  }
  o["clanCapital"] = json::object{{"capitalHallLevel", hall}, {"districts", std::move(districts)}};
  if (c.known) {
    for (auto const& [key, value] : *c.known) {
      if (key != "members" && key != "memberList" && key != "isWarLogPublic") o[key] = value;
    }
  }
  return o;
}

void world_builder::write(std::int64_t now) {
  // Clans first: their fillers become players, and players name their clan.
  // By index: clan() may append to clans_ (not for these tags, but a reference would not say so).
  for (std::size_t i = 0; i < clans_.size(); ++i) {  // NOLINT(modernize-loop-convert)
    if (clans_[i].recorded) continue;
    fill(clans_[i]);
    auto rng = stream(data_.seed, "fillers", clans_[i].tag);
    auto const wanted = std::clamp<std::int64_t>(*clans_[i].wanted, 1, static_cast<std::int64_t>(max_members));
    while (static_cast<std::int64_t>(clans_[i].members.size()) < wanted) {
      auto const tag = fresh_tag(rng, 0x100'0000'0000ULL);
      assign(clans_[i].tag, tag);
    }
    // One leader; the others take a role from the seed.
    auto const& c = clans_[i];
    bool led = std::any_of(c.members.begin(), c.members.end(),
                           [&](std::string const& t) { return player(t).role == "leader"; });
    for (auto const& tag : c.members) {
      auto& p = player(tag);
      if (!p.role.empty()) continue;
      auto const r = rng.between(0, 99);
      p.role = !led ? "leader" : r < 10 ? "coLeader" : r < 35 ? "admin" : "member";
      led = true;
    }
  }
  for (auto& p : players_) {
    if (p.recorded) continue;
    fill(p);
    add_player_profile(data_, p.tag, share(render(p, now)));
    // The in-game token a made-up player's owner would copy: verifytoken accepts it.
    data_.players[p.tag].verify_token = "sandbox-" + p.tag.substr(1);
  }
  for (auto const& c : clans_) {
    if (c.recorded) continue;
    json::array list;
    for (auto const& tag : c.members) {
      auto const i = player_index_.at(tag);
      if (!players_[i].recorded) {
        list.push_back(member(players_[i]));
        continue;
      }
      boost::system::error_code ec;
      auto recorded = json::parse(*data_.player(tag)->profile, ec);
      if (!ec && recorded.is_object()) {
        list.push_back(member_entry(recorded.get_object(), string_of(recorded.get_object(), "role")));
      }
    }
    put_clan(data_, render(c, std::move(list)));
  }
}

}  // namespace overworld::sandbox::detail
