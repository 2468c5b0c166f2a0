// Player models: GET /players/{tag}, its battle log and ranked league history, and the answer of
// POST /players/{tag}/verifytoken.
#pragma once

#include <overworld/coc/models/common.hpp>
#include <overworld/coc/models/enums.hpp>

namespace overworld::coc {

/// The clan shown on a player's profile.
struct player_clan {
  std::string tag;
  std::string name;
  std::optional<int> clan_level;
  std::optional<coc::badge_urls> badge_urls;
  extra_fields extra;
};

/// An achievement; its name and texts are the game's, kept once per process (game_text.hpp).
struct achievement {
  game_text name;
  int stars = 0;
  std::int64_t value = 0;
  std::int64_t target = 0;
  std::optional<game_text> info;
  std::optional<game_text> completion_info;  ///< null for some achievements (kept in extra)
  coc::village village = coc::village::unknown;
  extra_fields extra;
};

/// A troop, hero, hero equipment or spell and its level.
struct player_item {
  std::string name;
  int level = 0;
  int max_level = 0;
  coc::village village = coc::village::unknown;
  std::optional<bool> super_troop_is_active;
  std::optional<std::vector<player_item>> equipment;  ///< a hero's equipped items
  extra_fields extra;
};

struct legend_season_result {
  std::optional<std::string> id;  ///< "2023-05"
  std::optional<int> rank;
  std::optional<int> trophies;
  extra_fields extra;
};

struct legend_statistics {
  std::optional<int> legend_trophies;
  std::optional<legend_season_result> current_season;
  std::optional<legend_season_result> previous_season;
  std::optional<legend_season_result> best_season;
  std::optional<legend_season_result> previous_builder_base_season;
  std::optional<legend_season_result> best_builder_base_season;
  extra_fields extra;
};

struct player {
  std::string tag;
  std::string name;
  int town_hall_level = 0;
  std::optional<int> town_hall_weapon_level;
  int exp_level = 0;
  int trophies = 0;
  int best_trophies = 0;
  int war_stars = 0;
  int attack_wins = 0;
  int defense_wins = 0;
  std::optional<int> builder_hall_level;
  std::optional<int> builder_base_trophies;
  std::optional<int> best_builder_base_trophies;
  std::optional<int> versus_trophies;  ///< legacy name of builder_base_trophies
  std::optional<clan_role> role;
  std::optional<coc::war_preference> war_preference;
  std::optional<int> donations;
  std::optional<int> donations_received;
  std::optional<std::int64_t> clan_capital_contributions;
  std::optional<player_clan> clan;
  std::optional<coc::league> league;  ///< legacy trophy league
  std::optional<coc::league_tier> league_tier;
  std::optional<coc::builder_base_league> builder_base_league;
  /// With current_league_season_id: the arguments of api::ranked_league_group.
  std::optional<std::string> current_league_group_tag;
  std::optional<std::int64_t> current_league_season_id;
  std::optional<std::string> previous_league_group_tag;
  std::optional<std::int64_t> previous_league_season_id;
  std::optional<coc::legend_statistics> legend_statistics;
  std::optional<std::vector<achievement>> achievements;
  std::optional<coc::player_house> player_house;
  std::optional<std::vector<label>> labels;
  std::optional<std::vector<player_item>> troops;
  std::optional<std::vector<player_item>> heroes;
  std::optional<std::vector<player_item>> hero_equipment;
  std::optional<std::vector<player_item>> spells;
  extra_fields extra;
  raw_json raw;
};

struct token_verification {
  std::string tag;
  std::string token;
  token_status status = token_status::unknown;
  extra_fields extra;
  raw_json raw;
};

/// A resource and an amount ("Gold", 1721535).
struct loot {
  std::string name;
  std::int64_t amount = 0;
  extra_fields extra;
};

struct battle_log_entry {
  coc::battle_type battle_type = coc::battle_type::unknown;
  bool attack = false;  ///< false: the player defended
  std::optional<std::string> army_share_code;
  std::string opponent_player_tag;
  int stars = 0;
  int destruction_percentage = 0;
  std::optional<std::vector<loot>> looted_resources;
  std::optional<std::vector<loot>> extra_looted_resources;
  std::optional<std::vector<loot>> available_loot;
  extra_fields extra;
};

/// One ranked league season of a player (GET /players/{tag}/leaguehistory).
struct league_history_entry {
  std::int64_t league_season_id = 0;  ///< unix time (seconds) the season started
  std::int64_t league_tier_id = 0;
  std::optional<int> league_trophies;
  std::optional<int> placement;
  std::optional<int> attack_wins;
  std::optional<int> attack_losses;
  std::optional<int> attack_stars;
  std::optional<int> defense_wins;
  std::optional<int> defense_losses;
  std::optional<int> defense_stars;
  std::optional<int> max_battles;
  extra_fields extra;
};

}  // namespace overworld::coc
