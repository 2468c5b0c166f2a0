#include <overworld/server/world/history.hpp>

#include <overworld/core/log.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>

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
}  // namespace

std::vector<ended_invasion> invasion_ends::update(std::vector<district_view> const& previous,
                                                  std::vector<district_view> const& current, std::int64_t now_unix) {
  std::map<std::string_view, district_view const*> now;
  for (auto const& d : current) now.emplace(d.name, &d);
  std::vector<ended_invasion> out;
  // Districts that were silent with an invasion: settled once they are heard from again or dropped.
  for (auto it = silenced_.begin(); it != silenced_.end();) {
    auto const found = now.find(it->first);
    if (found != now.end() && found->second->silent) {
      ++it;
      continue;
    }
    if (found == now.end() || found->second->invasion_id != it->second.invasion_id) {
      out.push_back({it->second, it->second.last_report});
    }
    it = silenced_.erase(it);
  }
  for (auto const& d : previous) {
    if (!d.current) continue;
    auto const found = now.find(d.name);
    if (found != now.end() && found->second->silent) {
      silenced_.insert_or_assign(d.name, d);
    } else if (found == now.end() || found->second->invasion_id != d.invasion_id) {
      out.push_back({d, now_unix});
    }
  }
  return out;
}

result<std::unique_ptr<invasion_history>> invasion_history::open(std::filesystem::path const& file, std::string& why) {
  auto db = store::sqlite_database::open(file, migrations, why);
  if (!db) return db.error();
  auto h = std::make_unique<invasion_history>();
  h->db_ = std::move(*db);
  return h;
}

void invasion_history::record(std::vector<ended_invasion> ended) {
  if (ended.empty()) return;
  db_->post([ended = std::move(ended)](SQLite::Database& db) {
    SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
    SQLite::Statement insert{db, R"(INSERT OR IGNORE INTO invasion_history
        (invasion_id, district, district_id, cog, department, skelecog, v2, mega, defeated, total, started_at, ended_at)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?))"};
    for (auto const& [d, ended_at] : ended) {
      auto const& inv = *d.current;
      insert.bind(1, d.invasion_id);
      insert.bind(2, d.name);
      insert.bind(3, d.id);
      insert.bind(4, inv.cog);
      insert.bind(5, std::string{to_string(inv.dept)});
      insert.bind(6, inv.skelecog ? 1 : 0);
      insert.bind(7, inv.v2 ? 1 : 0);
      insert.bind(8, inv.mega ? 1 : 0);
      insert.bind(9, static_cast<std::int64_t>(inv.defeated));
      insert.bind(10, static_cast<std::int64_t>(inv.total));
      insert.bind(11, static_cast<std::int64_t>(inv.started_at));
      insert.bind(12, static_cast<std::int64_t>(ended_at));
      insert.exec();
      insert.reset();
    }
    tx.commit();
  });
}

boost::asio::awaitable<result<std::string>> invasion_history::page_json(std::int64_t limit,
                                                                        std::optional<std::int64_t> before) {
  std::function<std::string(SQLite::Database&)> read = [limit, before](SQLite::Database& db) {
    SQLite::Statement q{db, R"(SELECT id, invasion_id, district, district_id, cog, department, skelecog, v2, mega,
        defeated, total, started_at, ended_at FROM invasion_history WHERE id < ? ORDER BY id DESC LIMIT ?)"};
    q.bind(1, static_cast<std::int64_t>(before.value_or(std::numeric_limits<std::int64_t>::max())));
    q.bind(2, static_cast<std::int64_t>(limit + 1));  // one more tells whether a next page exists
    std::string out = "{\"invasions\":[";
    std::int64_t count = 0, last_id = 0;
    bool more = false;
    while (q.executeStep()) {
      if (count == limit) {
        more = true;
        break;
      }
      if (count++) out += ',';
      last_id = q.getColumn(0).getInt64();
      bool const mega = q.getColumn(8).getInt() != 0;
      out += "{\"id\":" + std::to_string(last_id) + ",\"invasionId\":\"";
      append_json_escaped(out, q.getColumn(1).getString());
      out += "\",\"district\":\"";
      append_json_escaped(out, q.getColumn(2).getString());
      out += "\",\"districtId\":\"";
      append_json_escaped(out, q.getColumn(3).getString());
      out += "\",\"cog\":\"";
      append_json_escaped(out, q.getColumn(4).getString());
      out += "\",\"department\":\"";
      append_json_escaped(out, q.getColumn(5).getString());
      out += "\"";
      out += std::string{",\"skelecog\":"} + (q.getColumn(6).getInt() ? "true" : "false");
      out += std::string{",\"v2\":"} + (q.getColumn(7).getInt() ? "true" : "false");
      out += std::string{",\"mega\":"} + (mega ? "true" : "false");
      out += ",\"defeated\":" + std::to_string(q.getColumn(9).getInt64());
      out += ",\"total\":" + (mega ? std::string{"null"} : std::to_string(q.getColumn(10).getInt64()));
      out += ",\"startedAt\":" + std::to_string(q.getColumn(11).getInt64());
      out += ",\"endedAt\":" + std::to_string(q.getColumn(12).getInt64()) + "}";
    }
    out += "],\"next\":";
    out += more ? "\"" + std::to_string(last_id) + "\"" : std::string{"null"};
    out += "}";
    return out;
  };
  try {
    co_return co_await db_->run<std::string>(std::move(read));
  } catch (store::database_damaged const&) {
    co_return errc::data_corrupt;
  } catch (std::exception const& e) {
    spdlog::error("{}: {}", db_->path().string(), e.what());
    co_return errc::io_error;
  }
}

void invasion_history::save_meter(silly_saved meter) {
  db_->post([meter = std::move(meter)](SQLite::Database& db) {
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
  });
}

std::optional<silly_saved> invasion_history::load_meter() {
  std::optional<silly_saved> out;
  db_->run_blocking([&out](SQLite::Database& db) {
    SQLite::Statement q{db, R"(SELECT state, hp, team1, team2, team3, points1, points2, points3, winner, next_update,
        as_of FROM silly_meter WHERE id = 1)"};
    if (!q.executeStep()) return;
    auto const state = silly_state_from_string(q.getColumn(0).getString());
    if (!state) return;
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
    out = std::move(m);
  });
  return out;
}

void invasion_history::flush() {
  db_->run_blocking([](SQLite::Database&) {});
}

}  // namespace overworld::world
