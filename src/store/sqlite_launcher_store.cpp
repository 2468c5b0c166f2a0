#include <overworld/store/launcher_store.hpp>
#include <overworld/store/sqlite.hpp>
#include <overworld/store/sqlite_rows.hpp>
#include "settings_store.hpp"

#include <overworld/core/log.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

namespace overworld::store {
namespace {

std::vector<migration> const migrations{
    {1, R"(CREATE TABLE accounts (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             username TEXT NOT NULL UNIQUE COLLATE NOCASE,
             password_hash TEXT NOT NULL,
             moderation_points INTEGER NOT NULL DEFAULT 0,
             banned_until INTEGER NOT NULL DEFAULT 0,
             terminated INTEGER NOT NULL DEFAULT 0,
             created_at INTEGER NOT NULL DEFAULT (strftime('%s','now')));
           CREATE TABLE news (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             author TEXT NOT NULL, posted TEXT NOT NULL, title TEXT NOT NULL,
             summary TEXT NOT NULL, category TEXT NOT NULL, image_url TEXT NOT NULL DEFAULT '');
           CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
           CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
           INSERT INTO revision VALUES (1, 0);
           INSERT INTO settings VALUES ('maintenance', '0'), ('launcher_version', '1.0.0');)"},
    {2, R"(ALTER TABLE accounts ADD COLUMN two_step_hash TEXT NOT NULL DEFAULT '';
           ALTER TABLE news ADD COLUMN body TEXT NOT NULL DEFAULT '';
           CREATE TABLE release_notes (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             slug TEXT NOT NULL, posted TEXT NOT NULL, body TEXT NOT NULL);
           CREATE TABLE launcher_tokens (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
             token_hash TEXT NOT NULL UNIQUE,
             friendly TEXT NOT NULL,
             created_at INTEGER NOT NULL);
           CREATE INDEX launcher_tokens_account ON launcher_tokens(account_id, id);)"},
};

class sqlite_launcher_store final : public settings_store {
 public:
  explicit sqlite_launcher_store(std::unique_ptr<sqlite_database> db) : db_(std::move(db)) {}

  result<account> find_account(std::string_view username) override {
    std::optional<account> found;
    auto r = call([&](SQLite::Database& db) {
      SQLite::Statement q{db,
                          "SELECT id, username, password_hash, moderation_points, banned_until, terminated, "
                          "two_step_hash FROM accounts WHERE username = ?"};
      q.bind(1, std::string{username});
      if (q.executeStep()) {
        found = account{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                        q.getColumn(3).getInt64(), q.getColumn(4).getInt64(),  q.getColumn(5).getInt() != 0,
                        q.getColumn(6).getString()};
      }
    });
    if (!r) return r.error();
    if (!found) return errc::not_found;
    return *found;
  }

