// War models: a clan's current war and a Clan War League war (GET /clans/{tag}/currentwar,
// GET /clanwarleagues/wars/{warTag}: both a clan_war), the war log and the CWL group.
#pragma once

#include <overworld/coc/models/common.hpp>
#include <overworld/coc/models/enums.hpp>

namespace overworld::coc {

struct war_attack {
  std::string attacker_tag;
  std::string defender_tag;
  int stars = 0;
  int destruction_percentage = 0;
  int order = 0;
  std::optional<int> duration;  ///< seconds
  extra_fields extra;
};

struct war_member {
  std::string tag;
  std::string name;
  int townhall_level = 0;
  int map_position = 0;
  std::optional<std::vector<war_attack>> attacks;  ///< absent until the member attacks
  std::optional<int> opponent_attacks;
  std::optional<war_attack> best_opponent_attack;
  extra_fields extra;
};

/// One side of a war. Outside a war, and for hidden war log opponents, tag and name are absent.
struct war_clan {
  std::optional<std::string> tag;
  std::optional<std::string> name;
  std::optional<coc::badge_urls> badge_urls;
  int clan_level = 0;
  std::optional<int> attacks;
  std::optional<int> stars;
  std::optional<json_number> destruction_percentage;
  std::optional<int> exp_earned;
  std::optional<std::vector<war_member>> members;
  extra_fields extra;
};

/// Times are the API's ISO 8601 basic form ("20230528T144240.000Z").
struct clan_war {
  war_state state = war_state::unknown;
  std::optional<int> team_size;
  std::optional<int> attacks_per_member;  ///< absent in CWL wars (one attack each)
  std::optional<coc::battle_modifier> battle_modifier;
  std::optional<std::string> preparation_start_time;
  std::optional<std::string> start_time;
  std::optional<std::string> end_time;
  std::optional<std::string> war_start_time;  ///< CWL wars
  std::optional<war_clan> clan;
  std::optional<war_clan> opponent;
  extra_fields extra;
  raw_json raw;
};

struct war_log_entry {
  std::optional<war_result> result;  ///< null for CWL rounds (kept in extra)
  std::optional<std::string> end_time;
  std::optional<int> team_size;
  std::optional<int> attacks_per_member;
  std::optional<coc::battle_modifier> battle_modifier;
  std::optional<war_clan> clan;
  std::optional<war_clan> opponent;
  extra_fields extra;
};

struct league_group_clan_member {
  std::string tag;
  std::string name;
  int town_hall_level = 0;
  extra_fields extra;
};

struct league_group_clan {
  std::string tag;
  std::string name;
  int clan_level = 0;
  std::optional<coc::badge_urls> badge_urls;
  std::optional<std::vector<league_group_clan_member>> members;
  extra_fields extra;
};

struct league_group_round {
  /// The round's wars for api::cwl_war; "#0" while a round is not scheduled yet.
  std::optional<std::vector<std::string>> war_tags;
  extra_fields extra;
};

/// A clan's Clan War League group (GET /clans/{tag}/currentwar/leaguegroup).
struct war_league_group {
  std::optional<std::string> tag;
  league_group_state state = league_group_state::unknown;
  std::optional<std::string> season;  ///< "2023-06"
  std::optional<std::vector<league_group_clan>> clans;
  std::optional<std::vector<league_group_round>> rounds;
  extra_fields extra;
  raw_json raw;
};

}  // namespace overworld::coc
