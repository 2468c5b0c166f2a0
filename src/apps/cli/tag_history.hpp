// The Clash of Clans tags the command line was asked about and found, most recent first, kept for
// shell completion (`overworld coc player <TAB>`) in $XDG_STATE_HOME/overworld/tags (by default
// ~/.local/state/overworld/tags): at most `tag_history_size` tags, one per line, without '#'.
// OVERWORLD_NO_HISTORY=1 turns it off; nothing else is recorded.
#pragma once

#include "settings.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

inline constexpr std::size_t tag_history_size = 200;

/// The history file; empty when there is no state folder (no HOME) or history is off.
std::filesystem::path tag_history_file(getenv_function const& getenv);

/// Puts a tag first (normalised: "#2pp" → "2PP"; tags that are not valid are ignored). Failures
/// to write are ignored: the history is a convenience, never a reason for a command to fail.
void remember_tag(std::string_view tag, getenv_function const& getenv);

/// The remembered tags, most recent first.
std::vector<std::string> remembered_tags(getenv_function const& getenv);

}  // namespace overworld::cli
