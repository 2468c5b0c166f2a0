// Clan capital raid weekends (GET /clans/{tag}/capitalraidseasons).
#pragma once

#include <overworld/coc/models/common.hpp>
#include <overworld/coc/models/enums.hpp>

namespace overworld::coc {

struct raid_member {
  std::string tag;
  std::string name;
  int attacks = 0;
  int attack_limit = 0;
  int bonus_attack_limit = 0;
  std::int64_t capital_resources_looted = 0;
  extra_fields extra;
};

/// The clan on the other side of a raid log entry.
struct raid_clan {
  std::string tag;
  std::string name;
  int level = 0;
  std::optional<coc::badge_urls> badge_urls;
  extra_fields extra;
};

struct raid_attacker {
  std::string tag;
  std::string name;
  extra_fields extra;
};

struct raid_attack {
  raid_attacker attacker;
  int destruction_percent = 0;
  int stars = 0;
  extra_fields extra;
};

struct raid_district {
  std::int64_t id = 0;
  std::string name;
  int district_hall_level = 0;
  int destruction_percent = 0;
  int stars = 0;
  int attack_count = 0;
  std::int64_t total_looted = 0;
  std::optional<std::vector<raid_attack>> attacks;
  extra_fields extra;
};

/// An entry of a raid's attack log (`defender` set) or defense log (`attacker` set).
struct raid_log_entry {
  std::optional<raid_clan> defender;
  std::optional<raid_clan> attacker;
  int attack_count = 0;
  int district_count = 0;
  int districts_destroyed = 0;
  std::optional<std::vector<raid_district>> districts;
  extra_fields extra;
};

struct raid_season {
  raid_state state = raid_state::unknown;
  std::string start_time;  ///< ISO 8601 basic ("20251010T070000.000Z")
  std::string end_time;
  std::optional<std::int64_t> capital_total_loot;
  std::optional<int> raids_completed;
  std::optional<int> total_attacks;
  std::optional<int> enemy_districts_destroyed;
  std::optional<int> offensive_reward;
  std::optional<int> defensive_reward;
  std::optional<std::vector<raid_member>> members;  ///< absent when nobody raided
  std::optional<std::vector<raid_log_entry>> attack_log;
  std::optional<std::vector<raid_log_entry>> defense_log;
  extra_fields extra;
};

}  // namespace overworld::coc
