// Clan models: decode and to_json instances.
#include "fields.hpp"

OVERWORLD_COC_DECODABLE(overworld::coc::clan)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::clan>)
OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::clan_member>)
OVERWORLD_COC_WRITABLE(overworld::coc::clan_member)
OVERWORLD_COC_WRITABLE(overworld::coc::clan_capital)
