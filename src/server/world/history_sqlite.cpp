// The history in a SQLite file, one per node: the database thread runs every statement.
#include <overworld/server/world/history.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/sqlite.hpp>
#include <overworld/store/sqlite_rows.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <limits>

namespace overworld::world {
namespace {

std::vector<store::migration> const migrations{
    {1, R"(CREATE TABLE invasion_history (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             invasion_id TEXT NOT NULL UNIQUE,
             district TEXT NOT NULL,
             district_id TEXT NOT NULL,
             cog TEXT NOT NULL,
             department TEXT NOT NULL,
             skelecog INTEGER NOT NULL,
             v2 INTEGER NOT NULL,
             mega INTEGER NOT NULL,
             defeated INTEGER NOT NULL,
             total INTEGER NOT NULL,
             started_at INTEGER NOT NULL,
             ended_at INTEGER NOT NULL);
           CREATE INDEX invasion_history_district ON invasion_history(district_id, id);)"},
    {2, R"(CREATE TABLE silly_meter (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             state TEXT NOT NULL,
             hp INTEGER NOT NULL,
             team1 TEXT NOT NULL, team2 TEXT NOT NULL, team3 TEXT NOT NULL,
             points1 INTEGER NOT NULL, points2 INTEGER NOT NULL, points3 INTEGER NOT NULL,
             winner INTEGER,
             next_update INTEGER NOT NULL,
             as_of INTEGER NOT NULL);)"},
};

constexpr char const* columns =
    "id, invasion_id, district, district_id, cog, department, skelecog, v2, mega, defeated, total, started_at, "
    "ended_at";

