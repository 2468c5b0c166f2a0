// Wars as JSON objects, shared by the admin API's changes, the generator and the calendar: a new
// war between two clans' first members, attacks with the totals the game keeps, the view from the
// other side, the war log's entry; and the attacks a war is planned to have.
#pragma once

#include "random.hpp"

#include <overworld/server/sandbox/changes.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace overworld::sandbox::detail {

namespace json = boost::json;

inline constexpr std::int64_t preparation_length = std::int64_t{23} * 3600;
inline constexpr std::int64_t battle_length = std::int64_t{24} * 3600;

/// One side of a new war: the first `team` members of a clan profile's memberList (the strongest,
/// as the list is sorted by trophies), placed on the map by town hall.
json::object war_side(json::object const& clan, std::int64_t team);

struct war_times {
  std::int64_t preparation = 0, start = 0, end = 0;
};
/// A war in preparation. CWL wars carry warStartTime and no attacksPerMember, as the API sends them.
json::object new_war(json::object ours, json::object theirs, std::int64_t team, std::int64_t attacks_per_member,
                     war_times const& times, bool cwl);
/// The war from the other side.
json::object mirrored(json::object war);
std::string side_tag(json::object const& war, char const* side);

/// An attack on the battle day: the attacker's attacks, the defender's opponentAttacks and
/// bestOpponentAttack, and the side's attacks, stars and destructionPercentage (the best attack
/// on each base, divided by the team size) change together. 400/404/409 as the admin API answers.
change_result apply_attack(json::object& war, war_attack const& attack);

/// The war as the war log lists it when it has ended.
json::object log_entry(json::object const& war);

/// An attack a war is planned to have, by map positions (0-based) and time.
struct planned_attack {
  std::int64_t at = 0;
  bool by_opponent = false;
  std::size_t attacker = 0, defender = 0;
  std::int64_t stars = 0, destruction = 0, duration = 0;
};
/// The attacks of both sides over the battle day from `start`, in time order: most members use
/// their attacks, on bases near their own position.
std::vector<planned_attack> plan_attacks(random_numbers rng, std::size_t team, std::int64_t attacks_per_member,
                                         std::int64_t start);
/// Applies a planned attack to the war (refused ones, say after a scripted change, are skipped).
void apply_planned(json::object& war, planned_attack const& a);

}  // namespace overworld::sandbox::detail
