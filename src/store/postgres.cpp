#include <overworld/store/postgres.hpp>

#include <overworld/core/log.hpp>

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <mutex>

namespace overworld::store {
namespace {

PGresult* as_result(void* p) noexcept { return static_cast<PGresult*>(p); }
PGconn* as_conn(void* p) noexcept { return static_cast<PGconn*>(p); }

/// SQLSTATE classes that mean the server is gone or going: 08 (connection exception), 57P
/// (operator intervention: shutdown, crash), 53 (insufficient resources: too many connections).
bool unreachable_state(std::string_view state) noexcept {
  return state.starts_with("08") || state.starts_with("57P") || state.starts_with("53");
}

/// The migration lock: one constant advisory-lock key for Overworld, held for the migrating transaction.
constexpr char const* migration_lock = "SELECT pg_advisory_xact_lock(7142916093)";

}  // namespace

// ---- pg_rows

pg_rows::pg_rows(void* result) noexcept : result_(result) {}
pg_rows::pg_rows(pg_rows&& o) noexcept : result_(std::exchange(o.result_, nullptr)) {}
pg_rows& pg_rows::operator=(pg_rows&& o) noexcept {
  if (this != &o) {
    if (result_) PQclear(as_result(result_));
    result_ = std::exchange(o.result_, nullptr);
  }
  return *this;
}
pg_rows::~pg_rows() {
  if (result_) PQclear(as_result(result_));
}

int pg_rows::size() const noexcept { return result_ ? PQntuples(as_result(result_)) : 0; }

std::string_view pg_rows::text(int row, int column) const noexcept {
  if (!result_ || row >= size() || column >= PQnfields(as_result(result_))) return {};
  return {PQgetvalue(as_result(result_), row, column),
          static_cast<std::size_t>(PQgetlength(as_result(result_), row, column))};
}

std::int64_t pg_rows::int64(int row, int column) const noexcept {
  auto const t = text(row, column);
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

bool pg_rows::boolean(int row, int column) const noexcept { return text(row, column) == "t"; }

std::int64_t pg_rows::affected() const noexcept {
  if (!result_) return 0;
  std::string_view const t = PQcmdTuples(as_result(result_));
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

// ---- pg_connection

pg_connection::~pg_connection() { PQfinish(as_conn(conn_)); }

bool pg_connection::broken() const noexcept { return lost_ || PQstatus(as_conn(conn_)) != CONNECTION_OK; }

result<pg_rows> pg_connection::checked(void* raw, std::string_view what) {
  pg_rows rows{raw};
  auto* r = as_result(raw);
  auto const status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return rows;
  char const* state_field = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view const state = state_field ? state_field : "";
  if (state == "23505") return errc::invalid_argument;  // unique_violation
  std::string_view message = r ? PQresultErrorMessage(r) : PQerrorMessage(as_conn(conn_));
  while (!message.empty() && message.back() == '\n') message.remove_suffix(1);
  // No SQLSTATE: libpq's own failure (the server closed the connection, a socket error).
  if (state.empty() || unreachable_state(state)) lost_ = true;
  if (state == "08P01") {
    // A protocol violation is a fault of this side, not an outage: the connection is out of step
    // and is dropped like a lost one, but it is logged as the error it is.
    spdlog::error("postgres: {}: protocol violation, the connection is dropped: {}", what, message);
    return errc::unavailable;
  }
  if (broken()) {
    spdlog::warn("postgres: {}: the server cannot be reached: {}", what, message);
    return errc::unavailable;
  }
  spdlog::error("postgres: {}: {} (SQLSTATE {})", what, message, state);
  return errc::io_error;
}

result<pg_rows> pg_connection::exec(std::string_view name, std::string_view sql,
                                    std::initializer_list<pg_param> params) {
  std::string const key{name};
  if (std::find(prepared_.begin(), prepared_.end(), key) == prepared_.end()) {
    auto ready = checked(PQprepare(as_conn(conn_), key.c_str(), std::string{sql}.c_str(), 0, nullptr), name);
    if (!ready) return ready.error();
    prepared_.push_back(key);
  }
  std::vector<char const*> values;
  values.reserve(params.size());
  for (auto const& p : params) values.push_back(p ? p->c_str() : nullptr);
  return checked(
      PQexecPrepared(as_conn(conn_), key.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
      name);
}

result<pg_rows> pg_connection::simple(std::string_view sql) {
  return checked(PQexec(as_conn(conn_), std::string{sql}.c_str()), sql.substr(0, 40));
}

// ---- the pool

struct postgres_database::pool {
  std::atomic<bool> down{false};  ///< the last attempt to connect failed (logged once per outage)
  std::mutex mutex;
  std::condition_variable freed;
  std::vector<std::unique_ptr<pg_connection>> idle;
  std::size_t open = 0;  ///< idle + lent out
};

postgres_database::postgres_database(postgres_options options)
    : options_(std::move(options)), pool_(std::make_unique<pool>()) {}

postgres_database::~postgres_database() = default;

namespace {

/// A new connection, or errc::unavailable with libpq's reason in `why`.
result<std::unique_ptr<pg_connection>> connect(postgres_options const& o, std::string& why) {
  std::string const timeout = std::to_string(std::max<std::int64_t>(1, o.connect_timeout.count()));
  char const* keys[] = {"dbname", "connect_timeout", "application_name", "client_encoding", nullptr};
  char const* values[] = {o.conninfo.c_str(), timeout.c_str(), "overworld-server", "UTF8", nullptr};
  PGconn* raw = PQconnectdbParams(keys, values, 1);
  if (PQstatus(raw) != CONNECTION_OK) {
    std::string_view m = PQerrorMessage(raw);
    while (!m.empty() && m.back() == '\n') m.remove_suffix(1);
    why = "PostgreSQL: cannot connect: " + std::string{m};
    PQfinish(raw);
    return errc::unavailable;
  }
  // Server notices ("relation already exists, skipping") are not errors: debug log only.
  PQsetNoticeProcessor(
      raw, [](void*, char const* message) { spdlog::debug("postgres: {}", std::string_view{message}); }, nullptr);
  return std::make_unique<pg_connection>(raw);
}

}  // namespace

std::unique_ptr<pg_connection> postgres_database::acquire(result<void>& failure) {
  std::unique_lock lock{pool_->mutex};
  bool const got = pool_->freed.wait_for(lock, options_.acquire_timeout,
                                         [&] { return !pool_->idle.empty() || pool_->open < options_.pool_size; });
  if (!got) {
    failure = errc::unavailable;
    return nullptr;
  }
  if (!pool_->idle.empty()) {
    auto conn = std::move(pool_->idle.back());
    pool_->idle.pop_back();
    return conn;
  }
  ++pool_->open;  // a slot for the connection opened below, outside the lock
  lock.unlock();
  std::string why;
  auto fresh = connect(options_, why);
  if (fresh) {
    if (pool_->down.exchange(false)) spdlog::info("postgres: the server can be reached again");
    return std::move(*fresh);
  }
  if (!pool_->down.exchange(true)) spdlog::error("{} (retried on each call until it answers)", why);
  release(nullptr);
  failure = fresh.error();
  return nullptr;
}

void postgres_database::release(std::unique_ptr<pg_connection> conn) {
  {
    std::lock_guard lock{pool_->mutex};
    if (conn && !conn->broken()) {
      pool_->idle.push_back(std::move(conn));
    } else {
      --pool_->open;
    }
  }
  pool_->freed.notify_one();
}

result<void> postgres_database::run(std::function<result<void>(pg_connection&)> const& work) {
  for (int attempt = 0;; ++attempt) {
    result<void> r;
    auto conn = acquire(r);
    if (!conn) return r;
    r = work(*conn);
    bool const lost = conn->broken();
    bool const maybe_applied = conn->is_outcome_unknown();
    release(std::move(conn));
    // A connection that went away while idle fails its first statement: try again, on the next idle
    // one (each stale one is dropped as it fails) and then on a new one, so that the first call
    // after a server restart succeeds whatever the pool held. Never when a COMMIT was cut off:
    // it may have been applied, and a write is never applied twice.
    if (r || r.error() != errc::unavailable || !lost || maybe_applied ||
        attempt >= static_cast<int>(options_.pool_size))
      return r;
  }
}

result<void> postgres_database::transaction(std::function<result<void>(pg_connection&)> const& work) {
  return run([&](pg_connection& c) -> result<void> {
    if (auto b = c.simple("BEGIN"); !b) return b.error();
    auto r = work(c);
    if (r) {
      if (auto done = c.simple("COMMIT"); !done) {
        if (c.broken()) c.outcome_unknown();
        return done.error();
      }
      return r;
    }
    if (!c.broken()) (void)c.simple("ROLLBACK");
    return r;
  });
}

result<void> postgres_database::migrate(std::string_view store, std::vector<migration> const& migrations,
                                        std::string& why) {
  int version = 0;
  auto r = transaction([&](pg_connection& c) -> result<void> {
    if (auto l = c.simple(migration_lock); !l) return l.error();
    auto t = c.simple(
        "CREATE TABLE IF NOT EXISTS overworld_migrations (store text NOT NULL, version integer NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (store, version))");
    if (!t) return t.error();
    auto seen =
        c.exec("overworld_migrations_max",
               "SELECT coalesce(max(version), 0) FROM overworld_migrations WHERE store = $1", {std::string{store}});
    if (!seen) return seen.error();
    version = static_cast<int>(seen->int64(0, 0));
    for (auto const& m : migrations) {
      if (m.version <= version) continue;
      if (auto applied = c.simple(m.sql); !applied) {
        why = std::string{store} + ": migration " + std::to_string(m.version) + " failed (see the log)";
        return applied.error();
      }
      auto noted =
          c.exec("overworld_migrations_note", "INSERT INTO overworld_migrations(store, version) VALUES ($1, $2)",
                 {std::string{store}, std::to_string(m.version)});
      if (!noted) return noted.error();
      version = m.version;
    }
    return {};
  });
  if (r) version_ = version;
  return r;
}

result<std::unique_ptr<postgres_database>> postgres_database::open(postgres_options options, std::string_view store,
                                                                   std::vector<migration> const& migrations,
                                                                   std::string& why) {
  if (options.conninfo.empty()) {
    why = "store.postgres: a connection string is required";
    return errc::bad_config;
  }
  if (options.pool_size == 0) options.pool_size = 1;
  std::unique_ptr<postgres_database> db{new postgres_database{std::move(options)}};
  // The first connection tells why it fails (a pooled attempt only says "unavailable").
  auto first = connect(db->options_, why);
  if (!first) return first.error();
  db->pool_->open = 1;
  db->release(std::move(*first));
  if (auto m = db->migrate(store, migrations, why); !m) {
    if (why.empty()) why = "PostgreSQL: the schema could not be migrated: " + m.error().message();
    return m.error();
  }
  return db;
}

}  // namespace overworld::store
