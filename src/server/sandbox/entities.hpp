// Players and clans being made: what is known of each (from recorded answers or the generator's
// choices) is gathered as facts, the gaps are filled from the seed, and they are written into the
// dataset with every member in its clan's list and pointing back to it. The generator and the
// completion of a recorded world both make their players and clans here.
#pragma once

#include "random.hpp"

#include <overworld/server/sandbox/dataset.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace overworld::sandbox::detail {

namespace json = boost::json;

inline constexpr std::size_t max_members = 50;
/// Players of a ranked league group (a group tag per this many players in player order).
inline constexpr std::size_t ranked_group_size = 50;

/// The lists a made-up player or clan takes its leagues, labels and location from, parsed once.
class references {
 public:
  /// An item of a list, as an object and as the compact text a profile takes.
  struct item {
    json::object object;
    std::string text;
  };
  explicit references(dataset const& data);
  item const* league_tier(std::int64_t trophies) const;
  item const* builder_base_league(std::int64_t trophies) const;
  json::object war_league(std::int64_t clan_level) const;
  json::object capital_league(std::int64_t capital_points) const;
  json::array clan_labels(random_numbers& rng) const;
  /// Up to three player labels, as a JSON array.
  std::string player_labels(random_numbers& rng) const;
  std::optional<json::object> location(std::int64_t id) const;

 private:
  std::vector<item> tiers_, builder_, war_, capital_, clan_labels_, player_labels_;
  std::unordered_map<std::int64_t, json::object> locations_;
};

struct player_facts {
  std::string tag, name;
  std::int64_t town_hall = 0, exp_level = 0;
  std::optional<std::int64_t> trophies, builder_base_trophies, donations, donations_received;
  std::optional<std::int64_t> attack_wins, defense_wins;
  std::string clan;       ///< the clan it is a member of; empty: none
  std::string role;       ///< its role there; empty: made up
  bool recorded = false;  ///< its profile is recorded: it is not written again
};

struct clan_facts {
  std::string tag, name;
  std::int64_t level = 0;
  std::optional<json::object> badge, location, war_league, capital_league;
  std::optional<json::array> labels;
  std::optional<std::int64_t> wanted;  ///< members it should end up with
  std::optional<std::int64_t> clan_points, builder_base_points, capital_points;
  std::optional<bool> war_log_public;
  std::string war_frequency, type, description;
  std::optional<json::object> known;  ///< fields recorded for it (a search result): its profile has them
  std::vector<std::string> members;   ///< in the order they were assigned
  bool recorded = false;              ///< its profile is recorded: it is not written again
  bool closed = false;                ///< its members are recorded: no one else is assigned to it
};

class world_builder {
 public:
  world_builder(dataset& data, references const& refs);

  /// The facts of a player or clan, made empty on first use.
  player_facts& player(std::string const& tag);
  clan_facts& clan(std::string const& tag);
  bool has_clan(std::string const& tag) const { return clan_index_.contains(tag); }
  bool has_player(std::string const& tag) const { return player_index_.contains(tag); }

  /// Makes the player a member of the clan, unless it is in one already or the clan is full.
  bool assign(std::string const& clan, std::string const& player, std::string const& role = {});

  /// A tag no player or clan of the dataset or of this builder has, drawn from `rng` above `base`.
  std::string fresh_tag(random_numbers& rng, std::uint64_t base);

  /// Fills every clan up to the members it wants with new players, fills every gap from the seed
  /// and writes the players and clans that are not recorded into the dataset, as of `now`.
  void write(std::int64_t now);

  std::vector<std::string> const& clan_order() const { return clan_tags_; }

 private:
  void fill(player_facts& p) const;
  void fill(clan_facts& c) const;
  std::string render(player_facts const& p, std::int64_t now) const;
  json::object member(player_facts const& p) const;
  json::object render(clan_facts const& c, json::array member_list) const;

  dataset& data_;
  references const& refs_;
  std::vector<player_facts> players_;
  std::vector<clan_facts> clans_;
  std::vector<std::string> clan_tags_;
  std::unordered_map<std::string, std::size_t> player_index_, clan_index_;
};

/// A made-up name ("Varkel", "Brave Tomo") from `rng`.
std::string made_up_name(random_numbers& rng);
/// Badge URLs of a made-up clan.
json::object made_up_badge(std::uint64_t n);
/// The clan as members and wars name it: tag, name, clanLevel, badgeUrls.
json::object clan_reference(json::object const& clan);
/// A memberList entry made from the player's profile, with the fields the API puts there.
json::object member_entry(json::object const& player, std::string const& role);
/// The tag of the ranked league group of the player at position `order` of the player order.
std::string ranked_group_tag(std::uint32_t order);
/// The group index a ranked group tag stands for; nullopt when it is not one.
std::optional<std::uint32_t> ranked_group_index(std::string const& tag);
/// The number a tag encodes (the inverse of tag_from_id); nullopt when it is not a tag.
std::optional<std::uint64_t> id_from_tag(std::string_view tag);

}  // namespace overworld::sandbox::detail
