// The JSON key of every model member, in the order the API sends them (codec.hpp reads and writes
// through these tables). A key listed here and missing from the struct does not compile; a member
// missing here is never read or written, so each struct and its table change together.
#pragma once

#include "fields_common.hpp"

namespace overworld::coc::models_detail {

template <>
struct model<player_clan> {
  static constexpr std::string_view name = "player clan";
  static constexpr auto fields =
      std::make_tuple(field("tag", &player_clan::tag), field("name", &player_clan::name),
                      field("clanLevel", &player_clan::clan_level), field("badgeUrls", &player_clan::badge_urls));
};

template <>
struct model<achievement> {
  static constexpr std::string_view name = "achievement";
  static constexpr auto fields = std::make_tuple(
      field("name", &achievement::name), field("stars", &achievement::stars), field("value", &achievement::value),
      field("target", &achievement::target), field("info", &achievement::info),
      field("completionInfo", &achievement::completion_info), field("village", &achievement::village));
};

template <>
struct model<player_item> {
  static constexpr std::string_view name = "player item";
  static constexpr auto fields = std::make_tuple(
      field("name", &player_item::name), field("level", &player_item::level),
      field("maxLevel", &player_item::max_level), field("village", &player_item::village),
      field("superTroopIsActive", &player_item::super_troop_is_active), field("equipment", &player_item::equipment));
};

template <>
struct model<legend_season_result> {
  static constexpr std::string_view name = "legend season";
  static constexpr auto fields =
      std::make_tuple(field("id", &legend_season_result::id), field("rank", &legend_season_result::rank),
                      field("trophies", &legend_season_result::trophies));
};

template <>
struct model<legend_statistics> {
  static constexpr std::string_view name = "legend statistics";
  static constexpr auto fields =
      std::make_tuple(field("legendTrophies", &legend_statistics::legend_trophies),
                      field("currentSeason", &legend_statistics::current_season),
                      field("previousSeason", &legend_statistics::previous_season),
                      field("bestSeason", &legend_statistics::best_season),
                      field("previousBuilderBaseSeason", &legend_statistics::previous_builder_base_season),
                      field("bestBuilderBaseSeason", &legend_statistics::best_builder_base_season));
};

template <>
struct model<player> {
  static constexpr std::string_view name = "player";
  static constexpr auto fields = std::make_tuple(
      field("tag", &player::tag), field("name", &player::name), field("townHallLevel", &player::town_hall_level),
      field("townHallWeaponLevel", &player::town_hall_weapon_level), field("expLevel", &player::exp_level),
      field("trophies", &player::trophies), field("bestTrophies", &player::best_trophies),
      field("warStars", &player::war_stars), field("attackWins", &player::attack_wins),
      field("defenseWins", &player::defense_wins), field("builderHallLevel", &player::builder_hall_level),
      field("builderBaseTrophies", &player::builder_base_trophies),
      field("bestBuilderBaseTrophies", &player::best_builder_base_trophies),
      field("versusTrophies", &player::versus_trophies), field("role", &player::role),
      field("warPreference", &player::war_preference), field("donations", &player::donations),
      field("donationsReceived", &player::donations_received),
      field("clanCapitalContributions", &player::clan_capital_contributions), field("clan", &player::clan),
      field("league", &player::league), field("leagueTier", &player::league_tier),
      field("builderBaseLeague", &player::builder_base_league),
      field("currentLeagueGroupTag", &player::current_league_group_tag),
      field("currentLeagueSeasonId", &player::current_league_season_id),
      field("previousLeagueGroupTag", &player::previous_league_group_tag),
      field("previousLeagueSeasonId", &player::previous_league_season_id),
      field("legendStatistics", &player::legend_statistics), field("achievements", &player::achievements),
      field("playerHouse", &player::player_house), field("labels", &player::labels), field("troops", &player::troops),
      field("heroes", &player::heroes), field("heroEquipment", &player::hero_equipment),
      field("spells", &player::spells));
};

template <>
struct model<token_verification> {
  static constexpr std::string_view name = "token verification";
  static constexpr auto fields =
      std::make_tuple(field("tag", &token_verification::tag), field("token", &token_verification::token),
                      field("status", &token_verification::status));
};

template <>
struct model<loot> {
  static constexpr std::string_view name = "loot";
  static constexpr auto fields = std::make_tuple(field("name", &loot::name), field("amount", &loot::amount));
};

template <>
struct model<battle_log_entry> {
  static constexpr std::string_view name = "battle log entry";
  static constexpr auto fields = std::make_tuple(
      field("battleType", &battle_log_entry::battle_type), field("attack", &battle_log_entry::attack),
      field("armyShareCode", &battle_log_entry::army_share_code),
      field("opponentPlayerTag", &battle_log_entry::opponent_player_tag), field("stars", &battle_log_entry::stars),
      field("destructionPercentage", &battle_log_entry::destruction_percentage),
      field("lootedResources", &battle_log_entry::looted_resources),
      field("extraLootedResources", &battle_log_entry::extra_looted_resources),
      field("availableLoot", &battle_log_entry::available_loot));
};

template <>
struct model<league_history_entry> {
  static constexpr std::string_view name = "league history entry";
  static constexpr auto fields = std::make_tuple(field("leagueSeasonId", &league_history_entry::league_season_id),
                                                 field("leagueTrophies", &league_history_entry::league_trophies),
                                                 field("leagueTierId", &league_history_entry::league_tier_id),
                                                 field("placement", &league_history_entry::placement),
                                                 field("attackWins", &league_history_entry::attack_wins),
                                                 field("attackLosses", &league_history_entry::attack_losses),
                                                 field("attackStars", &league_history_entry::attack_stars),
                                                 field("defenseWins", &league_history_entry::defense_wins),
                                                 field("defenseLosses", &league_history_entry::defense_losses),
                                                 field("defenseStars", &league_history_entry::defense_stars),
                                                 field("maxBattles", &league_history_entry::max_battles));
};

template <>
struct model<clan_member> {
  static constexpr std::string_view name = "clan member";
  static constexpr auto fields = std::make_tuple(
      field("tag", &clan_member::tag), field("name", &clan_member::name), field("role", &clan_member::role),
      field("townHallLevel", &clan_member::town_hall_level), field("expLevel", &clan_member::exp_level),
      field("league", &clan_member::league), field("leagueTier", &clan_member::league_tier),
      field("builderBaseLeague", &clan_member::builder_base_league), field("trophies", &clan_member::trophies),
      field("builderBaseTrophies", &clan_member::builder_base_trophies),
      field("versusTrophies", &clan_member::versus_trophies), field("clanRank", &clan_member::clan_rank),
      field("previousClanRank", &clan_member::previous_clan_rank), field("donations", &clan_member::donations),
      field("donationsReceived", &clan_member::donations_received), field("playerHouse", &clan_member::player_house));
};

template <>
struct model<capital_district> {
  static constexpr std::string_view name = "capital district";
  static constexpr auto fields =
      std::make_tuple(field("id", &capital_district::id), field("name", &capital_district::name),
                      field("districtHallLevel", &capital_district::district_hall_level));
};

template <>
struct model<clan_capital> {
  static constexpr std::string_view name = "clan capital";
  static constexpr auto fields = std::make_tuple(field("capitalHallLevel", &clan_capital::capital_hall_level),
                                                 field("districts", &clan_capital::districts));
};

template <>
struct model<clan> {
  static constexpr std::string_view name = "clan";
  static constexpr auto fields = std::make_tuple(
      field("tag", &clan::tag), field("name", &clan::name), field("type", &clan::type),
      field("description", &clan::description), field("location", &clan::location),
      field("isFamilyFriendly", &clan::is_family_friendly), field("badgeUrls", &clan::badge_urls),
      field("clanLevel", &clan::clan_level), field("clanPoints", &clan::clan_points),
      field("clanBuilderBasePoints", &clan::clan_builder_base_points),
      field("clanVersusPoints", &clan::clan_versus_points), field("clanCapitalPoints", &clan::clan_capital_points),
      field("capitalLeague", &clan::capital_league), field("requiredTrophies", &clan::required_trophies),
      field("warFrequency", &clan::war_frequency), field("warWinStreak", &clan::war_win_streak),
      field("warWins", &clan::war_wins), field("warTies", &clan::war_ties), field("warLosses", &clan::war_losses),
      field("isWarLogPublic", &clan::is_war_log_public), field("warLeague", &clan::war_league),
      field("members", &clan::members), field("memberList", &clan::member_list), field("labels", &clan::labels),
      field("requiredBuilderBaseTrophies", &clan::required_builder_base_trophies),
      field("requiredVersusTrophies", &clan::required_versus_trophies),
      field("requiredTownhallLevel", &clan::required_townhall_level), field("clanCapital", &clan::clan_capital),
      field("chatLanguage", &clan::chat_language));
};

template <>
struct model<war_attack> {
  static constexpr std::string_view name = "war attack";
  static constexpr auto fields = std::make_tuple(
      field("attackerTag", &war_attack::attacker_tag), field("defenderTag", &war_attack::defender_tag),
      field("stars", &war_attack::stars), field("destructionPercentage", &war_attack::destruction_percentage),
      field("order", &war_attack::order), field("duration", &war_attack::duration));
};

template <>
struct model<war_member> {
  static constexpr std::string_view name = "war member";
  static constexpr auto fields = std::make_tuple(
      field("tag", &war_member::tag), field("name", &war_member::name),
      field("townhallLevel", &war_member::townhall_level), field("mapPosition", &war_member::map_position),
      field("attacks", &war_member::attacks), field("opponentAttacks", &war_member::opponent_attacks),
      field("bestOpponentAttack", &war_member::best_opponent_attack));
};

template <>
struct model<war_clan> {
  static constexpr std::string_view name = "war clan";
  static constexpr auto fields = std::make_tuple(
      field("tag", &war_clan::tag), field("name", &war_clan::name), field("badgeUrls", &war_clan::badge_urls),
      field("clanLevel", &war_clan::clan_level), field("attacks", &war_clan::attacks), field("stars", &war_clan::stars),
      field("destructionPercentage", &war_clan::destruction_percentage), field("expEarned", &war_clan::exp_earned),
      field("members", &war_clan::members));
};

template <>
struct model<clan_war> {
  static constexpr std::string_view name = "war";
  static constexpr auto fields = std::make_tuple(
      field("state", &clan_war::state), field("teamSize", &clan_war::team_size),
      field("attacksPerMember", &clan_war::attacks_per_member), field("battleModifier", &clan_war::battle_modifier),
      field("preparationStartTime", &clan_war::preparation_start_time), field("startTime", &clan_war::start_time),
      field("endTime", &clan_war::end_time), field("warStartTime", &clan_war::war_start_time),
      field("clan", &clan_war::clan), field("opponent", &clan_war::opponent));
};

template <>
struct model<war_log_entry> {
  static constexpr std::string_view name = "war log entry";
  static constexpr auto fields = std::make_tuple(
      field("result", &war_log_entry::result), field("endTime", &war_log_entry::end_time),
      field("teamSize", &war_log_entry::team_size), field("attacksPerMember", &war_log_entry::attacks_per_member),
      field("battleModifier", &war_log_entry::battle_modifier), field("clan", &war_log_entry::clan),
      field("opponent", &war_log_entry::opponent));
};

template <>
struct model<league_group_clan_member> {
  static constexpr std::string_view name = "league group clan member";
  static constexpr auto fields =
      std::make_tuple(field("tag", &league_group_clan_member::tag), field("name", &league_group_clan_member::name),
                      field("townHallLevel", &league_group_clan_member::town_hall_level));
};

template <>
struct model<league_group_clan> {
  static constexpr std::string_view name = "league group clan";
  static constexpr auto fields = std::make_tuple(
      field("tag", &league_group_clan::tag), field("name", &league_group_clan::name),
      field("clanLevel", &league_group_clan::clan_level), field("badgeUrls", &league_group_clan::badge_urls),
      field("members", &league_group_clan::members));
};

template <>
struct model<league_group_round> {
  static constexpr std::string_view name = "league group round";
  static constexpr auto fields = std::make_tuple(field("warTags", &league_group_round::war_tags));
};

template <>
struct model<war_league_group> {
  static constexpr std::string_view name = "war league group";
  static constexpr auto fields =
      std::make_tuple(field("tag", &war_league_group::tag), field("state", &war_league_group::state),
                      field("season", &war_league_group::season), field("clans", &war_league_group::clans),
                      field("rounds", &war_league_group::rounds));
};

template <>
struct model<raid_member> {
  static constexpr std::string_view name = "raid member";
  static constexpr auto fields = std::make_tuple(
      field("tag", &raid_member::tag), field("name", &raid_member::name), field("attacks", &raid_member::attacks),
      field("attackLimit", &raid_member::attack_limit), field("bonusAttackLimit", &raid_member::bonus_attack_limit),
      field("capitalResourcesLooted", &raid_member::capital_resources_looted));
};

template <>
struct model<raid_clan> {
  static constexpr std::string_view name = "raid clan";
  static constexpr auto fields =
      std::make_tuple(field("tag", &raid_clan::tag), field("name", &raid_clan::name), field("level", &raid_clan::level),
                      field("badgeUrls", &raid_clan::badge_urls));
};

template <>
struct model<raid_attacker> {
  static constexpr std::string_view name = "raid attacker";
  static constexpr auto fields =
      std::make_tuple(field("tag", &raid_attacker::tag), field("name", &raid_attacker::name));
};

template <>
struct model<raid_attack> {
  static constexpr std::string_view name = "raid attack";
  static constexpr auto fields = std::make_tuple(field("attacker", &raid_attack::attacker),
                                                 field("destructionPercent", &raid_attack::destruction_percent),
                                                 field("stars", &raid_attack::stars));
};

template <>
struct model<raid_district> {
  static constexpr std::string_view name = "raid district";
  static constexpr auto fields =
      std::make_tuple(field("id", &raid_district::id), field("name", &raid_district::name),
                      field("districtHallLevel", &raid_district::district_hall_level),
                      field("destructionPercent", &raid_district::destruction_percent),
                      field("stars", &raid_district::stars), field("attackCount", &raid_district::attack_count),
                      field("totalLooted", &raid_district::total_looted), field("attacks", &raid_district::attacks));
};

template <>
struct model<raid_log_entry> {
  static constexpr std::string_view name = "raid log entry";
  static constexpr auto fields = std::make_tuple(
      field("defender", &raid_log_entry::defender), field("attacker", &raid_log_entry::attacker),
      field("attackCount", &raid_log_entry::attack_count), field("districtCount", &raid_log_entry::district_count),
      field("districtsDestroyed", &raid_log_entry::districts_destroyed),
      field("districts", &raid_log_entry::districts));
};

template <>
struct model<raid_season> {
  static constexpr std::string_view name = "raid season";
  static constexpr auto fields = std::make_tuple(
      field("state", &raid_season::state), field("startTime", &raid_season::start_time),
      field("endTime", &raid_season::end_time), field("capitalTotalLoot", &raid_season::capital_total_loot),
      field("raidsCompleted", &raid_season::raids_completed), field("totalAttacks", &raid_season::total_attacks),
      field("enemyDistrictsDestroyed", &raid_season::enemy_districts_destroyed),
      field("offensiveReward", &raid_season::offensive_reward),
      field("defensiveReward", &raid_season::defensive_reward), field("members", &raid_season::members),
      field("attackLog", &raid_season::attack_log), field("defenseLog", &raid_season::defense_log));
};

template <>
struct model<clan_ranking> {
  static constexpr std::string_view name = "clan ranking";
  static constexpr auto fields = std::make_tuple(
      field("tag", &clan_ranking::tag), field("name", &clan_ranking::name), field("location", &clan_ranking::location),
      field("badgeUrls", &clan_ranking::badge_urls), field("clanLevel", &clan_ranking::clan_level),
      field("members", &clan_ranking::members), field("rank", &clan_ranking::rank),
      field("previousRank", &clan_ranking::previous_rank), field("clanPoints", &clan_ranking::clan_points),
      field("clanBuilderBasePoints", &clan_ranking::clan_builder_base_points),
      field("clanVersusPoints", &clan_ranking::clan_versus_points),
      field("clanCapitalPoints", &clan_ranking::clan_capital_points));
};

template <>
struct model<player_ranking_clan> {
  static constexpr std::string_view name = "player ranking clan";
  static constexpr auto fields =
      std::make_tuple(field("tag", &player_ranking_clan::tag), field("name", &player_ranking_clan::name),
                      field("badgeUrls", &player_ranking_clan::badge_urls));
};

template <>
struct model<player_ranking> {
  static constexpr std::string_view name = "player ranking";
  static constexpr auto fields = std::make_tuple(
      field("tag", &player_ranking::tag), field("name", &player_ranking::name),
      field("expLevel", &player_ranking::exp_level), field("rank", &player_ranking::rank),
      field("previousRank", &player_ranking::previous_rank), field("trophies", &player_ranking::trophies),
      field("attackWins", &player_ranking::attack_wins), field("defenseWins", &player_ranking::defense_wins),
      field("builderBaseTrophies", &player_ranking::builder_base_trophies),
      field("versusTrophies", &player_ranking::versus_trophies),
      field("versusBattleWins", &player_ranking::versus_battle_wins), field("clan", &player_ranking::clan),
      field("league", &player_ranking::league), field("leagueTier", &player_ranking::league_tier),
      field("builderBaseLeague", &player_ranking::builder_base_league));
};

template <>
struct model<ranked_group_member> {
  static constexpr std::string_view name = "ranked group member";
  static constexpr auto fields = std::make_tuple(
      field("playerTag", &ranked_group_member::player_tag), field("playerName", &ranked_group_member::player_name),
      field("clanTag", &ranked_group_member::clan_tag), field("clanName", &ranked_group_member::clan_name),
      field("leagueTrophies", &ranked_group_member::league_trophies),
      field("attackWinCount", &ranked_group_member::attack_win_count),
      field("attackLoseCount", &ranked_group_member::attack_lose_count),
      field("defenseWinCount", &ranked_group_member::defense_win_count),
      field("defenseLoseCount", &ranked_group_member::defense_lose_count));
};

template <>
struct model<ranked_battle> {
  static constexpr std::string_view name = "ranked battle";
  static constexpr auto fields = std::make_tuple(
      field("opponentPlayerTag", &ranked_battle::opponent_player_tag),
      field("opponentName", &ranked_battle::opponent_name), field("stars", &ranked_battle::stars),
      field("destructionPercentage", &ranked_battle::destruction_percentage),
      field("trophies", &ranked_battle::trophies), field("creationTime", &ranked_battle::creation_time));
};

template <>
struct model<ranked_league_group> {
  static constexpr std::string_view name = "ranked league group";
  static constexpr auto fields = std::make_tuple(field("members", &ranked_league_group::members),
                                                 field("attackLogs", &ranked_league_group::attack_logs),
                                                 field("defenseLogs", &ranked_league_group::defense_logs));
};

template <>
struct model<gold_pass_season> {
  static constexpr std::string_view name = "gold pass season";
  static constexpr auto fields =
      std::make_tuple(field("startTime", &gold_pass_season::start_time), field("endTime", &gold_pass_season::end_time));
};

}  // namespace overworld::coc::models_detail
