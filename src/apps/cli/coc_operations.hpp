// `overworld coc` commands made from the operation list (coc/operation_list.hpp): a row's
// command takes the row's path parameters as arguments and its paging flags when it pages.
#pragma once

#include "command_line.hpp"
#include "output.hpp"

#include <overworld/coc/operations.hpp>

#include <functional>
#include <optional>
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

/// One choice of a command over several rows: its `kind` picks the list row, and an id the
/// single row (`leagues --kind war 48000012`).
struct kind_rows {
  std::string_view kind;
  coc::op list;
  std::optional<coc::op> one{};
};

/// A command over several rows of one shape (`rankings KIND`, `leagues [ID] --kind KIND`,
/// `locations [ID]`): the rows' arguments and paging flags come from the rows.
struct kind_command {
  char const* name;
  char const* help;
  char const* examples;
  char const* kind_option = nullptr;  ///< "kind" (an argument) or "--kind"; nullptr with one kind
  char const* kind_help = nullptr;
  std::vector<kind_rows> kinds;   ///< the first one is the default
  char const* id_help = nullptr;  ///< the optional id that picks the kind's `one` row
  std::function<std::string(json, bool, std::string_view kind)> render_list;
  renderer render_one{};
};

void add_kind_command(command_line& cl, CLI::App* group, kind_command spec);

/// The command's name (`face.command`, or the row's name with '-' for '_').
std::string command_name(op_face const& face);
/// The command of one row (`face.own`).
void add_op_command(command_line& cl, CLI::App* group, op_face const& face);
/// A command for every row `faces` does not name, then `coc operations`, which lists every row
/// with its command.
void add_other_op_commands(command_line& cl, CLI::App* group, std::vector<op_face> const& faces);

}  // namespace overworld::cli
