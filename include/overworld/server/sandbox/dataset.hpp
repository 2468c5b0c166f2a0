// The sandbox's data: every resource of the CoC API as the bytes it is served with, indexed by tag
// or id. A dataset is built once (from a folder of recorded responses, or by the generator) and
// then only read; a change builds a new dataset and swaps it in whole.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/server/sandbox/paging.hpp>

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace overworld::sandbox {

using bytes = std::shared_ptr<std::string const>;

/// What the clan search filters read, beside the summary it returns.
struct clan_summary {
  std::string tag;
  std::string name_lower;
  std::string war_frequency;
  std::int64_t location_id = 0;
  std::int64_t members = 0;
  std::int64_t clan_points = 0;
  std::int64_t clan_level = 0;
  std::vector<std::int64_t> label_ids;
  std::string json;  ///< compact JSON of the search result item
};

struct clan_entry {
  bytes profile;  ///< GET /clans/{tag}; null when only the clan's lists are known
  bool war_log_public = true;
  std::optional<paged_list> members, warlog, raid_seasons;
  bytes current_war;  ///< null: the dataset's notInWar body
};

struct player_entry {
  bytes profile;
  bytes battlelog;           ///< null: {"items":[]}
  bytes league_history;      ///< null: {"items":[]}
  std::string verify_token;  ///< the in-game token verifytoken accepts; empty: none
};

/// A list of things with numeric ids (leagues, labels, locations) and each one alone.
struct id_table {
  paged_list list;
  std::map<std::int64_t, bytes> by_id;
};

struct location_rankings {
  paged_list clans, players, clans_builder_base, players_builder_base, capitals;
};

struct dataset {
  // Open addressing (one probe group, no modulo by a prime): the tag lookup is the sandbox's
  // hottest step after the HTTP core. Changes copy the dataset, so element moves on a rehash
  // never meet a reader.
  boost::unordered_flat_map<std::string, player_entry> players;
  boost::unordered_flat_map<std::string, clan_entry> clans;
  std::vector<clan_summary> search;  ///< in the order results come back
  std::unordered_map<std::string, std::size_t> search_by_tag;
  std::unordered_map<std::string, bytes> cwl_groups;     ///< by the tag of each clan in the group
  std::unordered_map<std::string, bytes> cwl_wars;       ///< by war tag
  std::unordered_map<std::string, bytes> ranked_groups;  ///< by league group tag
  /// The body of /currentwar for a clan that is not in a war (a recorded one replaces it).
  bytes not_in_war = std::make_shared<std::string const>(R"({"state":"notInWar"})");

  id_table league_tiers, leagues, war_leagues, capital_leagues, builder_base_leagues;
  id_table locations;
  std::map<std::int64_t, bool> location_is_country;
  std::map<std::int64_t, location_rankings> rankings;  ///< by location id; "global" is id 0
  id_table clan_labels, player_labels;
  paged_list legend_seasons;
  std::map<std::string, paged_list> season_rankings;  ///< by season id ("2026-02")
  bytes gold_pass;

  /// Whole responses recorded for an exact query (a search the real API answered), by the query
  /// as canonical text ("name=test"). They answer that query as the recorded CDN entry would.
  std::map<std::string, bytes> recorded_searches;
};

/// The id of the Legend League, the only one with seasons.
inline constexpr std::int64_t legend_league_id = 29000022;

/// Loads a folder of recorded responses named as in the shared fixtures (player.json, clan.json,
/// warlog.json, …; docs/sandbox.md says which file feeds which resource). Its
/// _responses.json, when present, names the tags the lists were recorded for. Files that are not
/// there are simply absent from the dataset. errc::io_error / errc::parse_error with `why`.
result<std::shared_ptr<dataset>> load_dataset(std::filesystem::path const& folder, std::string& why);

struct generator_options {
  std::size_t clans = 100;
  std::size_t members_per_clan = 20;  ///< players = clans × members_per_clan
  std::uint64_t seed = 1;
  std::int64_t location_id = 32000007;  ///< country whose rankings are generated (and global)
};

/// Adds `clans` clans and their members to `data`: members belong to their clan (and appear in
/// its member list), tags are valid and unique, rankings are sorted by trophies and clan points.
void generate_into(dataset& data, generator_options const& options);

/// A tag with a valid alphabet, from a number (the encoding of the game's 64-bit ids).
std::string tag_from_id(std::uint64_t id);
/// Upper-cases, maps O to 0, adds a missing '#'; nullopt when a character is outside the tag
/// alphabet or fewer than 3 remain. "#2pp" -> "#2PP".
std::optional<std::string> normalize_tag(std::string_view tag);

}  // namespace overworld::sandbox
