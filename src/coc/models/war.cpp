// War models: decode and to_json instances.
#include "fields.hpp"

OVERWORLD_COC_DECODABLE(overworld::coc::clan_war)
OVERWORLD_COC_DECODABLE(overworld::coc::war_league_group)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::war_log_entry>)
OVERWORLD_COC_WRITABLE(overworld::coc::war_clan)
OVERWORLD_COC_WRITABLE(overworld::coc::war_member)
OVERWORLD_COC_WRITABLE(overworld::coc::war_attack)
OVERWORLD_COC_WRITABLE(overworld::coc::war_log_entry)
