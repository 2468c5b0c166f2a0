// Player models: decode and to_json instances.
#include "fields.hpp"

OVERWORLD_COC_DECODABLE(overworld::coc::player)
OVERWORLD_COC_DECODABLE(overworld::coc::token_verification)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::battle_log_entry>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::league_history_entry>)
OVERWORLD_COC_WRITABLE(overworld::coc::player_clan)
OVERWORLD_COC_WRITABLE(overworld::coc::achievement)
OVERWORLD_COC_WRITABLE(overworld::coc::player_item)
OVERWORLD_COC_WRITABLE(overworld::coc::legend_statistics)
OVERWORLD_COC_WRITABLE(overworld::coc::battle_log_entry)
OVERWORLD_COC_WRITABLE(overworld::coc::league_history_entry)
