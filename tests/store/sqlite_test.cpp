// The SQLite wrapper against real files: pragmas, numbered migrations applied once and atomically,
// and statements run on the database thread, never on the caller's.
#include "support/process.hpp"

#include <overworld/store/sqlite.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <sys/stat.h>

#include <stdexcept>
#include <thread>

namespace overworld::store {
namespace {

std::vector<migration> const two{
    {1, "CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"},
    {2,
     "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a(id)); "
     "INSERT INTO a(name) VALUES ('first')"},
};

std::unique_ptr<sqlite_database> open_db(std::string const& file, std::vector<migration> const& migrations) {
  std::string why;
  auto db = sqlite_database::open(file, migrations, why);
  if (!db) throw std::runtime_error(why);
  return std::move(*db);
}

TEST(Sqlite, OpensWithWalNormalSyncAndForeignKeys) {
  overworld::testing::temp_dir dir;
  auto db = open_db(dir.path() + "/nested/folder/x.sqlite", two);  // folders are created
  db->run_blocking([](SQLite::Database& c) {
    EXPECT_EQ(c.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(c.execAndGet("PRAGMA synchronous").getInt(), 1);  // NORMAL
    EXPECT_EQ(c.execAndGet("PRAGMA foreign_keys").getInt(), 1);
    EXPECT_GE(c.execAndGet("PRAGMA busy_timeout").getInt(), 1000);
    // Foreign keys are enforced, not only declared.
    EXPECT_THROW(c.exec("INSERT INTO b(a_id) VALUES (42)"), SQLite::Exception);
  });
}

TEST(Sqlite, FilesAreReadableByTheirOwnerOnly) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/secret.sqlite";
  auto const mode = [](std::string const& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  };
  {
    auto db = open_db(file, two);
    db->run_blocking([](SQLite::Database& c) { c.exec("INSERT INTO a(name) VALUES ('x')"); });
    EXPECT_EQ(mode(file), 0600u);
    EXPECT_EQ(mode(file + "-wal"), 0600u);  // SQLite copies the database file's mode
  }
  // A file made readable by others is tightened when opened.
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  auto db = open_db(file, two);
  EXPECT_EQ(mode(file), 0600u);
}

TEST(Sqlite, MigrationsRunOnceInOrder) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/m.sqlite";
  {
    auto db = open_db(file, two);
    EXPECT_EQ(db->schema_version(), 2);
  }
  // Reopening applies only what is new; re-running 1 or 2 would fail (tables exist) or duplicate rows.
  auto three = two;
  three.push_back({3, "ALTER TABLE a ADD COLUMN note TEXT"});
  auto db = open_db(file, three);
  EXPECT_EQ(db->schema_version(), 3);
  db->run_blocking([](SQLite::Database& c) {
    EXPECT_EQ(c.execAndGet("SELECT COUNT(*) FROM a").getInt(), 1);
    EXPECT_EQ(c.execAndGet("SELECT group_concat(version) FROM schema_migrations ORDER BY version").getString(),
              "1,2,3");
  });
}

TEST(Sqlite, AFailedMigrationIsRolledBackAndReported) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/f.sqlite";
  { open_db(file, two); }
  auto broken = two;
  broken.push_back({3, "CREATE TABLE c (id INTEGER); THIS IS NOT SQL"});
  std::string why;
  auto failed = sqlite_database::open(file, broken, why);
  EXPECT_FALSE(failed);
  EXPECT_NE(why.find(file), std::string::npos) << why;
  auto db = open_db(file, two);
  EXPECT_EQ(db->schema_version(), 2);
  db->run_blocking([](SQLite::Database& c) { EXPECT_FALSE(c.tableExists("c")); });
}

TEST(Sqlite, UnopenableFileIsAnError) {
  std::string why;
  EXPECT_FALSE(sqlite_database::open("/proc/self/no/such.sqlite", two, why));
  EXPECT_FALSE(why.empty());
}

TEST(Sqlite, RunWorksOnTheDatabaseThreadAndResumesOnTheCaller) {
  overworld::testing::temp_dir dir;
  auto db = open_db(dir.path() + "/r.sqlite", two);
  // Fire-and-forget writes are done in order before later work.
  for (int i = 0; i < 5; ++i) {
    db->post([i](SQLite::Database& c) {
      SQLite::Statement s{c, "INSERT INTO a(name) VALUES (?)"};
      s.bind(1, "n" + std::to_string(i));
      s.exec();
    });
  }
  db->post([](SQLite::Database&) { throw std::runtime_error("logged, not fatal"); });

  boost::asio::io_context ioc;
  auto const caller = std::this_thread::get_id();
  std::thread::id worker{}, resumed{};
  int rows = 0;
  bool caught = false;
  struct probe {
    static boost::asio::awaitable<void> run(sqlite_database* db, std::thread::id* worker, std::thread::id* resumed,
                                            int* rows, bool* caught) {
      *rows = co_await db->run<int>([worker](SQLite::Database& c) {
        *worker = std::this_thread::get_id();
        return c.execAndGet("SELECT COUNT(*) FROM a").getInt();
      });
      *resumed = std::this_thread::get_id();
      try {
        co_await db->run<int>([](SQLite::Database& c) { return c.execAndGet("SELECT nope FROM a").getInt(); });
      } catch (SQLite::Exception const&) {
        *caught = true;
      }
    }
  };
  boost::asio::co_spawn(ioc, probe::run(db.get(), &worker, &resumed, &rows, &caught), boost::asio::detached);
  ioc.run();
  EXPECT_EQ(rows, 6);
  EXPECT_NE(worker, caller);
  EXPECT_EQ(resumed, caller);
  EXPECT_TRUE(caught);
}

}  // namespace
}  // namespace overworld::store
