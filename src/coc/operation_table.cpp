#include <overworld/coc/operations.hpp>

#include <stdexcept>

namespace overworld::coc {
namespace {

using http::verb;

constexpr std::array<operation, operation_count> table{{
    {op::search_clans, "search_clans", verb::get, "/clans",
     "name,warFrequency,locationId,minMembers,maxMembers,minClanPoints,minClanLevel,labelIds", true, "list<clan>"},
    {op::clan, "clan", verb::get, "/clans/{clanTag}", "", false, "clan"},
    {op::clan_members, "clan_members", verb::get, "/clans/{clanTag}/members", "", true, "list<clan_member>"},
    {op::war_log, "war_log", verb::get, "/clans/{clanTag}/warlog", "", true, "list<war_log_entry>"},
    {op::current_war, "current_war", verb::get, "/clans/{clanTag}/currentwar", "", false, "clan_war"},
    {op::league_group, "league_group", verb::get, "/clans/{clanTag}/currentwar/leaguegroup", "", false,
     "war_league_group"},
    {op::cwl_war, "cwl_war", verb::get, "/clanwarleagues/wars/{warTag}", "", false, "clan_war"},
    {op::raid_seasons, "raid_seasons", verb::get, "/clans/{clanTag}/capitalraidseasons", "", true, "list<raid_season>"},
    {op::player, "player", verb::get, "/players/{playerTag}", "", false, "player"},
    {op::verify_token, "verify_token", verb::post, "/players/{playerTag}/verifytoken", "", false, "token_verification"},
    {op::battle_log, "battle_log", verb::get, "/players/{playerTag}/battlelog", "", false, "list<battle_log_entry>"},
    {op::league_history, "league_history", verb::get, "/players/{playerTag}/leaguehistory", "", false,
     "list<league_history_entry>"},
    {op::league_tiers, "league_tiers", verb::get, "/leaguetiers", "", true, "list<league_tier>"},
    {op::league_tier, "league_tier", verb::get, "/leaguetiers/{leagueTierId}", "", false, "league_tier"},
    {op::leagues, "leagues", verb::get, "/leagues", "", true, "list<league>"},
    {op::league, "league", verb::get, "/leagues/{leagueId}", "", false, "league"},
    {op::league_seasons, "league_seasons", verb::get, "/leagues/{leagueId}/seasons", "", true, "list<league_season>"},
    {op::league_season_rankings, "league_season_rankings", verb::get, "/leagues/{leagueId}/seasons/{seasonId}", "",
     true, "list<player_ranking>"},
    {op::ranked_league_group, "ranked_league_group", verb::get, "/leaguegroup/{leagueGroupTag}/{leagueSeasonId}",
     "playerTag", false, "ranked_league_group"},
    {op::war_leagues, "war_leagues", verb::get, "/warleagues", "", true, "list<war_league>"},
    {op::war_league, "war_league", verb::get, "/warleagues/{leagueId}", "", false, "war_league"},
    {op::capital_leagues, "capital_leagues", verb::get, "/capitalleagues", "", true, "list<capital_league>"},
    {op::capital_league, "capital_league", verb::get, "/capitalleagues/{leagueId}", "", false, "capital_league"},
    {op::builder_base_leagues, "builder_base_leagues", verb::get, "/builderbaseleagues", "", true,
     "list<builder_base_league>"},
    {op::builder_base_league, "builder_base_league", verb::get, "/builderbaseleagues/{leagueId}", "", false,
     "builder_base_league"},
    {op::locations, "locations", verb::get, "/locations", "", true, "list<location>"},
    {op::location, "location", verb::get, "/locations/{locationId}", "", false, "location"},
    {op::clan_rankings, "clan_rankings", verb::get, "/locations/{locationId}/rankings/clans", "", true,
     "list<clan_ranking>"},
    {op::player_rankings, "player_rankings", verb::get, "/locations/{locationId}/rankings/players", "", true,
     "list<player_ranking>"},
    {op::clan_builder_base_rankings, "clan_builder_base_rankings", verb::get,
     "/locations/{locationId}/rankings/clans-builder-base", "", true, "list<clan_ranking>"},
    {op::player_builder_base_rankings, "player_builder_base_rankings", verb::get,
     "/locations/{locationId}/rankings/players-builder-base", "", true, "list<player_ranking>"},
    {op::capital_rankings, "capital_rankings", verb::get, "/locations/{locationId}/rankings/capitals", "", true,
     "list<clan_ranking>"},
    {op::gold_pass, "gold_pass", verb::get, "/goldpass/seasons/current", "", false, "gold_pass_season"},
    {op::clan_labels, "clan_labels", verb::get, "/labels/clans", "", true, "list<label>"},
    {op::player_labels, "player_labels", verb::get, "/labels/players", "", true, "list<label>"},
}};

constexpr bool in_order() {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (static_cast<std::size_t>(table[i].id) != i) return false;
  }
  return true;
}
static_assert(in_order(), "the table follows the order of coc::op");

}  // namespace

std::span<operation const, operation_count> operations() noexcept { return table; }

operation const& operation_of(op id) noexcept { return table[static_cast<std::size_t>(id)]; }

std::string expand_path(operation const& o, std::initializer_list<std::string_view> segments) {
  std::string out;
  out.reserve(o.path.size() + 16);
  auto next = segments.begin();
  for (std::size_t i = 0; i < o.path.size();) {
    if (o.path[i] != '{') {
      out += o.path[i++];
      continue;
    }
    if (next == segments.end()) throw std::invalid_argument("coc: too few segments for " + std::string{o.path});
    out += *next++;
    i = o.path.find('}', i) + 1;
  }
  if (next != segments.end()) throw std::invalid_argument("coc: too many segments for " + std::string{o.path});
  return out;
}

}  // namespace overworld::coc
