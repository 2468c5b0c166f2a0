// PostgreSQL behind a small class: a bounded pool of libpq connections, numbered schema migrations
// applied at start (under an advisory lock, so that nodes starting together migrate once),
// statements prepared once per connection, and reconnection by itself. Calls block: make them from
// a worker thread, never from an io thread. libpq stays out of this header.
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/store/migration.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::store {

struct postgres_options {
  std::string conninfo;       ///< libpq connection string or URL ("postgresql://user@127.0.0.1:5432/db")
  std::size_t pool_size = 4;  ///< connections at the most
  std::chrono::milliseconds acquire_timeout{2000};  ///< how long a call waits for a free connection
  std::chrono::seconds connect_timeout{5};          ///< per connection attempt
};

/// One statement's rows (owns the libpq result). Cells are text, as libpq sends them.
class pg_rows {
 public:
  pg_rows() = default;
  explicit pg_rows(void* result) noexcept;  ///< takes a PGresult*
  pg_rows(pg_rows&& o) noexcept;
  pg_rows& operator=(pg_rows&& o) noexcept;
  pg_rows(pg_rows const&) = delete;
  pg_rows& operator=(pg_rows const&) = delete;
  ~pg_rows();

  int size() const noexcept;
  bool empty() const noexcept { return size() == 0; }
  std::string_view text(int row, int column) const noexcept;
  std::int64_t int64(int row, int column) const noexcept;  ///< 0 when the cell is not a number
  bool boolean(int row, int column) const noexcept;        ///< "t"
  std::int64_t affected() const noexcept;                  ///< rows an INSERT/UPDATE/DELETE touched

 private:
  void* result_ = nullptr;
};

/// A statement parameter: text, or SQL NULL.
using pg_param = std::optional<std::string>;

/// One connection (owned), used by one thread at a time (the pool sees to it).
class pg_connection {
 public:
  explicit pg_connection(void* conn) noexcept : conn_(conn) {}  ///< takes a PGconn*
  ~pg_connection();
  pg_connection(pg_connection const&) = delete;
  pg_connection& operator=(pg_connection const&) = delete;
  /// Runs `sql` (prepared once per connection under `name`) with text parameters.
  /// errc::invalid_argument for a unique-key violation, errc::unavailable when the server cannot
  /// be reached, errc::io_error for any other failure (logged with the server's message).
  result<pg_rows> exec(std::string_view name, std::string_view sql, std::initializer_list<pg_param> params = {});
  /// Runs a fixed statement without parameters (BEGIN, COMMIT, DDL). Same errors.
  result<pg_rows> simple(std::string_view sql);
  bool broken() const noexcept;
  /// Marks that the connection was lost while a write may have been applied (a COMMIT under way):
  /// the call is not run again on another connection.
  void outcome_unknown() noexcept { outcome_unknown_ = true; }
  bool is_outcome_unknown() const noexcept { return outcome_unknown_; }

 private:
  result<pg_rows> checked(void* result, std::string_view what);

  void* conn_;
  bool lost_ = false;             ///< a statement failed in a way that leaves the connection unusable
  bool outcome_unknown_ = false;  ///< lost while a write may have been applied
  std::vector<std::string> prepared_;
};

class postgres_database {
 public:
  /// Connects (one connection at first), checks and migrates. errc::unavailable with `why` when
  /// the server cannot be reached, errc::io_error when a migration fails.
  /// `store` names the schema's owner in the migrations table (several stores may share one
  /// database).
  static result<std::unique_ptr<postgres_database>> open(postgres_options options, std::string_view store,
                                                         std::vector<migration> const& migrations, std::string& why);
  ~postgres_database();
  postgres_database(postgres_database const&) = delete;
  postgres_database& operator=(postgres_database const&) = delete;

  /// Runs `work` on a pooled connection. A broken connection is dropped and, when the failure
  /// was the connection's, `work` runs again on another (at most pool_size more times), unless a
  /// COMMIT was cut off (transaction()). So `work` outside a transaction must be a read or a write
  /// that can be repeated. errc::unavailable when no connection could be had within
  /// acquire_timeout or the server cannot be reached.
  result<void> run(std::function<result<void>(pg_connection&)> const& work);
  /// `work` inside BEGIN … COMMIT (ROLLBACK when it fails). Cut off before its COMMIT, it is run
  /// again on another connection; cut off during its COMMIT, it is not (it may have been applied)
  /// and answers errc::unavailable.
  result<void> transaction(std::function<result<void>(pg_connection&)> const& work);

  int schema_version() const noexcept { return version_; }

 private:
  struct pool;
  explicit postgres_database(postgres_options options);
  /// A pooled or new connection; nullptr with `failure` set when none can be had.
  std::unique_ptr<pg_connection> acquire(result<void>& failure);
  /// Back to the pool, or closed when it is broken.
  void release(std::unique_ptr<pg_connection> conn);
  result<void> migrate(std::string_view store, std::vector<migration> const& migrations, std::string& why);

  postgres_options options_;
  std::unique_ptr<pool> pool_;
  int version_ = 0;
};

}  // namespace overworld::store
