// Raid weekends as JSON: a season, the members' attacks on the districts of enemy capitals, each
// recorded in the raiding clan's attack log and in the raided clan's defense log; and the attacks
// a clan is planned to make on a weekend.
#pragma once

#include "random.hpp"

#include <overworld/server/sandbox/changes.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace overworld::sandbox::detail {

namespace json = boost::json;

/// A new raid weekend: state ongoing, nothing looted.
json::object new_raid_season(std::int64_t start, std::int64_t end);

/// A clan as a raid log names it: tag, name, level, badgeUrls.
json::object raid_clan(json::object const& clan_profile);

/// One attack on a district of an enemy capital.
struct raid_hit {
  std::int64_t at = 0;
  std::size_t raid = 0;  ///< which of the weekend's targets
  std::int64_t district_id = 0;
  std::string district_name;
  std::int64_t district_hall = 1, district_count = 1;
  std::string attacker, attacker_name;
  std::int64_t destruction = 0;  ///< of the district after this attack
  std::int64_t stars = 0;        ///< of the district after this attack
  std::int64_t loot = 0;
};

/// The weekend's attacks of a clan (its profile) on the capitals of `targets` (their profiles):
/// most members use their five attacks and some a bonus one, district after district.
std::vector<raid_hit> plan_raid_hits(std::uint64_t seed, json::object const& clan,
                                     std::vector<json::object const*> const& targets, std::int64_t weekend);

/// Adds a hit to the raiding clan's season: the member's attacks and loot, the totals, and the
/// district in the attack log entry of the raided capital (`target`, a raid_clan object).
void record_attack(json::object& season, json::object const& target, raid_hit const& hit);
/// Adds a hit to the raided clan's season: the district in the defense log entry of the raider.
void record_defense(json::object& season, json::object const& raider, raid_hit const& hit);
/// Ends the season: state ended, endTime and the rewards the game pays for what was destroyed.
void end_raid_season(json::object& season, std::int64_t end);

/// A member's attack given without a district (the admin API): attacks, loot and totals.
change_result record_member_attack(json::object& season, std::string const& attacker, std::string const& name,
                                   std::int64_t loot);

}  // namespace overworld::sandbox::detail
