// `overworld coc …`: the Clash of Clans API through overworld::coc::client.
#pragma once

#include "command_line.hpp"

namespace overworld::cli {

void add_coc_commands(command_line& cl);

}  // namespace overworld::cli
