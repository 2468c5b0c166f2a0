// overworld-server admin migrate --to postgres URL: copies the launcher store of a data folder
// (its SQLite file) into an empty PostgreSQL database, for a move from one node to several.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace overworld::app {

/// Adds `migrate --to postgres URL` under `admin`. `data` and `config` are the admin command's
/// --data and --config; the chosen command sets `action`.
void add_migrate_command(CLI::App* admin, std::string const& data, std::string const& config,
                         std::function<int()>& action);

}  // namespace overworld::app
