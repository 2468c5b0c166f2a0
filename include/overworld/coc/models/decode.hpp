// JSON ⇄ models. decode<T> reads an API answer into a model (simdjson, no exceptions);
// to_json writes a model back: its members, then the fields it kept in `extra`, so that decoding
// and writing back loses nothing the API sent.
//
// decode<T> is provided for the top-level models — player, token_verification, clan, clan_war,
// war_league_group, ranked_league_group, league (and its aliases), location, gold_pass_season —
// and for list<T> of clan, clan_member, war_log_entry, raid_season, battle_log_entry,
// league_history_entry, league, league_season, location, clan_ranking, player_ranking and label.
// to_json is provided for those and for every model nested in them.
#pragma once

#include <overworld/coc/errors.hpp>
#include <overworld/coc/models/capital.hpp>
#include <overworld/coc/models/clan.hpp>
#include <overworld/coc/models/common.hpp>
#include <overworld/coc/models/enums.hpp>
#include <overworld/coc/models/gold_pass.hpp>
#include <overworld/coc/models/leagues.hpp>
#include <overworld/coc/models/player.hpp>
#include <overworld/coc/models/rankings.hpp>
#include <overworld/coc/models/time.hpp>
#include <overworld/coc/models/war.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace overworld::coc {

/// Decodes `json` (copied once, kept as the model's `raw`). A body that is not JSON, is cut short,
/// has a field of the wrong type or lacks a required field gives error_kind::decode whose message
/// names the model and the field ("cannot decode player: at achievements[3].stars: …").
template <class T>
api_result<T> decode(std::string_view json);

/// Decodes shared text without copying it (a copy is made only when the string lacks the
/// SIMDJSON_PADDING spare capacity the parser reads ahead into); the model's `raw` shares it and
/// carries `max_age` and `from_cache`.
template <class T>
api_result<T> decode(std::shared_ptr<std::string const> json, std::chrono::seconds max_age = std::chrono::seconds{0},
                     bool from_cache = false);

/// The model as JSON: known members (absent optionals left out), then `extra` as it came, except
/// entries whose key a member now writes (a null or unknown enum replaced since decoding).
template <class T>
std::string to_json(T const& model);

}  // namespace overworld::coc
