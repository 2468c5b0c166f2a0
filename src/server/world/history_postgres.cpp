// The history on PostgreSQL, shared by every node (tables `world_*`): ids come from one sequence,
// so every node serves the same pages, and the invasion id is unique, so an end that several nodes
// saw is kept once. Writes run in order on one worker thread, pages on another; a write that fails
// while the server is away is kept (bounded) and tried again at the next tick.
#include <overworld/server/world/history.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/postgres.hpp>
#include <overworld/store/worker.hpp>

#include <atomic>
#include <limits>

namespace overworld::world {
namespace {

using store::pg_connection;
using store::pg_rows;

std::vector<store::migration> const migrations{
    {1,
     "CREATE TABLE world_invasions ("
     "  id bigserial PRIMARY KEY,"
     "  invasion_id text NOT NULL UNIQUE,"
     "  district text NOT NULL, district_id text NOT NULL, cog text NOT NULL, department text NOT NULL,"
     "  skelecog boolean NOT NULL, v2 boolean NOT NULL, mega boolean NOT NULL,"
     "  defeated bigint NOT NULL, total bigint NOT NULL, started_at bigint NOT NULL, ended_at bigint NOT NULL);"
     "CREATE INDEX world_invasions_district ON world_invasions (district_id, id);"
     "CREATE TABLE world_silly_meter ("
     "  id integer PRIMARY KEY CHECK (id = 1),"
     "  state text NOT NULL, hp bigint NOT NULL,"
     "  team1 text NOT NULL, team2 text NOT NULL, team3 text NOT NULL,"
     "  points1 bigint NOT NULL, points2 bigint NOT NULL, points3 bigint NOT NULL,"
     "  winner bigint, next_update bigint NOT NULL, as_of bigint NOT NULL);"},
};

constexpr char const* columns =
    "id, invasion_id, district, district_id, cog, department, skelecog, v2, mega, defeated, total, started_at, "
    "ended_at";

std::string number(std::int64_t n) { return std::to_string(n); }
std::string boolean(bool b) { return b ? "true" : "false"; }

/// Inserts one row; with its id when `keep_id` (admin migrate). An invasion id already kept is ignored.
result<void> insert(pg_connection& c, stored_invasion const& r, bool keep_id) {
  auto done =
      keep_id
          ? c.exec("world_insert_with_id",
                   "INSERT INTO world_invasions (invasion_id, district, district_id, cog, department, skelecog, v2, "
                   "mega, defeated, total, started_at, ended_at, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                   "$10, $11, $12, $13) ON CONFLICT (invasion_id) DO NOTHING",
                   {r.invasion_id, r.district, r.district_id, r.cog, r.department, boolean(r.skelecog), boolean(r.v2),
                    boolean(r.mega), number(r.defeated), number(r.total), number(r.started_at), number(r.ended_at),
                    number(r.id)})
          : c.exec("world_insert",
                   "INSERT INTO world_invasions (invasion_id, district, district_id, cog, department, skelecog, v2, "
                   "mega, defeated, total, started_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                   "$11, $12) ON CONFLICT (invasion_id) DO NOTHING",
                   {r.invasion_id, r.district, r.district_id, r.cog, r.department, boolean(r.skelecog), boolean(r.v2),
                    boolean(r.mega), number(r.defeated), number(r.total), number(r.started_at), number(r.ended_at)});
  if (!done) return done.error();
  return {};
}

stored_invasion row_at(pg_rows const& rows, int i) {
  auto const text = [&](int column) { return std::string{rows.text(i, column)}; };
  return stored_invasion{rows.int64(i, 0),
                         text(1),
                         text(2),
                         text(3),
                         text(4),
                         text(5),
                         rows.boolean(i, 6),
                         rows.boolean(i, 7),
                         rows.boolean(i, 8),
                         rows.int64(i, 9),
                         rows.int64(i, 10),
                         rows.int64(i, 11),
                         rows.int64(i, 12)};
}

