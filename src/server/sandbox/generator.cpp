// Made-up but consistent clans and players for large tests and benchmarks: every member is in
// its clan's member list and points back to it, and rankings are sorted as the game sorts them.
#include "build.hpp"
#include "generated_wars.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <chrono>

namespace overworld::sandbox {

namespace json = boost::json;
using namespace detail;

namespace {

/// splitmix64: small, fast and the same on every platform, so a seed always gives one dataset.
struct random_numbers {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
};

constexpr std::array<std::string_view, 6> war_frequencies{
    "always", "moreThanOncePerWeek", "oncePerWeek", "lessThanOncePerWeek", "never", "unknown"};
constexpr std::array<std::string_view, 4> roles{"leader", "coLeader", "admin", "member"};

json::object badge(std::uint64_t n) {
  auto const url = [n](char const* size) {
    return "https://api-assets.clashofclans.com/badges/" + std::string{size} + "/sandbox-" + std::to_string(n % 97) +
           ".png";
  };
  return {{"small", url("70")}, {"large", url("512")}, {"medium", url("200")}};
}

struct member {
  std::string tag, name, role;
  std::int64_t trophies = 0, builder_trophies = 0, exp = 0, town_hall = 0, donations = 0, received = 0;
};

void append_ranked(paged_list& list, std::vector<json::object> items, char const* score) {
  std::stable_sort(items.begin(), items.end(), [score](json::object const& a, json::object const& b) {
    return int_of(a, score) > int_of(b, score);
  });
  list.whole = nullptr;
  list.items.clear();
  std::int64_t rank = 0;
  for (auto& item : items) {
    ++rank;
    item["rank"] = rank;
    item["previousRank"] = rank;
    list.items.push_back(compact(item));
    if (list.items.size() == 200) break;  // the API ranks the top 200
  }
}

}  // namespace

void generate_into(dataset& data, generator_options const& options) {
  random_numbers rng{options.seed};
  json::object const location{
      {"id", options.location_id}, {"name", "Sandbox Country"}, {"isCountry", true}, {"countryCode", "SX"}};
  std::vector<json::object> ranked_players, ranked_builders, ranked_clans, ranked_clan_builders;
  std::vector<war_clan> war_clans;
  // Tags far above the recorded ones, and disjoint between clans and players.
  std::uint64_t const clan_base = 0x2000'0000ULL + options.seed * 0x100'0000ULL;
  std::uint64_t const player_base = 0x8'0000'0000ULL + options.seed * 0x1000'0000ULL;
  for (std::size_t c = 0; c < options.clans; ++c) {
    std::string const clan_tag = tag_from_id(clan_base + c);
    std::string const clan_name = "Sandbox Clan " + std::to_string(c + 1);
    std::int64_t const clan_level = rng.between(1, 30);
    json::object const clan_ref{
        {"tag", clan_tag}, {"name", clan_name}, {"clanLevel", clan_level}, {"badgeUrls", badge(c)}};
    std::vector<member> members;
    for (std::size_t m = 0; m < options.members_per_clan; ++m) {
      member p;
      p.tag = tag_from_id(player_base + c * options.members_per_clan + m);
      p.name = "Player " + std::to_string(c * options.members_per_clan + m + 1);
      p.role = std::string{m == 0 ? roles[0] : roles[1 + rng.next() % 3]};
      p.trophies = rng.between(0, 6000);
      p.builder_trophies = rng.between(0, 5000);
      p.exp = rng.between(1, 300);
      p.town_hall = rng.between(1, 17);
      p.donations = rng.between(0, 3000);
      p.received = rng.between(0, 3000);
      members.push_back(std::move(p));
    }
    std::sort(members.begin(), members.end(), [](member const& a, member const& b) { return a.trophies > b.trophies; });
    json::array member_list;
    std::int64_t points = 0;
    std::int64_t builder_points = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      auto const& p = members[i];
      // The game weighs members by rank; half of the sum is close enough for sorted rankings.
      points += p.trophies / 2;
      builder_points += p.builder_trophies / 2;
      auto const rank = static_cast<std::int64_t>(i + 1);
      member_list.push_back(json::object{{"tag", p.tag},
                                         {"name", p.name},
                                         {"role", p.role},
                                         {"townHallLevel", p.town_hall},
                                         {"expLevel", p.exp},
                                         {"trophies", p.trophies},
                                         {"builderBaseTrophies", p.builder_trophies},
                                         {"clanRank", rank},
                                         {"previousClanRank", rank},
                                         {"donations", p.donations},
                                         {"donationsReceived", p.received}});
      json::object player{{"tag", p.tag},
                          {"name", p.name},
                          {"townHallLevel", p.town_hall},
                          {"expLevel", p.exp},
                          {"trophies", p.trophies},
                          {"bestTrophies", p.trophies + rng.between(0, 500)},
                          {"warStars", rng.between(0, 2000)},
                          {"attackWins", rng.between(0, 300)},
                          {"defenseWins", rng.between(0, 50)},
                          {"builderHallLevel", rng.between(1, 10)},
                          {"builderBaseTrophies", p.builder_trophies},
                          {"bestBuilderBaseTrophies", p.builder_trophies + rng.between(0, 300)},
                          {"role", p.role},
                          {"warPreference", rng.next() % 2 ? "in" : "out"},
                          {"donations", p.donations},
                          {"donationsReceived", p.received},
                          {"clanCapitalContributions", rng.between(0, 500000)},
                          {"clan", clan_ref},
                          {"achievements", json::array{}},
                          {"labels", json::array{}},
                          {"troops", json::array{}},
                          {"heroes", json::array{}},
                          {"heroEquipment", json::array{}},
                          {"spells", json::array{}}};
      add_player_profile(data, player, share(compact(player)));
      data.players[p.tag].verify_token = "sandbox-" + p.tag.substr(1);
      ranked_players.push_back(json::object{{"tag", p.tag},
                                            {"name", p.name},
                                            {"expLevel", p.exp},
                                            {"trophies", p.trophies},
                                            {"attackWins", rng.between(0, 300)},
                                            {"defenseWins", rng.between(0, 50)},
                                            {"clan", clan_ref}});
      ranked_builders.push_back(json::object{{"tag", p.tag},
                                             {"name", p.name},
                                             {"expLevel", p.exp},
                                             {"builderBaseTrophies", p.builder_trophies},
                                             {"clan", clan_ref}});
    }
    auto const member_count = static_cast<std::int64_t>(members.size());
    bool const public_log = rng.next() % 4 != 0;
    json::object clan{{"tag", clan_tag},
                      {"name", clan_name},
                      {"type", "open"},
                      {"description", "A clan of the Overworld sandbox."},
                      {"location", location},
                      {"isFamilyFriendly", false},
                      {"badgeUrls", badge(c)},
                      {"clanLevel", clan_level},
                      {"clanPoints", points},
                      {"clanBuilderBasePoints", builder_points},
                      {"clanCapitalPoints", rng.between(0, 5000)},
                      {"requiredTrophies", rng.between(0, 40) * 100},
                      {"warFrequency", war_frequencies[rng.next() % war_frequencies.size()]},
                      {"warWinStreak", rng.between(0, 20)},
                      {"warWins", rng.between(0, 900)},
                      {"isWarLogPublic", public_log},
                      {"members", member_count},
                      {"memberList", member_list},
                      {"labels", json::array{}}};
    add_clan_profile(data, clan, share(compact(clan)));
    data.clans[clan_tag].warlog = paged_list{};
    war_clan& w = war_clans.emplace_back(war_clan{clan_tag, clan_name, clan_level, badge(c), {}});
    for (auto const& p : members) w.members.push_back(war_member{p.tag, p.name, p.town_hall});
    ranked_clans.push_back(json::object{{"tag", clan_tag},
                                        {"name", clan_name},
                                        {"location", location},
                                        {"badgeUrls", badge(c)},
                                        {"clanLevel", clan_level},
                                        {"members", member_count},
                                        {"clanPoints", points}});
    ranked_clan_builders.push_back(json::object{{"tag", clan_tag},
                                                {"name", clan_name},
                                                {"location", location},
                                                {"badgeUrls", badge(c)},
                                                {"clanLevel", clan_level},
                                                {"members", member_count},
                                                {"clanBuilderBasePoints", builder_points}});
  }
  auto const now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  generate_wars(data, war_clans, now.count(), [&rng](std::int64_t lo, std::int64_t hi) { return rng.between(lo, hi); });
  auto& ranks = data.rankings[options.location_id];
  append_ranked(ranks.players, ranked_players, "trophies");
  append_ranked(ranks.players_builder_base, ranked_builders, "builderBaseTrophies");
  append_ranked(ranks.clans, ranked_clans, "clanPoints");
  append_ranked(ranks.clans_builder_base, ranked_clan_builders, "clanBuilderBasePoints");
  data.location_is_country[options.location_id] = true;
  if (!data.locations.by_id.contains(options.location_id)) {
    data.locations.by_id[options.location_id] = share(compact(location));
    data.locations.list.items.push_back(compact(location));
    data.locations.list.whole = nullptr;
  }
}

}  // namespace overworld::sandbox
