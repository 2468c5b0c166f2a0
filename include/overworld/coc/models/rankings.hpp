// Rankings: /locations/{id}/rankings/* and the Legend League season rankings
// (/leagues/{id}/seasons/{seasonId}).
#pragma once

#include <overworld/coc/models/common.hpp>

namespace overworld::coc {

/// A clan in the clan, builder base or capital rankings; each ranking sends its own points.
struct clan_ranking {
  std::string tag;
  std::string name;
  std::optional<coc::location> location;
  std::optional<coc::badge_urls> badge_urls;
  int clan_level = 0;
  int members = 0;
  int rank = 0;
  std::optional<int> previous_rank;
  std::optional<int> clan_points;               ///< rankings/clans
  std::optional<int> clan_builder_base_points;  ///< rankings/clans-builder-base
  std::optional<int> clan_versus_points;        ///< legacy name of clan_builder_base_points
  std::optional<int> clan_capital_points;       ///< rankings/capitals
  extra_fields extra;
};

struct player_ranking_clan {
  std::string tag;
  std::string name;
  std::optional<coc::badge_urls> badge_urls;
  extra_fields extra;
};

/// A player in the trophy, builder base or Legend season rankings.
struct player_ranking {
  std::string tag;
  std::string name;
  int exp_level = 0;
  int rank = 0;
  std::optional<int> previous_rank;  ///< absent in season rankings
  std::optional<int> trophies;
  std::optional<int> attack_wins;
  std::optional<int> defense_wins;
  std::optional<int> builder_base_trophies;
  std::optional<int> versus_trophies;       ///< legacy name of builder_base_trophies
  std::optional<int> versus_battle_wins;    ///< legacy
  std::optional<player_ranking_clan> clan;  ///< absent for players without a clan
  std::optional<coc::league> league;
  std::optional<coc::league_tier> league_tier;
  std::optional<coc::builder_base_league> builder_base_league;
  extra_fields extra;
};

}  // namespace overworld::coc
