// `overworld coc …`: the Clash of Clans API through overworld::coc::client.
#pragma once

#include "command_line.hpp"
#include "exit_codes.hpp"

#include <overworld/coc/errors.hpp>

namespace overworld::cli {

void add_coc_commands(command_line& cl);
/// `coc keys list|create|revoke|provision` (coc_keys.cpp), added by add_coc_commands.
void add_coc_keys_commands(command_line& cl, CLI::App* coc);
/// `coc watch clan|player|war TAG…` (coc_watch.cpp), added by add_coc_commands.
void add_coc_watch_command(command_line& cl, CLI::App* coc);

}  // namespace overworld::cli
