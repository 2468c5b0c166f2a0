// `overworld coc` commands made from the operation list (coc/operation_list.hpp): a row's
// command takes the row's path parameters as arguments and its paging flags when it pages.
#pragma once

#include "command_line.hpp"
#include "output.hpp"

#include <overworld/coc/operations.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace overworld::cli {

/// How one row of the operation list shows on the command line.
struct op_face {
  coc::op id;
  std::string_view command{};  ///< the command that calls it; empty: the row's name, '-' for '_'
  char const* help = nullptr;  ///< nullptr: the row's method and path
  renderer render{};           ///< empty: the plain fields of the answer (coc_render::fields)
  bool own = true;             ///< false: a hand-written command calls it (with other rows, or a resolver)
};

/// The command's name (`face.command`, or the row's name with '-' for '_').
std::string command_name(op_face const& face);
/// The command of one row (`face.own`).
void add_op_command(command_line& cl, CLI::App* group, op_face const& face);
/// A command for every row `faces` does not name, then `coc operations`, which lists every row
/// with its command.
void add_other_op_commands(command_line& cl, CLI::App* group, std::vector<op_face> const& faces);

}  // namespace overworld::cli