  result<std::int64_t> create_account(std::string_view username, std::string_view hash) override {
    std::int64_t id = 0;
    bool taken = false;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement exists{db, "SELECT 1 FROM accounts WHERE username = ?"};
      exists.bind(1, std::string{username});
      if (exists.executeStep()) {
        taken = true;
        return;
      }
      SQLite::Statement q{db, "INSERT INTO accounts(username, password_hash) VALUES (?, ?)"};
      q.bind(1, std::string{username});
      q.bind(2, std::string{hash});
      q.exec();
      id = db.getLastInsertRowid();
    });
    if (!r) return r.error();
    if (taken) return errc::invalid_argument;
    return id;
  }

  result<void> set_password_hash(std::string_view username, std::string_view hash) override {
    return update_account("UPDATE accounts SET password_hash = ? WHERE username = ?", std::string{hash}, username);
  }

  result<std::int64_t> add_moderation_points(std::string_view username, std::int64_t n) override {
    auto r = update_account("UPDATE accounts SET moderation_points = max(0, moderation_points + ?) WHERE username = ?",
                            n, username);
    if (!r) return r.error();
    auto a = find_account(username);
    if (!a) return a.error();
    return a->moderation_points;
  }

  result<void> set_banned_until(std::string_view username, std::int64_t t) override {
    return update_account("UPDATE accounts SET banned_until = ? WHERE username = ?", t, username);
  }

  result<void> set_terminated(std::string_view username, bool terminated) override {
    return update_account("UPDATE accounts SET terminated = ? WHERE username = ?", std::int64_t{terminated ? 1 : 0},
                          username);
  }

  result<void> set_two_step(std::string_view username, std::string_view hash) override {
    return update_account("UPDATE accounts SET two_step_hash = ? WHERE username = ?", std::string{hash}, username);
  }

  result<std::vector<news_item>> news() override {
    std::vector<news_item> out;
    auto r = call([&](SQLite::Database& db) {
      SQLite::Statement q{db,
                          "SELECT id, author, posted, title, summary, category, image_url, body FROM news "
                          "ORDER BY id DESC"};
      while (q.executeStep()) {
        out.push_back(news_item{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                                q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString(),
                                q.getColumn(6).getString(), q.getColumn(7).getString()});
      }
    });
    if (!r) return r.error();
    return out;
  }

  result<std::int64_t> post_news(news_item const& item) override {
    std::int64_t id = 0;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement q{db,
                          "INSERT INTO news(author, posted, title, summary, category, image_url, body) "
                          "VALUES (?,?,?,?,?,?,?)"};
      bind_news(q, item);
      q.exec();
      id = db.getLastInsertRowid();
    });
    if (!r) return r.error();
    return id;
  }

  result<void> edit_news(news_item const& item) override {
    int changed = 0;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement q{db,
                          "UPDATE news SET author=?, posted=?, title=?, summary=?, category=?, image_url=?, body=? "
                          "WHERE id=?"};
      bind_news(q, item);
      q.bind(8, item.id);
      changed = q.exec();
    });
    if (!r) return r.error();
    if (changed == 0) return errc::not_found;
    return {};
  }

  result<void> delete_news(std::int64_t id) override { return delete_by_id("DELETE FROM news WHERE id = ?", id); }

  result<std::vector<release_note>> release_notes() override {
    std::vector<release_note> out;
    auto r = call([&](SQLite::Database& db) {
      SQLite::Statement q{db, "SELECT id, slug, posted, body FROM release_notes ORDER BY id DESC"};
      while (q.executeStep()) {
        out.push_back(release_note{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                                   q.getColumn(3).getString()});
      }
    });
    if (!r) return r.error();
    return out;
  }

  result<std::int64_t> post_release_note(release_note const& note) override {
    std::int64_t id = 0;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement q{db, "INSERT INTO release_notes(slug, posted, body) VALUES (?,?,?)"};
      q.bind(1, note.slug);
      q.bind(2, note.posted);
      q.bind(3, note.body);
      q.exec();
      id = db.getLastInsertRowid();
    });
    if (!r) return r.error();
    return id;
  }

  result<void> edit_release_note(release_note const& note) override {
    int changed = 0;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement q{db, "UPDATE release_notes SET slug = ?, posted = ?, body = ? WHERE id = ?"};
      q.bind(1, note.slug);
      q.bind(2, note.posted);
      q.bind(3, note.body);
      q.bind(4, note.id);
      changed = q.exec();
    });
    if (!r) return r.error();
    if (changed == 0) return errc::not_found;
    return {};
  }

  result<void> delete_release_note(std::int64_t id) override {
    return delete_by_id("DELETE FROM release_notes WHERE id = ?", id);
  }

  result<std::int64_t> add_launcher_token(std::int64_t account_id, std::string_view token_hash,
                                          std::string_view friendly, std::int64_t created,
                                          std::size_t keep_at_most) override {
    std::int64_t id = 0;
    bool known = false;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement exists{db, "SELECT 1 FROM accounts WHERE id = ?"};
      exists.bind(1, account_id);
      if (!(known = exists.executeStep())) return;
      SQLite::Statement q{db,
                          "INSERT INTO launcher_tokens(account_id, token_hash, friendly, created_at) VALUES (?,?,?,?)"};
      q.bind(1, account_id);
      q.bind(2, std::string{token_hash});
      q.bind(3, std::string{friendly});
      q.bind(4, created);
      q.exec();
      id = db.getLastInsertRowid();
      SQLite::Statement trim{db,
                             "DELETE FROM launcher_tokens WHERE account_id = ?1 AND id NOT IN "
                             "(SELECT id FROM launcher_tokens WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2)"};
      trim.bind(1, account_id);
      trim.bind(2, static_cast<std::int64_t>(keep_at_most));
      trim.exec();
    });
    if (!r) return r.error();
    if (!known) return errc::not_found;
    return id;
  }

  result<launcher_token> find_launcher_token(std::string_view token_hash) override {
    auto found = tokens_where("t.token_hash = ?", std::string{token_hash});
    if (!found) return found.error();
    if (found->empty()) return errc::not_found;
    return std::move(found->front());
  }

  result<std::vector<launcher_token>> launcher_tokens(std::string_view username) override {
    if (username.empty()) return tokens_where("1 = 1", std::nullopt);
    return tokens_where("a.username = ?", std::string{username});
  }

  result<void> revoke_launcher_token(std::int64_t id) override {
    return delete_by_id("DELETE FROM launcher_tokens WHERE id = ?", id);
  }

  result<std::int64_t> revision() override {
    std::int64_t v = 0;
    auto r =
        call([&](SQLite::Database& db) { v = db.execAndGet("SELECT value FROM revision WHERE id = 1").getInt64(); });
    if (!r) return r.error();
    return v;
  }

  result<launcher_contents> contents() override {
    launcher_contents out;
    auto r = call([&](SQLite::Database& db) {
      SQLite::Transaction tx{db, SQLite::TransactionBehavior::DEFERRED};
      SQLite::Statement accounts{db,
                                 "SELECT id, username, password_hash, moderation_points, banned_until, terminated, "
                                 "two_step_hash FROM accounts ORDER BY id"};
      while (accounts.executeStep()) {
        auto const& q = accounts;
        out.accounts.push_back(account{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                       q.getColumn(2).getString(), q.getColumn(3).getInt64(), q.getColumn(4).getInt64(),
                                       q.getColumn(5).getInt() != 0, q.getColumn(6).getString()});
      }
      SQLite::Statement tokens{db,
                               "SELECT t.id, t.account_id, a.username, t.friendly, t.created_at, t.token_hash "
                               "FROM launcher_tokens t JOIN accounts a ON a.id = t.account_id ORDER BY t.id"};
      while (tokens.executeStep()) {
        auto const& q = tokens;
        out.tokens.push_back(
            stored_token{{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                          q.getColumn(3).getString(), q.getColumn(4).getInt64()},
                         q.getColumn(5).getString()});
      }
      tx.commit();
    });
    if (!r) return r.error();
    return with_content(std::move(out));  // articles, release notes, settings
  }

  result<void> load(launcher_contents const& c) override {
    bool empty = true;
    auto r = write([&](SQLite::Database& db) {
      empty = db.execAndGet(
                    "SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM news) + "
                    "(SELECT count(*) FROM release_notes) + (SELECT count(*) FROM launcher_tokens)")
                  .getInt64() == 0;
      if (!empty) return;
      SQLite::Statement account_row{db,
                                    "INSERT INTO accounts(id, username, password_hash, moderation_points, "
                                    "banned_until, terminated, two_step_hash) VALUES (?,?,?,?,?,?,?)"};
      for (auto const& a : c.accounts) {
        exec_row(account_row, a.id, a.username, a.password_hash, a.moderation_points, a.banned_until, a.terminated,
                 a.two_step_hash);
      }
      load_content(db, c);
    });
    if (!r) return r;
    if (!empty) return errc::invalid_argument;
    return {};
  }

 private:
  static void load_content(SQLite::Database& db, launcher_contents const& c) {
    SQLite::Statement news_row{db,
                               "INSERT INTO news(author, posted, title, summary, category, image_url, body, id) "
                               "VALUES (?,?,?,?,?,?,?,?)"};
    for (auto const& n : c.news) {
      news_row.reset();
      bind_news(news_row, n);
      news_row.bind(8, n.id);
      news_row.exec();
    }
    SQLite::Statement note_row{db, "INSERT INTO release_notes(id, slug, posted, body) VALUES (?,?,?,?)"};
    for (auto const& n : c.release_notes) exec_row(note_row, n.id, n.slug, n.posted, n.body);
    SQLite::Statement token_row{
        db, "INSERT INTO launcher_tokens(id, account_id, token_hash, friendly, created_at) VALUES (?,?,?,?,?)"};
    for (auto const& t : c.tokens)
      exec_row(token_row, t.token.id, t.token.account_id, t.token_hash, t.token.friendly, t.token.created);
    SQLite::Statement setting_row{db, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)"};
    for (auto const& [key, value] : {std::pair<char const*, std::string>{"maintenance", c.maintenance ? "1" : "0"},
                                     {"launcher_version", c.launcher_version}}) {
      exec_row(setting_row, key, value);
    }
  }

  template <class F>
  result<void> call(F&& work) {
    try {
      db_->run_blocking([&](SQLite::Database& db) { work(db); });
      return {};
    } catch (database_damaged const&) {
      return errc::data_corrupt;
    } catch (std::exception const& e) {
      spdlog::error("{}: {}", db_->path().string(), e.what());
      return errc::io_error;
    }
  }

  /// One immediate transaction that also bumps the revision, so other processes see a change.
  template <class F>
  result<void> write(F&& work) {
    return call([&](SQLite::Database& db) {
      SQLite::Transaction tx{db, SQLite::TransactionBehavior::IMMEDIATE};
      work(db);
      db.exec("UPDATE revision SET value = value + 1 WHERE id = 1");
      tx.commit();
    });
  }

  result<void> delete_by_id(char const* sql, std::int64_t id) {
    int changed = 0;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement q{db, sql};
      q.bind(1, id);
      changed = q.exec();
    });
    if (!r) return r.error();
    if (changed == 0) return errc::not_found;
    return {};
  }

  result<std::vector<launcher_token>> tokens_where(char const* condition, std::optional<std::string> value) {
    std::vector<launcher_token> out;
    auto r = call([&](SQLite::Database& db) {
      SQLite::Statement q{db, std::string{"SELECT t.id, t.account_id, a.username, t.friendly, t.created_at "
                                          "FROM launcher_tokens t JOIN accounts a ON a.id = t.account_id WHERE "} +
                                  condition + " ORDER BY t.id"};
      if (value) q.bind(1, *value);
      while (q.executeStep()) {
        out.push_back(launcher_token{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                                     q.getColumn(3).getString(), q.getColumn(4).getInt64()});
      }
    });
    if (!r) return r.error();
    return out;
  }

  template <class V>
  result<void> update_account(char const* sql, V value, std::string_view username) {
    int changed = 0;
    auto r = write([&](SQLite::Database& db) {
      SQLite::Statement q{db, sql};
      q.bind(1, value);
      q.bind(2, std::string{username});
      changed = q.exec();
    });
    if (!r) return r.error();
    if (changed == 0) return errc::not_found;
    return {};
  }

  result<std::string> setting(char const* key) override {
    std::string value;
    auto r = call([&](SQLite::Database& db) {
      SQLite::Statement q{db, "SELECT value FROM settings WHERE key = ?"};
      q.bind(1, key);
      if (q.executeStep()) value = q.getColumn(0).getString();
    });
    if (!r) return r.error();
    return value;
  }

  result<void> set_setting(char const* key, std::string_view value) override {
    return write([&](SQLite::Database& db) {
      SQLite::Statement q{
          db, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"};
      q.bind(1, key);
      q.bind(2, std::string{value});
      q.exec();
    });
  }

  static void bind_news(SQLite::Statement& q, news_item const& n) {
    q.bind(1, n.author);
    q.bind(2, n.posted);
    q.bind(3, n.title);
    q.bind(4, n.summary);
    q.bind(5, n.category);
    q.bind(6, n.image_url);
    q.bind(7, n.body);
  }

  std::unique_ptr<sqlite_database> db_;
};

}  // namespace

result<std::unique_ptr<launcher_store>> open_sqlite_launcher_store(std::filesystem::path const& file,
                                                                   std::string& why) {
  auto db = sqlite_database::open(file, migrations, why);
  if (!db) return db.error();
  return std::unique_ptr<launcher_store>{std::make_unique<sqlite_launcher_store>(std::move(*db))};
}

}  // namespace overworld::store
