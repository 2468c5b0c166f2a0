#include "admin_migrate.hpp"

#include "options.hpp"

#include <overworld/server/world/history.hpp>
#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

namespace overworld::app {
namespace {

int fail(std::string const& message, int status = 1) {
  std::fprintf(stderr, "overworld-server admin migrate: %s\n", message.c_str());
  return status;
}

/// The data folder's configuration, with store.backend = "sqlite" whatever it says: the source.
result<config> source_config(std::string const& data, std::string const& file, std::string& why) {
  config cfg{server_config_schema()};
  if (auto loaded = load_admin_config(cfg, data, file, why); !loaded) return loaded.error();
  (void)cfg.set("store.backend", "sqlite", config_source::flag);
  return cfg;
}

/// The world history of the data folder (world.history_db): everything it holds, or nothing when
/// the history is off or was never written. The file is opened only when it exists.
result<world::history_contents> read_history(config const& cfg, std::string const& data, std::string& why) {
  std::filesystem::path file = cfg.get("world.history_db");
  if (file.empty()) return world::history_contents{};
  if (file.is_relative()) file = std::filesystem::path{data} / file;
  if (!std::filesystem::exists(file)) return world::history_contents{};
  auto history = world::open_sqlite_history(file, why);
  if (!history) return history.error();
  auto contents = (*history)->contents();
  if (!contents) why = "cannot read the world history " + file.string() + ": " + contents.error().message();
  return contents;
}

int copy_history(world::invasion_history& target, world::history_contents const& contents) {
  if (auto loaded = target.load(contents); !loaded)
    return fail("the launcher data was copied, but the world history could not be: " + loaded.error().message() +
                "; drop the world_* tables and run migrate again into an empty database");
  return 0;
}

int migrate(std::string const& data, std::string const& file, std::string const& url) {
  std::string why;
  auto cfg = source_config(data, file, why);
  if (!cfg) return fail(why);
  auto source = open_launcher_store(*cfg, data, why);
  if (!source) return fail(why);
  auto history = read_history(*cfg, data, why);
  if (!history) return fail(why);
  store::postgres_options target_options;
  target_options.conninfo = url;
  target_options.pool_size = 1;
  auto target = store::open_postgres_launcher_store(target_options, why);
  if (!target) return fail(why);
  auto target_history = world::open_postgres_history(target_options, why);
  if (!target_history) return fail(why);
  // Refused before anything is written: a database that already holds history stays as it was.
  auto held = (*target_history)->contents();
  if (!held) return fail("cannot read the world history in PostgreSQL: " + held.error().message());
  if (!held->invasions.empty() || held->meter)
    return fail("the PostgreSQL database already holds world history; nothing was copied (migrate into an empty one)");
  auto contents = (*source)->contents();
  if (!contents) return fail("cannot read the launcher store of " + data + ": " + contents.error().message());
  if (auto loaded = (*target)->load(*contents); !loaded) {
    if (loaded.error() == errc::invalid_argument)
      return fail(
          "the PostgreSQL database already holds launcher data; nothing was copied (migrate into an empty one)");
    return fail("cannot write to PostgreSQL: " + loaded.error().message() + "; nothing was copied");
  }
  if (int const rc = copy_history(**target_history, *history); rc != 0) return rc;
  std::printf(
      "copied %zu accounts, %zu news articles, %zu release notes, %zu launcher tokens, the launcher version and the "
      "maintenance flag, %zu ended invasions and %s from %s to PostgreSQL\n"
      "run every node with store.backend = \"postgres\" and store.postgres set to this database\n",
      contents->accounts.size(), contents->news.size(), contents->release_notes.size(), contents->tokens.size(),
      history->invasions.size(), history->meter ? "the silly meter" : "no silly meter (none was saved)", data.c_str());
  return 0;
}

}  // namespace

void add_migrate_command(CLI::App* admin, std::string const& data, std::string const& config,
                         std::function<int()>& action) {
  auto* cmd = admin->add_subcommand("migrate",
                                    "copy the launcher store and the world history of the data folder (SQLite) into "
                                    "an empty PostgreSQL database; stop the server first");
  auto to = std::make_shared<std::vector<std::string>>();
  cmd->add_option("--to", *to, "the store to copy into: postgres URL (a libpq connection string or URL)")
      ->expected(2)
      ->required();
  cmd->callback([&data, &config, &action, to] {
    action = [&data, &config, to]() -> int {
      if (to->size() != 2 || (*to)[0] != "postgres")
        return fail("--to takes the store kind and its address: --to postgres URL", 2);
      if ((*to)[1].empty()) return fail("--to postgres: the URL is empty", 2);
      return migrate(data, config, (*to)[1]);
    };
  });
}

}  // namespace overworld::app
