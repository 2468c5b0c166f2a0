// Tables for people from the Clash of Clans API's JSON (the raw answers of coc::client; --json
// prints those answers untouched instead). A field the answer lacks is left blank.
#pragma once

#include "json_view.hpp"

#include <string>
#include <string_view>

namespace overworld::cli::coc_render {

std::string player(json root, bool color);
std::string clan(json root, bool color);
std::string members(json root, bool color);  ///< /clans/{tag}/members
/// A current war or a CWL war; `cwl_round` (1-based) when it was found through the league group.
std::string war(json root, bool color, unsigned cwl_round = 0);
std::string league_group(json root, bool color);
std::string war_log(json root, bool color);
std::string raids(json root, bool color);
std::string clan_list(json root, bool color);  ///< clan search results

/// The rankings of `kind`: clans, players, builder-clans, builder-players, capitals.
std::string rankings(json root, std::string_view kind, bool color);
std::string locations(json root, bool color);
std::string location(json root, bool color);
std::string leagues(json root, bool color);  ///< any list of {id, name}
std::string league(json root, bool color);
std::string gold_pass(json root, bool color);
/// `coc operations`: operation, method, path, command.
std::string operations(json root, bool color);
/// Any answer without a table of its own: a list as a table of its items' plain fields (numbers,
/// text, true/false; nested ones with -o json or --fields), anything else as "Field value" lines
/// followed by a table of each list it holds.
std::string fields(json root, bool color);

}  // namespace overworld::cli::coc_render
