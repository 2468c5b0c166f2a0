#include "admin_migrate.hpp"

#include "options.hpp"

#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>

#include <cstdio>
#include <memory>
#include <vector>

namespace overworld::app {
namespace {

int fail(std::string const& message, int status = 1) {
  std::fprintf(stderr, "overworld-server admin migrate: %s\n", message.c_str());
  return status;
}

/// The data folder's SQLite launcher store (launcher.db), whatever store.backend says.
result<std::shared_ptr<store::launcher_store>> open_source(std::string const& data, std::string const& file,
                                                           std::string& why) {
  config cfg{server_config_schema()};
  if (auto loaded = load_admin_config(cfg, data, file, why); !loaded) return loaded.error();
  (void)cfg.set("store.backend", "sqlite", config_source::flag);
  return open_launcher_store(cfg, data, why);
}

int migrate(std::string const& data, std::string const& file, std::string const& url) {
  std::string why;
  auto source = open_source(data, file, why);
  if (!source) return fail(why);
  store::postgres_options target_options;
  target_options.conninfo = url;
  target_options.pool_size = 1;
  auto target = store::open_postgres_launcher_store(target_options, why);
  if (!target) return fail(why);
  auto contents = (*source)->contents();
  if (!contents) return fail("cannot read the launcher store of " + data + ": " + contents.error().message());
  if (auto loaded = (*target)->load(*contents); !loaded) {
    if (loaded.error() == errc::invalid_argument)
      return fail(
          "the PostgreSQL database already holds launcher data; nothing was copied (migrate into an empty one)");
    return fail("cannot write to PostgreSQL: " + loaded.error().message() + "; nothing was copied");
  }
  std::printf(
      "copied %zu accounts, %zu news articles, %zu release notes, %zu launcher tokens, the launcher version and the "
      "maintenance flag from %s to PostgreSQL\n"
      "run every node with store.backend = \"postgres\" and store.postgres set to this database\n",
      contents->accounts.size(), contents->news.size(), contents->release_notes.size(), contents->tokens.size(),
      data.c_str());
  return 0;
}

}  // namespace

void add_migrate_command(CLI::App* admin, std::string const& data, std::string const& config,
                         std::function<int()>& action) {
  auto* cmd = admin->add_subcommand("migrate",
                                    "copy the launcher store of the data folder (SQLite) into an empty PostgreSQL "
                                    "database; stop the server first");
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
