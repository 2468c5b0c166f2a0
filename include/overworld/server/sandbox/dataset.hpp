// The sandbox's data: every resource of the CoC API as the bytes it is served with, indexed by tag
// or id. A dataset is built once (from a folder of recorded responses, completed into one
// coherent world, or by the generator) and then only read; a change edits a copy and swaps it in
// whole. The copy shares every piece it does not edit (cow.hpp), so a change costs what it
// touches.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/server/sandbox/cow.hpp>
#include <overworld/server/sandbox/paging.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  bytes profile;  ///< GET /clans/{tag}
  bool war_log_public = true;
  cow<paged_list> members, warlog, raid_seasons;
  bytes current_war;                            ///< null: the dataset's notInWar body
  std::shared_ptr<clan_summary const> summary;  ///< null: search does not find it
};

struct player_entry {
  bytes profile;
  bytes battlelog;           ///< as recorded; null: made from the world on request (views.hpp)
  bytes league_history;      ///< as recorded; null: made from the world on request
  std::string verify_token;  ///< the in-game token verifytoken accepts; empty: none
  std::uint32_t order = 0;   ///< position in dataset::player_order
};

/// A list of things with numeric ids (leagues, labels, locations) and each one alone.
struct id_table {
  paged_list list;
  std::map<std::int64_t, bytes> by_id;
};

struct location_rankings {
  paged_list clans, players, clans_builder_base, players_builder_base, capitals;
};

/// What time moves (sandbox.time_scale): the clans the calendar runs, in a fixed order, paired for
/// regular wars, grouped by eight for the Clan War League and raiding each other within their
/// part of the world; and the players without a clan, who may join one. Clans holding recorded
/// answers are not in it: what was recorded stays as it was.
struct world_plan {
  static constexpr std::uint32_t none = 0xffffffff;
  struct clan {
    std::string tag;
    std::uint32_t partner = none;    ///< the other clan of its regular wars
    std::uint32_t cwl_group = none;  ///< index into cwl_groups
    std::uint32_t part = 0;          ///< index into parts
  };
  struct part {
    std::uint32_t first = 0, last = 0;  ///< its clans; they raid each other's capitals
    std::int64_t location = 0;          ///< the country its rankings are drawn for; 0: none
  };
  std::vector<clan> clans;
  std::vector<part> parts;
  std::vector<std::array<std::uint32_t, 8>> cwl_groups;
  std::vector<std::string> clanless;  ///< players without a clan when the world was made
};

struct dataset {
  cow_map<player_entry> players;
  cow_map<clan_entry> clans;
  cow<std::vector<std::string>> search_order;  ///< searchable clans, in the order results come back
  cow<std::vector<std::string>> player_order;  ///< every player once, in a fixed order
  cow_map<bytes, 256> cwl_groups;              ///< by the tag of each clan in the group
  cow_map<bytes, 256> cwl_wars;                ///< by war tag
  cow_map<bytes, 256> ranked_groups;           ///< recorded league groups, by group tag
  /// The body of /currentwar for a clan that is not in a war (a recorded one replaces it).
  bytes not_in_war = std::make_shared<std::string const>(R"({"state":"notInWar"})");

  cow<id_table> league_tiers, leagues, war_leagues, capital_leagues, builder_base_leagues;
  cow<id_table> locations;
  cow<std::map<std::int64_t, bool>> location_is_country;
  cow<std::map<std::int64_t, location_rankings>> rankings;  ///< by location id; "global" is id 0
  bool recorded_global_rankings = false;                    ///< global's were recorded: keep them
  cow<id_table> clan_labels, player_labels;
  cow<paged_list> legend_seasons;
  cow<std::map<std::string, paged_list>> season_rankings;  ///< by season id ("2026-02-23")
  bytes gold_pass;

  /// Whole responses recorded for an exact query (a search the real API answered), by the query
  /// as canonical text ("name=test"). They answer that query as the recorded CDN entry would.
  cow<std::map<std::string, bytes>> recorded_searches;

  cow<world_plan> plan;
  /// The world time (unix seconds) the world was made as of (0: not said); a sandbox serving it
  /// starts its world clock there unless told otherwise.
  std::int64_t made_at = 0;

  /// The seed of everything made up, including the views made on request (battle logs, league
  /// history, ranked league groups of players whose ones were not recorded).
  std::uint64_t seed = 1;

  clan_entry const* clan(std::string_view tag) const { return clans.find(tag); }
  player_entry const* player(std::string_view tag) const { return players.find(tag); }
};

/// The id of the Legend League, the only one with seasons.
inline constexpr std::int64_t legend_league_id = 29000022;

/// Loads a folder of recorded responses named as in the shared fixtures (player.json, clan.json,
/// warlog.json, …; docs/sandbox.md says which file feeds which resource), then completes it into
/// one world (complete_world). Its _responses.json, when present, names the tags the lists were
/// recorded for. Files that are not there are simply absent. errc::io_error / errc::parse_error
/// with `why`.
result<std::shared_ptr<dataset>> load_dataset(std::filesystem::path const& folder, std::string& why,
                                              std::uint64_t seed = 1, std::int64_t now = 0);

/// Makes every tag the recorded answers mention resolve: each clan they name gets a profile, a
/// member list of players that point back to it, a war log, a current war (the recorded war seen
/// from the other side for an opponent), raid seasons; each player a profile; each war tag of a
/// recorded CWL group a war. Recorded bodies keep their bytes; everything made is deterministic
/// for `data.seed`; `now` (unix seconds, 0: the time of the call) is the world time it is made
/// at. load_dataset calls it.
void complete_world(dataset& data, std::int64_t now = 0);

struct generator_options {
  std::size_t clans = 100;
  std::size_t members_per_clan = 20;  ///< players = clans × members_per_clan (and a few without a clan)
  std::uint64_t seed = 1;
  std::int64_t location_id = 32000007;  ///< country whose rankings are generated (and global)
  /// Unix seconds the world is generated for: wars, CWL, raid weekends and seasons are in the
  /// state they have at that time. 0: the time of the call.
  std::int64_t start_time = 0;
};

/// Adds `clans` clans and their members to `data`, with all of what the API serves about them:
/// members in their clan's list and pointing back to it, wars between pairs of clans and their
/// war logs, CWL groups of eight with their wars, raid weekends, labels, rankings of every kind,
/// Legend League seasons, the gold pass, and (when the dataset has none) the league, label and
/// location lists. One seed and start time always give the same bytes.
void generate_into(dataset& data, generator_options const& options);

/// A tag with a valid alphabet, from a number (the encoding of the game's 64-bit ids).
std::string tag_from_id(std::uint64_t id);
/// Upper-cases, maps O to 0, adds a missing '#'; nullopt when a character is outside the tag
/// alphabet or fewer than 3 remain. "#2pp" -> "#2PP".
std::optional<std::string> normalize_tag(std::string_view tag);

}  // namespace overworld::sandbox
