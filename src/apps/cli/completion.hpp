// `overworld completion bash|zsh|fish`: shell completion scripts made from the command tree
// itself (commands and options of every command), so they cannot drift from the parser.
#pragma once

#include "command_line.hpp"

namespace overworld::cli {

void add_completion_command(command_line& cl);

}  // namespace overworld::cli
