// What the engine keeps of each watched resource between two polls: the few fields its events
// are made of, taken from the decoded model (a clan of 50 members is a few kilobytes here, not
// the whole model), and the diff of two of them into events, in a fixed order.
#pragma once

#include <overworld/coc/events.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace overworld::coc::events::detail {

struct member_facts {
  std::string tag, name, role;
  int donations = 0, received = 0;
};

struct clan_facts {
  std::string name, description, badge, type, location;
  bool war_log_public = false;
  int level = 0;
  std::vector<member_facts> members;  // in the answer's order
};

struct item_facts {
  std::string key;  // village and name: the same troop exists in both villages
  std::string name;
  std::int64_t value = 0;  // a level, or an achievement's value
  int stars = 0;
};

struct player_facts {
  std::string name, league, clan_tag, clan_name;
  int trophies = 0, town_hall = 0, builder_hall = 0;
  std::vector<item_facts> heroes, troops, spells, achievements;
};

struct attack_facts {
  std::string attacker, attacker_name, defender, team;
  int stars = 0, destruction = 0, order = 0;
};

struct war_facts {
  std::string identity;  // what tells one war from the next: its start and opponent (CWL: its tag)
  std::string state;     // notInWar, preparation, inWar, warEnded
  std::string opponent, opponent_name, war_tag;
  unsigned round = 0;
  std::vector<attack_facts> attacks;  // by order
};

struct war_memory {  // what survives from one war to the next
  unsigned last_round_started = 0, last_round_ended = 0;
  std::string league_season;  // the CWL week the rounds belong to (its first war's start)
};

struct group_facts {
  std::string state;  // "" when the clan is in no group
  std::string season;
  std::vector<bool> drawn;  // per round
};

struct raid_member_facts {
  std::string tag, name;
  int attacks = 0;
  std::int64_t looted = 0;
};

struct raid_facts {
  std::string start;  // "" when there is no season
  std::string state;
  std::int64_t total_loot = 0;
  std::vector<raid_member_facts> members;
};

clan_facts facts_of(coc::clan const& c);
player_facts facts_of(coc::player const& p);
war_facts facts_of(war_now const& w, std::string_view clan_tag);
group_facts facts_of(war_league_group const* g);  // nullptr: not in a group (404)
raid_facts facts_of(raid_season const* s);        // nullptr: no season yet

/// The events between two polls, appended to `out` with `watched` set.
void diff(clan_facts const& a, clan_facts const& b, std::vector<event>& out);
void diff(player_facts const& a, player_facts const& b, std::vector<event>& out);
void diff(war_facts const& a, war_facts const& b, war_memory& memory, std::vector<event>& out);
void diff(group_facts const& a, group_facts const& b, std::vector<event>& out);
void diff(raid_facts const& a, raid_facts const& b, std::vector<event>& out);

}  // namespace overworld::coc::events::detail
