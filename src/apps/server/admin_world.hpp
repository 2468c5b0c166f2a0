// overworld-server admin sillymeter …: the world lives in the running server's memory, so these
// commands call its admin API (admin.listen, with the admin key) instead of opening a store.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace overworld::app {

/// Adds `sillymeter points TEAM N` and `sillymeter state STATE [--winner TEAM]` under `admin`.
/// `data` and `config` are the admin command's --data and --config; a chosen command sets `action`.
void add_world_admin_commands(CLI::App* admin, std::string const& data, std::string const& config,
                              std::function<int()>& action);

}  // namespace overworld::app