result<void> write_meter(pg_connection& c, silly_saved const& m) {
  auto done = c.exec("world_save_meter",
                     "INSERT INTO world_silly_meter (id, state, hp, team1, team2, team3, points1, points2, points3, "
                     "winner, next_update, as_of) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                     "ON CONFLICT (id) DO UPDATE SET state = excluded.state, hp = excluded.hp, team1 = excluded.team1, "
                     "team2 = excluded.team2, team3 = excluded.team3, points1 = excluded.points1, "
                     "points2 = excluded.points2, points3 = excluded.points3, winner = excluded.winner, "
                     "next_update = excluded.next_update, as_of = excluded.as_of",
                     {std::string{to_string(m.state)}, number(m.hp), m.teams[0], m.teams[1], m.teams[2],
                      number(m.points[0]), number(m.points[1]), number(m.points[2]),
                      m.winner ? store::pg_param{number(static_cast<std::int64_t>(*m.winner))} : std::nullopt,
                      number(m.next_update), number(m.as_of)});
  if (!done) return done.error();
  return {};
}

result<std::optional<silly_saved>> read_meter(pg_connection& c) {
  auto rows = c.exec("world_load_meter",
                     "SELECT state, hp, team1, team2, team3, points1, points2, points3, winner, next_update, as_of "
                     "FROM world_silly_meter WHERE id = 1");
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<silly_saved>{};
  auto const state = silly_state_from_string(std::string{rows->text(0, 0)});
  if (!state) return std::optional<silly_saved>{};
  silly_saved m;
  m.state = *state;
  m.hp = rows->int64(0, 1);
  for (int i = 0; i < 3; ++i) {
    m.teams[i] = std::string{rows->text(0, 2 + i)};
    m.points[i] = rows->int64(0, 5 + i);
  }
  if (!rows->text(0, 8).empty()) m.winner = static_cast<std::size_t>(rows->int64(0, 8));
  m.next_update = rows->int64(0, 9);
  m.as_of = rows->int64(0, 10);
  return std::optional<silly_saved>{std::move(m)};
}

class postgres_history final : public invasion_history {
 public:
  explicit postgres_history(std::unique_ptr<store::postgres_database> db) : db_(std::move(db)) {}
  ~postgres_history() override {
    writes_.join();
    reads_.join();
    if (!pending_.empty() || pending_meter_)
      spdlog::error("world history: {} ended invasions{} not written: PostgreSQL could not be reached", pending_.size(),
                    pending_meter_ ? " and the silly meter" : "");
  }

  void record(std::vector<ended_invasion> ended) override {
    if (ended.empty() && !backlog_) return;  // a backlog is tried again at each tick
    std::vector<stored_invasion> rows;
    for (auto const& e : ended) rows.push_back(stored_from(e));
    writes_.post([this, rows = std::move(rows)]() mutable {
      pending_.insert(pending_.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
      if (pending_.size() > history_backlog_limit) {
        auto const dropped = pending_.size() - history_backlog_limit;
        spdlog::error("world history: PostgreSQL still cannot be reached; {} ended invasions dropped", dropped);
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(dropped));
      }
      write_backlog();
    });
  }

  boost::asio::awaitable<result<history_page>> page(std::int64_t limit, std::optional<std::int64_t> before) override {
    std::function<result<history_page>()> read = [this, limit, before]() -> result<history_page> {
      history_page out;
      auto r = db_->run([&](pg_connection& c) -> result<void> {
        auto rows = c.exec("world_page",
                           std::string{"SELECT "} + columns +
                               " FROM world_invasions WHERE id < $1::bigint ORDER BY id DESC LIMIT $2::bigint",
                           {number(before.value_or(std::numeric_limits<std::int64_t>::max())), number(limit + 1)});
        if (!rows) return rows.error();
        out.invasions.clear();
        for (int i = 0; i < rows->size(); ++i) {
          if (i == limit) {
            out.more = true;
            break;
          }
          out.invasions.push_back(row_at(*rows, i));
        }
        return {};
      });
      if (!r) return r.error();
      return out;
    };
    co_return co_await reads_.run<result<history_page>>(std::move(read));
  }

