// `overworld ttr|ttcc|watch|launcher …`: the Toontown SDK's clients, watcher and launcher sync.
#pragma once

#include "command_line.hpp"
#include "exit_codes.hpp"
#include "output.hpp"

#include <overworld/toon/errors.hpp>
#include <overworld/toon/poller.hpp>

#include <string>

namespace overworld::cli {

void add_ttr_commands(command_line& cl);
void add_ttcc_commands(command_line& cl);
void add_watch_commands(command_line& cl);
void add_launcher_commands(command_line& cl);

/// `base` with the command line's timeout and a patience fit for one command (few retries,
/// short waits: a script would rather hear the error).
toon::polling_options cli_polling(settings const& s, api which, toon::polling_options base = {});

/// The usual end of a Toontown command: the error on stderr with its exit code, or the model's
/// JSON as the API sent it in the chosen format (output.hpp), or `render(model, color)`.
template <class T, class Render>
int finish(run_context const& ctx, toon::api_result<T> const& r, Render const& render) {
  if (!r) return fail(r.error());
  return print_body(ctx, r->json, [&](json, bool color) { return render(*r, color); });
}

}  // namespace overworld::cli
