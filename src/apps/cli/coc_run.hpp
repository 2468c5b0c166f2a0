// What every `overworld coc` command shares: the client made from the settings, one call (or
// every page of it with --all) printed in the chosen format, the paging flags, tags for messages
// and the completion history.
#pragma once

#include "command_line.hpp"
#include "errors.hpp"
#include "output.hpp"

#include <overworld/coc/client.hpp>

#include <functional>
#include <optional>
#include <string>

namespace overworld::cli {

using coc_call = std::function<coc::client::call(coc::client&)>;
using coc_renderer = renderer;

// Per-command option storage lives as long as the command line (the callbacks hold it).
struct paging_flags {
  std::optional<unsigned> limit;
  std::string after, before;
  bool all = false;
  coc::paging page() const { return {limit, after, before}; }
};

/// Makes the client, runs `op` (every page of it with --all: at most 100) and prints the answer
/// with `render`; the exit status. `paging` when the command pages.
int run_coc(run_context const& ctx, coc_call const& op, coc_renderer const& render, error_words words = {},
            paging_flags* paging = nullptr);
/// --limit, --after, --before and --all.
void add_paging(CLI::App* command, paging_flags& p);
/// "#2PP" from "2pp" or "#2PP" (for messages; the SDK checks and encodes tags itself).
std::string shown_tag(std::string tag);
/// The command's exit status; a tag that was found goes into the completion history.
int remembering(std::string const& tag, int code);
/// A location of the rankings from the command line: an id or "global".
std::optional<coc::location_ref> location_of(std::string const& text);

}  // namespace overworld::cli
