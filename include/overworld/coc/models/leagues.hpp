// Ranked league groups (GET /leaguegroup/{leagueGroupTag}/{leagueSeasonId}); the leagues
// themselves are coc::league (models/common.hpp).
#pragma once

#include <overworld/coc/models/common.hpp>

namespace overworld::coc {

struct ranked_group_member {
  std::string player_tag;
  std::string player_name;
  std::optional<std::string> clan_tag;  ///< absent for players without a clan
  std::optional<std::string> clan_name;
  int league_trophies = 0;
  int attack_win_count = 0;
  int attack_lose_count = 0;
  int defense_win_count = 0;
  int defense_lose_count = 0;
  extra_fields extra;
};

struct ranked_battle {
  std::string opponent_player_tag;
  std::string opponent_name;
  int stars = 0;
  int destruction_percentage = 0;
  int trophies = 0;
  std::string creation_time;  ///< ISO 8601 extended ("2026-03-11T18:14:44Z")
  extra_fields extra;
};

/// A ranked battles group as seen by one player: the members, that player's attacks and defenses.
struct ranked_league_group {
  std::optional<std::vector<ranked_group_member>> members;
  std::optional<std::vector<ranked_battle>> attack_logs;
  std::optional<std::vector<ranked_battle>> defense_logs;
  extra_fields extra;
  raw_json raw;
};

}  // namespace overworld::coc
