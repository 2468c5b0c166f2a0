// Damaged database files, made for real: emptied to 0 bytes, a page overwritten in the middle.
// At start they are refused with one line naming the file; damage found while serving makes every
// later call fail with data_corrupt (logged once) instead of touching the file again.
#include "support/process.hpp"

#include <overworld/store/launcher_store.hpp>
#include <overworld/store/sqlite.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace overworld::store {
namespace {

namespace fs = std::filesystem;

std::vector<migration> const schema{
    {1, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"},
};

/// A database of about 100 pages, checkpointed into the main file and closed.
void make_database(std::string const& file) {
  std::string why;
  auto db = sqlite_database::open(file, schema, why);
  ASSERT_TRUE(db) << why;
  (*db)->run_blocking([](SQLite::Database& c) {
    SQLite::Transaction tx{c};
    for (int i = 0; i < 400; ++i) c.exec("INSERT INTO notes(text) VALUES (printf('%.1000c', 'n'))");
    tx.commit();
    c.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  });
}

void overwrite_page(std::string const& file, std::size_t page) {
  int const fd = ::open(file.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  std::string const junk(4096, '\xA5');
  ASSERT_EQ(::pwrite(fd, junk.data(), junk.size(), static_cast<off_t>(page * 4096)), 4096);
  ::close(fd);
}

TEST(DamagedDatabase, AnEmptiedFileIsRefusedWhileItsMarkerSaysItHeldData) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/launcher.sqlite";
  make_database(file);
  EXPECT_TRUE(fs::exists(file + ".created"));
  fs::resize_file(file, 0);
  std::string why;
  auto db = sqlite_database::open(file, schema, why);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(), errc::data_corrupt);
  EXPECT_EQ(why.find(file + ": the database file is empty (0 bytes) but it held data"), 0u) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos);
  EXPECT_EQ(fs::file_size(file), 0u);  // nothing was written over it
  // Deleting both is how an operator starts afresh on purpose.
  fs::remove(file);
  fs::remove(file + ".created");
  EXPECT_TRUE(sqlite_database::open(file, schema, why)) << why;
}

TEST(DamagedDatabase, AnEmptiedFileWithAWalIsRefused) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/world.sqlite";
  { std::ofstream{file}; }
  { std::ofstream{file + "-wal"} << std::string(8192, 'w'); }
  std::string why;
  auto db = sqlite_database::open(file, schema, why);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(), errc::data_corrupt);
  EXPECT_NE(why.find("-wal file holds data"), std::string::npos) << why;
}

TEST(DamagedDatabase, AnEmptyFileWithoutHistoryIsANewDatabase) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/new.sqlite";
  { std::ofstream{file}; }
  std::string why;
  EXPECT_TRUE(sqlite_database::open(file, schema, why)) << why;
}

TEST(DamagedDatabase, APageOverwrittenMidFileFailsTheCheckAtStart) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/launcher.sqlite";
  make_database(file);
  ASSERT_GT(fs::file_size(file), 60u * 4096);
  overwrite_page(file, 50);
  std::string why;
  auto db = sqlite_database::open(file, schema, why);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(), errc::data_corrupt);
  EXPECT_EQ(why.find(file + ": the database is damaged (quick_check: "), 0u) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos) << why;
}

TEST(DamagedDatabase, GarbageInsteadOfADatabaseIsRefused) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/launcher.sqlite";
  { std::ofstream{file} << std::string(10'000, 'x'); }
  std::string why;
  auto db = sqlite_database::open(file, schema, why);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(), errc::data_corrupt);
  EXPECT_EQ(why.find(file + ": the database is damaged"), 0u) << why;
}

TEST(DamagedDatabase, DamageFoundWhileServingFailsEveryLaterCall) {
  overworld::testing::temp_dir dir;
  std::string const file = dir.path() + "/launcher.sqlite";
  std::string why;
  {
    auto s = open_sqlite_launcher_store(file, why);
    ASSERT_TRUE(s) << why;
    ASSERT_TRUE((*s)->create_account("kept", "hash"));
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE((*s)->post_news(news_item{0, "a", "2026-01-01 00:00:00", "t", std::string(1000, 's'), "c", ""}));
    }
  }
  auto s = open_sqlite_launcher_store(file, why);  // passes quick_check
  ASSERT_TRUE(s) << why;
  auto& db = **s;
  for (std::size_t page = 10; page < fs::file_size(file) / 4096; page += 7) overwrite_page(file, page);
  auto news = db.news();
  ASSERT_FALSE(news);
  EXPECT_EQ(news.error(), errc::data_corrupt);
  // From now on nothing is read or written: writes fail too, instead of spreading the damage.
  EXPECT_EQ(db.set_maintenance(true).error(), errc::data_corrupt);
  EXPECT_EQ(db.find_account("kept").error(), errc::data_corrupt);
  EXPECT_EQ(db.post_news(news_item{}).error(), errc::data_corrupt);
}

}  // namespace
}  // namespace overworld::store