  void save_meter(silly_saved meter) override {
    writes_.post([this, meter = std::move(meter)]() mutable {
      pending_meter_ = std::move(meter);  // an older one not yet written is replaced: it is out of date
      write_backlog();
    });
  }

  std::optional<silly_saved> load_meter() override {
    std::optional<silly_saved> out;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto m = read_meter(c);
      if (!m) return m.error();
      out = std::move(*m);
      return {};
    });
    if (!r) spdlog::warn("world history: the silly meter could not be read: {}", r.error().message());
    return out;
  }

  void flush() override {
    writes_.run_blocking([this] { write_backlog(); });
  }

  result<history_contents> contents() override {
    history_contents out;
    auto r = db_->transaction([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("world_all", std::string{"SELECT "} + columns + " FROM world_invasions ORDER BY id");
      if (!rows) return rows.error();
      out.invasions.clear();
      for (int i = 0; i < rows->size(); ++i) out.invasions.push_back(row_at(*rows, i));
      auto m = read_meter(c);
      if (!m) return m.error();
      out.meter = std::move(*m);
      return {};
    });
    if (!r) return r.error();
    return out;
  }

  result<void> load(history_contents const& contents) override {
    return db_->transaction([&](pg_connection& c) -> result<void> {
      // Two loads at once: the second waits here and then finds the rows of the first.
      if (auto l = c.simple("LOCK TABLE world_invasions, world_silly_meter IN EXCLUSIVE MODE"); !l) return l.error();
      auto held = c.simple("SELECT (SELECT count(*) FROM world_invasions) + (SELECT count(*) FROM world_silly_meter)");
      if (!held) return held.error();
      if (held->int64(0, 0) != 0) return errc::invalid_argument;
      for (auto const& row : contents.invasions) {
        if (auto done = insert(c, row, true); !done) return done;
      }
      if (contents.meter) {
        if (auto done = write_meter(c, *contents.meter); !done) return done;
      }
      auto next = c.simple(
          "SELECT setval(pg_get_serial_sequence('world_invasions', 'id'), "
          "(SELECT coalesce(max(id), 0) + 1 FROM world_invasions), false)");
      if (!next) return next.error();
      return {};
    });
  }

 private:
  /// Writes what is pending, in one transaction; on the writing thread. Kept while the server
  /// cannot be reached; dropped (logged) on any other failure, which a retry would only repeat.
  void write_backlog() {
    if (pending_.empty() && !pending_meter_) return;
    auto r = db_->transaction([this](pg_connection& c) -> result<void> {
      for (auto const& row : pending_) {
        if (auto done = insert(c, row, false); !done) return done;
      }
      if (pending_meter_) return write_meter(c, *pending_meter_);
      return {};
    });
    if (!r && r.error() == errc::unavailable) {
      backlog_ = true;
      return;
    }
    if (!r)
      spdlog::error("world history: {} ended invasions could not be written ({}); dropped", pending_.size(),
                    r.error().message());
    pending_.clear();
    pending_meter_.reset();
    backlog_ = false;
  }

  std::unique_ptr<store::postgres_database> db_;
  // Touched on the writing thread only.
  std::vector<stored_invasion> pending_;
  std::optional<silly_saved> pending_meter_;
  std::atomic<bool> backlog_{false};  ///< something waits for the server to come back
  store::worker writes_;              ///< one thread: writes in the order they were made
  store::worker reads_;               ///< pages never wait behind writes
};

}  // namespace

result<std::unique_ptr<invasion_history>> open_postgres_history(store::postgres_options const& options,
                                                                std::string& why) {
  auto db = store::postgres_database::open(options, "world", migrations, why);
  if (!db) return db.error();
  return std::unique_ptr<invasion_history>{std::make_unique<postgres_history>(std::move(*db))};
}

}  // namespace overworld::world
