#include <overworld/store/sqlite.hpp>

#include <overworld/core/log.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <future>

namespace overworld::store {

namespace {

/// Database files hold password hashes and tokens: only their owner may read them. SQLite gives
/// its -wal and -shm files the mode of the database file, so creating that one 0600 is enough;
/// an existing file open to others is tightened.
void owner_only(std::filesystem::path const& file) {
  int const fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;  // SQLite's own open reports the error
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) {
    spdlog::warn("{}: readable by others (mode {:o}); now 0600", file.string(), st.st_mode & 0777);
    ::fchmod(fd, 0600);
  }
  ::close(fd);
}

}  // namespace

result<std::unique_ptr<sqlite_database>> sqlite_database::open(std::filesystem::path const& file,
                                                               std::vector<migration> const& migrations,
                                                               std::string& why) {
  std::unique_ptr<sqlite_database> self{new sqlite_database()};
  self->path_ = file;
  try {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    owner_only(file);
    self->db_ = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
    auto& db = *self->db_;
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
    self->version_ = db.execAndGet("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").getInt();
    for (auto const& m : migrations) {
      if (m.version <= self->version_) continue;
      SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
      db.exec(m.sql);
      SQLite::Statement mark{db, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, strftime('%s','now'))"};
      mark.bind(1, m.version);
      mark.exec();
      tx.commit();
      self->version_ = m.version;
      spdlog::info("{}: schema migrated to version {}", file.string(), m.version);
    }
  } catch (std::exception const& e) {
    why = file.string() + ": " + e.what();
    return errc::io_error;
  }
  return self;
}

sqlite_database::~sqlite_database() {
  thread_.join();  // finish queued writes before closing
}

void sqlite_database::post(std::function<void(SQLite::Database&)> work) {
  boost::asio::post(thread_, [this, work = std::move(work)] {
    try {
      work(*db_);
    } catch (std::exception const& e) {
      spdlog::error("{}: {}", path_.string(), e.what());
    }
  });
}

void sqlite_database::run_blocking(std::function<void(SQLite::Database&)> work) {
  std::promise<void> done;
  boost::asio::post(thread_, [&] {
    try {
      work(*db_);
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  done.get_future().get();
}

}  // namespace overworld::store