/// Inserts `rows`; their ids too unless they are 0. An invasion id already kept is ignored.
void insert(SQLite::Database& db, std::vector<stored_invasion> const& rows) {
  SQLite::Statement q{
      db, std::string{"INSERT OR IGNORE INTO invasion_history ("} + columns + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"};
  for (auto const& r : rows) {
    auto const id = r.id ? std::optional{r.id} : std::nullopt;
    store::exec_row(q, id, r.invasion_id, r.district, r.district_id, r.cog, r.department, r.skelecog, r.v2, r.mega,
                    r.defeated, r.total, r.started_at, r.ended_at);
  }
}

stored_invasion row_at(SQLite::Statement& q) {
  return stored_invasion{q.getColumn(0).getInt64(),    q.getColumn(1).getString(),   q.getColumn(2).getString(),
                         q.getColumn(3).getString(),   q.getColumn(4).getString(),   q.getColumn(5).getString(),
                         q.getColumn(6).getInt() != 0, q.getColumn(7).getInt() != 0, q.getColumn(8).getInt() != 0,
                         q.getColumn(9).getInt64(),    q.getColumn(10).getInt64(),   q.getColumn(11).getInt64(),
                         q.getColumn(12).getInt64()};
}

void write_meter(SQLite::Database& db, silly_saved const& meter) {
  SQLite::Statement q{db, R"(INSERT OR REPLACE INTO silly_meter
      (id, state, hp, team1, team2, team3, points1, points2, points3, winner, next_update, as_of)
      VALUES (1,?,?,?,?,?,?,?,?,?,?,?))"};
  q.bind(1, std::string{to_string(meter.state)});
  q.bind(2, static_cast<std::int64_t>(meter.hp));
  for (int i = 0; i < 3; ++i) {
    q.bind(3 + i, meter.teams[i]);
    q.bind(6 + i, static_cast<std::int64_t>(meter.points[i]));
  }
  if (meter.winner)
    q.bind(9, static_cast<std::int64_t>(*meter.winner));
  else
    q.bind(9);
  q.bind(10, static_cast<std::int64_t>(meter.next_update));
  q.bind(11, static_cast<std::int64_t>(meter.as_of));
  q.exec();
}

std::optional<silly_saved> read_meter(SQLite::Database& db) {
  SQLite::Statement q{db, R"(SELECT state, hp, team1, team2, team3, points1, points2, points3, winner, next_update,
      as_of FROM silly_meter WHERE id = 1)"};
  if (!q.executeStep()) return std::nullopt;
  auto const state = silly_state_from_string(q.getColumn(0).getString());
  if (!state) return std::nullopt;
  silly_saved m;
  m.state = *state;
  m.hp = q.getColumn(1).getInt64();
  for (int i = 0; i < 3; ++i) {
    m.teams[i] = q.getColumn(2 + i).getString();
    m.points[i] = q.getColumn(5 + i).getInt64();
  }
  if (!q.getColumn(8).isNull()) m.winner = static_cast<std::size_t>(q.getColumn(8).getInt64());
  m.next_update = q.getColumn(9).getInt64();
  m.as_of = q.getColumn(10).getInt64();
  return m;
}

class sqlite_history final : public invasion_history {
 public:
  explicit sqlite_history(std::unique_ptr<store::sqlite_database> db) : db_(std::move(db)) {}

  void record(std::vector<ended_invasion> ended) override {
    if (ended.empty()) return;
    std::vector<stored_invasion> rows;
    for (auto const& e : ended) rows.push_back(stored_from(e));
    db_->post([rows = std::move(rows)](SQLite::Database& db) {
      SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
      insert(db, rows);
      tx.commit();
    });
  }

  boost::asio::awaitable<result<history_page>> page(std::int64_t limit, std::optional<std::int64_t> before) override {
    std::function<history_page(SQLite::Database&)> read = [limit, before](SQLite::Database& db) {
      SQLite::Statement q{
          db, std::string{"SELECT "} + columns + " FROM invasion_history WHERE id < ? ORDER BY id DESC LIMIT ?"};
      q.bind(1, before.value_or(std::numeric_limits<std::int64_t>::max()));
      q.bind(2, limit + 1);  // one more tells whether a next page exists
      history_page out;
      while (q.executeStep()) {
        if (static_cast<std::int64_t>(out.invasions.size()) == limit) {
          out.more = true;
          break;
        }
        out.invasions.push_back(row_at(q));
      }
      return out;
    };
    co_return co_await run(std::move(read));
  }

  void save_meter(silly_saved meter) override {
    db_->post([meter = std::move(meter)](SQLite::Database& db) { write_meter(db, meter); });
  }

  std::optional<silly_saved> load_meter() override {
    std::optional<silly_saved> out;
    db_->run_blocking([&out](SQLite::Database& db) { out = read_meter(db); });
    return out;
  }

  void flush() override {
    db_->run_blocking([](SQLite::Database&) {});
  }

  result<history_contents> contents() override {
    history_contents out;
    auto r = blocking([&out](SQLite::Database& db) {
      SQLite::Transaction tx{db};
      SQLite::Statement q{db, std::string{"SELECT "} + columns + " FROM invasion_history ORDER BY id"};
      while (q.executeStep()) out.invasions.push_back(row_at(q));
      out.meter = read_meter(db);
    });
    if (!r) return r.error();
    return out;
  }

  result<void> load(history_contents const& contents) override {
    bool refused = false;
    auto r = blocking([&](SQLite::Database& db) {
      SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
      if (db.execAndGet("SELECT (SELECT count(*) FROM invasion_history) + (SELECT count(*) FROM silly_meter)")
              .getInt64() != 0) {
        refused = true;
        return;
      }
      insert(db, contents.invasions);
      if (contents.meter) write_meter(db, *contents.meter);
      tx.commit();
    });
    if (!r) return r;
    if (refused) return errc::invalid_argument;
    return {};
  }

 private:
  /// `read` on the database thread; a failure as the error the interface promises.
  boost::asio::awaitable<result<history_page>> run(std::function<history_page(SQLite::Database&)> read) {
    try {
      co_return co_await db_->run<history_page>(std::move(read));
    } catch (store::database_damaged const&) {
      co_return errc::data_corrupt;
    } catch (std::exception const& e) {
      spdlog::error("{}: {}", db_->path().string(), e.what());
      co_return errc::io_error;
    }
  }

  result<void> blocking(std::function<void(SQLite::Database&)> work) {
    try {
      db_->run_blocking(std::move(work));
      return {};
    } catch (store::database_damaged const&) {
      return errc::data_corrupt;
    } catch (std::exception const& e) {
      spdlog::error("{}: {}", db_->path().string(), e.what());
      return errc::io_error;
    }
  }

  std::unique_ptr<store::sqlite_database> db_;
};

}  // namespace

result<std::unique_ptr<invasion_history>> open_sqlite_history(std::filesystem::path const& file, std::string& why) {
  auto db = store::sqlite_database::open(file, migrations, why);
  if (!db) return db.error();
  return std::unique_ptr<invasion_history>{std::make_unique<sqlite_history>(std::move(*db))};
}

}  // namespace overworld::world
