// Capital raid models: decode and to_json instances.
#include "fields.hpp"

OVERWORLD_COC_DECODABLE(overworld::coc::list<overworld::coc::raid_season>)
OVERWORLD_COC_WRITABLE(overworld::coc::raid_season)
