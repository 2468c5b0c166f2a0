// `overworld config path|get KEY|set KEY VALUE` (config_command.cpp).
#pragma once

#include "command_line.hpp"

namespace overworld::cli {

void add_config_commands(command_line& cl);

}  // namespace overworld::cli
