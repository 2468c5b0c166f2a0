#include <overworld/store/sqlite.hpp>

#include <overworld/core/log.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

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

bool damage_code(int code) noexcept {
  int const primary = code & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

std::filesystem::path with_suffix(std::filesystem::path const& file, char const* suffix) {
  return std::filesystem::path{file.string() + suffix};
}

std::uintmax_t size_or_zero(std::filesystem::path const& file) {
  std::error_code ec;
  auto const n = std::filesystem::file_size(file, ec);
  return ec ? 0 : n;
}

/// Refuses a database file that was emptied behind the server's back: 0 bytes while its -wal
/// holds pages, or while the marker written at its creation is still beside it.
bool emptied(std::filesystem::path const& file, std::string& why) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) || size_or_zero(file) != 0) return false;
  if (size_or_zero(with_suffix(file, "-wal")) > 0) {
    why = file.string() +
          ": the database file is empty (0 bytes) but its -wal file holds data; refusing to start "
          "with an empty database (restore the file from a backup)";
    return true;
  }
  if (std::filesystem::exists(with_suffix(file, ".created"), ec)) {
    why = file.string() + ": the database file is empty (0 bytes) but it held data (" +
          with_suffix(file, ".created").filename().string() +
          " is beside it); refusing to start with an empty database (restore the file from a backup, or delete both "
          "to start afresh)";
    return true;
  }
  return false;
}

/// SQLite's quick_check: "ok", or the first problem it names, on one line.
std::string quick_check(SQLite::Database& db) {
  SQLite::Statement q{db, "PRAGMA quick_check(1)"};
  std::string answer = q.executeStep() ? q.getColumn(0).getString() : std::string{"no answer"};
  std::replace(answer.begin(), answer.end(), '\n', ' ');
  return answer;
}

void write_marker(std::filesystem::path const& file) {
  auto const marker = with_suffix(file, ".created");
  std::error_code ec;
  if (std::filesystem::exists(marker, ec)) return;
  std::ofstream out{marker};
  out << "The database beside this file was created; an empty database file is refused while this exists.\n";
}

}  // namespace

result<std::unique_ptr<sqlite_database>> sqlite_database::open(std::filesystem::path const& file,
                                                               std::vector<migration> const& migrations,
                                                               std::string& why) {
  std::unique_ptr<sqlite_database> self{new sqlite_database()};
  self->path_ = file;
  if (emptied(file, why)) return errc::data_corrupt;
  try {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    owner_only(file);
    self->db_ = std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 5000);
    auto& db = *self->db_;
    if (auto const check = quick_check(db); check != "ok") {
      why = file.string() + ": the database is damaged (quick_check: " + check +
            "); refusing to start (restore it from a backup)";
      return errc::data_corrupt;
    }
    // The check read every page: give the cache back, so that later reads see the file as it is.
    sqlite3_db_release_memory(db.getHandle());
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
  } catch (SQLite::Exception const& e) {
    bool const damaged = damage_code(e.getErrorCode());
    why = file.string() + (damaged ? ": the database is damaged (" : ": ") + e.what() +
          (damaged ? "); refusing to start (restore it from a backup)" : "");
    return damaged ? errc::data_corrupt : errc::io_error;
  } catch (std::exception const& e) {
    why = file.string() + ": " + e.what();
    return errc::io_error;
  }
  write_marker(file);
  return self;
}

void sqlite_database::guarded(std::function<void(SQLite::Database&)> const& work) {
  if (damaged_) throw database_damaged{path_.string() + ": the database is damaged"};
  try {
    work(*db_);
  } catch (SQLite::Exception const& e) {
    if (damage_code(e.getErrorCode()) && !damaged_.exchange(true)) {
      spdlog::error(
          "{}: the database is damaged ({}); its API answers 503 until it is restored and the server restarted",
          path_.string(), e.what());
    }
    if (damaged_) throw database_damaged{path_.string() + ": the database is damaged"};
    throw;
  }
}

sqlite_database::~sqlite_database() {
  thread_.join();  // finish queued writes before closing
}

void sqlite_database::post(std::function<void(SQLite::Database&)> work) {
  thread_.post([this, work = std::move(work)] {
    try {
      guarded(work);
    } catch (database_damaged const&) {
      // logged once when found
    } catch (std::exception const& e) {
      spdlog::error("{}: {}", path_.string(), e.what());
    }
  });
}

void sqlite_database::run_blocking(std::function<void(SQLite::Database&)> work) {
  // A failure comes back as its message and is thrown anew on the caller's thread: the exception
  // object itself stays on the database thread (its reference count lives in the uninstrumented
  // C++ runtime, so sharing it across threads is invisible to ThreadSanitizer).
  enum class outcome { ok, damaged, failed };
  auto how = outcome::ok;
  std::string message;
  thread_.run_blocking([&] {
    try {
      guarded(work);
    } catch (database_damaged const& e) {
      how = outcome::damaged;
      message = e.what();
    } catch (std::exception const& e) {
      how = outcome::failed;
      message = e.what();
    } catch (...) {
      how = outcome::failed;
      message = "unknown error";
    }
  });
  if (how == outcome::damaged) throw database_damaged{message};
  if (how == outcome::failed) throw std::runtime_error{message};
}

}  // namespace overworld::store
