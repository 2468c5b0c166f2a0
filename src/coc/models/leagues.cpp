// Leagues, locations, rankings, labels and the gold pass: decode and to_json instances.
#include "fields.hpp"

OVERWORLD_COC_DECODABLE(overworld::coc::league)
OVERWORLD_COC_DECODABLE(overworld::coc::location)
OVERWORLD_COC_DECODABLE(overworld::coc::gold_pass_season)
OVERWORLD_COC_DECODABLE(overworld::coc::ranked_league_group)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::league>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::league_season>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::location>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::label>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::clan_ranking>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::player_ranking>)
OVERWORLD_COC_WRITABLE(overworld::coc::label)
OVERWORLD_COC_WRITABLE(overworld::coc::clan_ranking)
OVERWORLD_COC_WRITABLE(overworld::coc::player_ranking)
