// SQLite behind one small class: opened read-write with WAL, numbered schema migrations applied
// at start, and one thread that runs every statement so that io threads never block on disk.
// A damaged file is refused at start (quick_check, or emptied while it held data); damage found
// later is logged once, and from then on every call fails with database_damaged instead of
// touching the file again.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/store/migration.hpp>
#include <overworld/store/worker.hpp>

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace overworld::store {

/// Thrown (into the caller of run/run_blocking) once the database is known to be damaged.
class database_damaged : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class sqlite_database {
 public:
  /// Opens (creating if needed), checks and migrates. errc::io_error with `why` on failure;
  /// errc::data_corrupt when the file fails quick_check, or is empty (0 bytes) while its -wal
  /// holds data or its `<file>.created` marker says it held data.
  static result<std::unique_ptr<sqlite_database>> open(std::filesystem::path const& file,
                                                       std::vector<migration> const& migrations, std::string& why);
  ~sqlite_database();
  sqlite_database(sqlite_database const&) = delete;
  sqlite_database& operator=(sqlite_database const&) = delete;

  /// The connection; use it only inside run()/run_blocking() (the database thread).
  SQLite::Database& db() noexcept { return *db_; }
  int schema_version() const noexcept { return version_; }
  std::filesystem::path const& path() const noexcept { return path_; }
  /// True once SQLite reported the file damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
  bool damaged() const noexcept { return damaged_.load(); }

  /// Runs `work` on the database thread and resumes the caller on its own executor. Exceptions
  /// thrown by `work` are rethrown in the caller.
  template <class T>
  boost::asio::awaitable<T> run(std::function<T(SQLite::Database&)> work) {
    return thread_.run<T>([this, work = std::move(work)] {
      std::optional<T> out;
      guarded([&](SQLite::Database& db) { out.emplace(work(db)); });
      return std::move(*out);
    });
  }
  /// Queues `work` on the database thread without waiting (fire and forget writes).
  void post(std::function<void(SQLite::Database&)> work);
  /// Runs `work` on the database thread and waits for it (start-up, admin commands, tests). A
  /// failure is thrown in the caller as database_damaged or std::runtime_error with its message.
  void run_blocking(std::function<void(SQLite::Database&)> work);

 private:
  sqlite_database() = default;
  /// Runs `work` on the connection unless the file is known to be damaged; notes damage that a
  /// statement reports (logged once). On the database thread.
  void guarded(std::function<void(SQLite::Database&)> const& work);

  std::unique_ptr<SQLite::Database> db_;
  std::atomic<bool> damaged_{false};
  worker thread_;  ///< one thread: statements run in the order they were queued
  int version_ = 0;
  std::filesystem::path path_;
};

}  // namespace overworld::store
