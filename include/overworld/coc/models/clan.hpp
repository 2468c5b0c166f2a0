// Clan models: GET /clans/{tag} (a full profile), GET /clans (search: the same shape without the
// member list) and GET /clans/{tag}/members.
#pragma once

#include <overworld/coc/models/common.hpp>
#include <overworld/coc/models/enums.hpp>

namespace overworld::coc {

struct clan_member {
  std::string tag;
  std::string name;
  clan_role role = clan_role::unknown;
  std::optional<int> town_hall_level;
  int exp_level = 0;
  std::optional<coc::league> league;  ///< legacy trophy league
  std::optional<coc::league_tier> league_tier;
  std::optional<coc::builder_base_league> builder_base_league;
  int trophies = 0;
  std::optional<int> builder_base_trophies;
  std::optional<int> versus_trophies;  ///< legacy name of builder_base_trophies
  int clan_rank = 0;
  int previous_clan_rank = 0;
  int donations = 0;
  int donations_received = 0;
  std::optional<coc::player_house> player_house;
  extra_fields extra;
};

struct capital_district {
  std::int64_t id = 0;
  std::string name;
  int district_hall_level = 0;
  extra_fields extra;
};

struct clan_capital {
  std::optional<int> capital_hall_level;
  std::optional<std::vector<capital_district>> districts;
  extra_fields extra;
};

struct clan {
  std::string tag;
  std::string name;
  clan_type type = clan_type::unknown;
  std::optional<std::string> description;
  std::optional<coc::location> location;
  std::optional<bool> is_family_friendly;
  std::optional<coc::badge_urls> badge_urls;
  int clan_level = 0;
  int clan_points = 0;
  std::optional<int> clan_builder_base_points;
  std::optional<int> clan_versus_points;  ///< legacy name of clan_builder_base_points
  std::optional<int> clan_capital_points;
  std::optional<coc::capital_league> capital_league;
  std::optional<int> required_trophies;
  std::optional<coc::war_frequency> war_frequency;
  std::optional<int> war_win_streak;
  std::optional<int> war_wins;
  std::optional<int> war_ties;  ///< absent while the war log is private
  std::optional<int> war_losses;
  std::optional<bool> is_war_log_public;
  std::optional<coc::war_league> war_league;
  int members = 0;  ///< how many members (member_list has them, on GET /clans/{tag} only)
  std::optional<std::vector<clan_member>> member_list;
  std::optional<std::vector<label>> labels;
  std::optional<int> required_builder_base_trophies;
  std::optional<int> required_versus_trophies;  ///< legacy name of required_builder_base_trophies
  std::optional<int> required_townhall_level;
  std::optional<coc::clan_capital> clan_capital;
  std::optional<language> chat_language;
  extra_fields extra;
  raw_json raw;
};

}  // namespace overworld::coc
