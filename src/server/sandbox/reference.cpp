#include "reference.hpp"

#include "build.hpp"

#include <boost/json/array.hpp>

#include <array>
#include <string_view>

namespace overworld::sandbox::detail {

namespace json = boost::json;

namespace {

// Names of the legacy trophy leagues, 29000000 upwards; icons come from the data where seen.
constexpr std::array<std::string_view, 23> legacy_league_names{
    "Unranked",           "Bronze League III",   "Bronze League II",   "Bronze League I",   "Silver League III",
    "Silver League II",   "Silver League I",     "Gold League III",    "Gold League II",    "Gold League I",
    "Crystal League III", "Crystal League II",   "Crystal League I",   "Master League III", "Master League II",
    "Master League I",    "Champion League III", "Champion League II", "Champion League I", "Titan League III",
    "Titan League II",    "Titan League I",      "Legend League"};

constexpr std::array<std::string_view, 11> tier_families{"Skeleton", "Barbarian", "Archer", "Wizard",
                                                         "Valkyrie", "Witch",     "Golem",  "P.E.K.K.A",
                                                         "Titan",    "Dragon",    "Electro"};
constexpr std::array<std::string_view, 12> builder_families{
    "Wood", "Clay", "Stone", "Copper", "Brass", "Iron", "Steel", "Titanium", "Platinum", "Emerald", "Ruby", "Diamond"};
constexpr std::array<std::string_view, 17> clan_label_names{
    "Clan Wars",      "Clan War League", "Trophy Pushing", "Friendly Wars",   "Clan Games",  "Builder Base",
    "Base Designing", "International",   "Farming",        "Donations",       "Friendly",    "Talkative",
    "Underdog",       "Relaxed",         "Competitive",    "Newbie Friendly", "Clan Capital"};
constexpr std::array<std::string_view, 19> player_label_names{
    "Clan Wars",      "Clan War League", "Trophy Pushing",   "Friendly Wars",  "Clan Games",
    "Builder Base",   "Base Designing",  "Farming",          "Active Donator", "Active Daily",
    "Hungry Learner", "Friendly",        "Talkative",        "Teacher",        "Competitive",
    "Veteran",        "Newbie",          "Amateur Attacker", "Clan Capital"};
constexpr std::array<std::string_view, 7> regions{"Europe",    "North America", "South America", "Asia",
                                                  "Australia", "Africa",        "International"};
constexpr std::array<std::string_view, 3> roman{"III", "II", "I"};
constexpr std::array<std::string_view, 5> roman5{"V", "IV", "III", "II", "I"};

std::string icon(std::string_view kind, std::string_view size, std::int64_t id) {
  return "https://api-assets.clashofclans.com/" + std::string{kind} + "/" + std::string{size} + "/sandbox-" +
         std::to_string(id) + ".png";
}

id_table table_of(json::array items) {
  json::value doc = json::object{{"items", std::move(items)}, {"paging", json::object{{"cursors", json::object{}}}}};
  return make_id_table(doc, nullptr);
}

/// Bronze III … Champion I (and more), as war and capital leagues are named.
json::array metal_leagues(std::int64_t first_id, std::size_t count, bool legend) {
  constexpr std::array<std::string_view, 6> metals{"Bronze", "Silver", "Gold", "Crystal", "Master", "Champion"};
  constexpr std::array<std::string_view, 1> titan{"Titan"};
  json::array items{json::object{{"id", first_id}, {"name", "Unranked"}}};
  for (std::size_t i = 0; items.size() < count; ++i) {
    auto const family = i / 3 < metals.size() ? metals[i / 3] : titan[0];
    if (legend && items.size() + 1 == count) {
      items.push_back(
          json::object{{"id", first_id + static_cast<std::int64_t>(items.size())}, {"name", "Legend League"}});
      break;
    }
    items.push_back(json::object{{"id", first_id + static_cast<std::int64_t>(items.size())},
                                 {"name", std::string{family} + " League " + std::string{roman[i % 3]}}});
  }
  return items;
}

json::array league_tiers() {
  json::array items;
  auto const add = [&](std::string const& name) {
    auto const id = 105000000 + static_cast<std::int64_t>(items.size());
    items.push_back(json::object{{"id", id},
                                 {"name", name},
                                 {"iconUrls", json::object{{"small", icon("leaguetiers", "125", id)},
                                                           {"large", icon("leaguetiers", "326", id)}}}});
  };
  add("Unranked");
  for (std::size_t n = 1; n <= 33; ++n) add(std::string{tier_families[(n - 1) / 3]} + " League " + std::to_string(n));
  add("Legend League");
  return items;
}

json::array builder_leagues() {
  json::array items;
  for (std::size_t f = 0; f < builder_families.size(); ++f) {
    std::size_t const divisions = f < 4 ? 5 : f + 1 < builder_families.size() ? 3 : 1;
    for (std::size_t d = 0; d < divisions; ++d) {
      std::string name = std::string{builder_families[f]} + " League";
      if (divisions == 5) name += " " + std::string{roman5[d]};
      if (divisions == 3) name += " " + std::string{roman[d]};
      items.push_back(json::object{{"id", 44000000 + static_cast<std::int64_t>(items.size())}, {"name", name}});
    }
  }
  return items;
}

template <std::size_t N>
json::array labels(std::array<std::string_view, N> const& names, std::int64_t first_id) {
  json::array items;
  for (std::size_t i = 0; i < N; ++i) {
    auto const id = first_id + static_cast<std::int64_t>(i);
    items.push_back(json::object{
        {"id", id},
        {"name", names[i]},
        {"iconUrls", json::object{{"small", icon("labels", "64", id)}, {"medium", icon("labels", "128", id)}}}});
  }
  return items;
}

}  // namespace

id_table legacy_leagues(std::map<std::int64_t, json::object> const& seen) {
  json::array items;
  for (std::size_t i = 0; i < legacy_league_names.size(); ++i) {
    auto const id = 29000000 + static_cast<std::int64_t>(i);
    if (auto it = seen.find(id); it != seen.end()) {
      items.push_back(it->second);
    } else {
      items.push_back(json::object{{"id", id}, {"name", legacy_league_names[i]}});
    }
  }
  return table_of(std::move(items));
}

void ensure_reference(dataset& data, std::int64_t location_id) {
  if (data.league_tiers->by_id.empty()) data.league_tiers = table_of(league_tiers());
  if (data.leagues->by_id.empty()) data.leagues = legacy_leagues({});
  if (data.war_leagues->by_id.empty()) data.war_leagues = table_of(metal_leagues(48000000, 19, false));
  if (data.capital_leagues->by_id.empty()) data.capital_leagues = table_of(metal_leagues(85000000, 23, true));
  if (data.builder_base_leagues->by_id.empty()) data.builder_base_leagues = table_of(builder_leagues());
  if (data.clan_labels->by_id.empty()) data.clan_labels = table_of(labels(clan_label_names, 56000000));
  if (data.player_labels->by_id.empty()) data.player_labels = table_of(labels(player_label_names, 57000000));
  if (data.locations->by_id.empty()) {
    json::array items;
    for (std::size_t i = 0; i < regions.size(); ++i) {
      items.push_back(
          json::object{{"id", 32000000 + static_cast<std::int64_t>(i)}, {"name", regions[i]}, {"isCountry", false}});
    }
    data.locations = table_of(std::move(items));
    for (std::size_t i = 0; i < regions.size(); ++i)
      data.location_is_country.write()[32000000 + static_cast<std::int64_t>(i)] = false;
  }
  if (location_id == 0) return;
  if (!data.locations->by_id.contains(location_id)) {
    json::object const country{
        {"id", location_id}, {"name", "Sandbox Country"}, {"isCountry", true}, {"countryCode", "SX"}};
    auto& locations = data.locations.write();
    locations.by_id[location_id] = share(compact(country));
    locations.list.items.push_back(compact(country));
    locations.list.whole = nullptr;
  }
  data.location_is_country.write()[location_id] = true;
}

}  // namespace overworld::sandbox::detail
