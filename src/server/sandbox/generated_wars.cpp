#include "generated_wars.hpp"

#include "build.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <ctime>
#include <tuple>

namespace overworld::sandbox::detail {

namespace json = boost::json;

std::string api_time(std::int64_t unix_seconds) {
  std::time_t const t = unix_seconds;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S.000Z", &tm);
  return buf;
}

namespace {

struct attack {
  std::size_t attacker, defender;  // positions in their teams
  std::int64_t stars, destruction, order, duration;
};

/// One side of the war: its members with the attacks they made and received.
json::object side(war_clan const& us, std::size_t team, std::vector<attack> const& ours,
                  std::vector<attack> const& theirs, war_clan const& them) {
  json::array members;
  std::int64_t stars = 0;
  double destruction = 0;
  for (std::size_t i = 0; i < team; ++i) {
    auto const& m = us.members[i];
    json::object o{{"tag", m.tag},
                   {"name", m.name},
                   {"townhallLevel", m.town_hall},
                   {"mapPosition", static_cast<std::int64_t>(i + 1)}};
    json::array attacks;
    for (auto const& a : ours) {
      if (a.attacker != i) continue;
      attacks.push_back(json::object{{"attackerTag", m.tag},
                                     {"defenderTag", them.members[a.defender].tag},
                                     {"stars", a.stars},
                                     {"destructionPercentage", a.destruction},
                                     {"order", a.order},
                                     {"duration", a.duration}});
    }
    if (!attacks.empty()) o["attacks"] = std::move(attacks);
    std::int64_t received = 0;
    attack const* best = nullptr;
    for (auto const& a : theirs) {
      if (a.defender != i) continue;
      ++received;
      if (!best || a.stars > best->stars || (a.stars == best->stars && a.destruction > best->destruction)) best = &a;
    }
    o["opponentAttacks"] = received;
    if (best) {
      o["bestOpponentAttack"] = json::object{
          {"attackerTag", them.members[best->attacker].tag}, {"defenderTag", m.tag}, {"stars", best->stars},
          {"destructionPercentage", best->destruction},      {"order", best->order}, {"duration", best->duration}};
    }
    members.push_back(std::move(o));
  }
  // Stars and destruction count each defender's best attack only, as the game does.
  for (std::size_t d = 0; d < team; ++d) {
    std::int64_t best_stars = 0, best_destruction = 0;
    for (auto const& a : ours) {
      if (a.defender != d) continue;
      best_stars = std::max(best_stars, a.stars);
      best_destruction = std::max(best_destruction, a.destruction);
    }
    stars += best_stars;
    destruction += static_cast<double>(best_destruction);
  }
  return {{"tag", us.tag},
          {"name", us.name},
          {"badgeUrls", us.badge},
          {"clanLevel", us.level},
          {"attacks", static_cast<std::int64_t>(ours.size())},
          {"stars", stars},
          {"destructionPercentage", destruction / static_cast<double>(team)},
          {"members", std::move(members)}};
}

std::string log_entry(char const* result, std::int64_t end, std::int64_t team, json::object clan, json::object opponent,
                      std::int64_t stars, std::int64_t opponent_stars) {
  for (auto* o : {&clan, &opponent}) o->erase("members");
  opponent.erase("attacks");
  clan["stars"] = stars;
  opponent["stars"] = opponent_stars;
  clan["destructionPercentage"] = static_cast<double>(stars) * 100.0 / static_cast<double>(3 * team);
  opponent["destructionPercentage"] = static_cast<double>(opponent_stars) * 100.0 / static_cast<double>(3 * team);
  clan["attacks"] = 2 * team - 1;
  clan["expEarned"] = 100 + team * 5;
  return compact(json::object{{"result", result},
                              {"endTime", api_time(end)},
                              {"teamSize", team},
                              {"attacksPerMember", 2},
                              {"battleModifier", "none"},
                              {"clan", std::move(clan)},
                              {"opponent", std::move(opponent)}});
}

}  // namespace

void generate_wars(dataset& data, std::vector<war_clan> const& clans, std::int64_t now,
                   std::function<std::int64_t(std::int64_t, std::int64_t)> const& random) {
  for (std::size_t i = 0; i + 1 < clans.size(); i += 2) {
    auto const& a = clans[i];
    auto const& b = clans[i + 1];
    auto const smaller = std::min(a.members.size(), b.members.size());
    if (smaller < 5) continue;  // wars are 5 against 5 at least
    std::size_t const team = std::min<std::size_t>(15, smaller / 5 * 5);
    // Battle day started a few hours ago: preparation was the 23 hours before it.
    std::int64_t const start = now - random(1, 20) * 3600;
    std::int64_t const end = start + 24 * 3600;
    std::int64_t const preparation = start - 23 * 3600;
    std::vector<attack> by_a, by_b;
    std::int64_t order = 0;
    for (std::size_t m = 0; m < team; ++m) {
      // About half of each side has attacked once so far, on the base at the same position or near it.
      for (auto* attacks : {&by_a, &by_b}) {
        if (random(0, 1) == 0) continue;
        auto const target = std::min(team - 1, m + static_cast<std::size_t>(random(0, 2)));
        auto const stars = random(0, 3);
        auto const destruction = stars == 3 ? 100 : stars * 30 + random(0, 29);
        attacks->push_back({m, target, stars, destruction, ++order, random(60, 180)});
      }
    }
    auto const team_size = static_cast<std::int64_t>(team);
    json::object const a_side = side(a, team, by_a, by_b, b);
    json::object const b_side = side(b, team, by_b, by_a, a);
    auto const war = [&](json::object const& us, json::object const& them) {
      return share(compact(json::object{{"state", "inWar"},
                                        {"teamSize", team_size},
                                        {"attacksPerMember", 2},
                                        {"battleModifier", "none"},
                                        {"preparationStartTime", api_time(preparation)},
                                        {"startTime", api_time(start)},
                                        {"endTime", api_time(end)},
                                        {"clan", us},
                                        {"opponent", them}}));
    };
    data.clans[a.tag].current_war = war(a_side, b_side);
    data.clans[b.tag].current_war = war(b_side, a_side);

    // The pair's previous war, two days before this one: one side won.
    std::int64_t const last_end = preparation - 24 * 3600;
    std::int64_t const winner_stars = random(team_size * 2, team_size * 3);
    std::int64_t const loser_stars = random(team_size, winner_stars - 1);
    bool const a_won = random(0, 1) == 1;
    for (auto [us, them, won] : {std::tuple{&a_side, &b_side, a_won}, std::tuple{&b_side, &a_side, !a_won}}) {
      auto& log = data.clans[std::string{us->at("tag").as_string()}].warlog;
      if (!log) log = paged_list{};
      log->items.insert(log->items.begin(),
                        log_entry(won ? "win" : "lose", last_end, team_size, *us, *them,
                                  won ? winner_stars : loser_stars, won ? loser_stars : winner_stars));
      log->whole = nullptr;
    }
  }
}

}  // namespace overworld::sandbox::detail
