// The launcher store on PostgreSQL: the same tables and rules as the SQLite one (names compare
// ignoring ASCII case, as SQLite's NOCASE does), prefixed `launcher_` so that other stores can
// share the database. Every write is one transaction that also bumps the revision.
#include <overworld/store/launcher_store.hpp>
#include <overworld/store/postgres.hpp>
#include "settings_store.hpp"

namespace overworld::store {
namespace {

// ASCII-only case folding, the same as SQLite's NOCASE (lower() would also fold other letters).
#define OW_FOLD(x) "translate(" x ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"

std::vector<migration> const migrations{
    {1,
     "CREATE TABLE launcher_accounts ("
     "  id bigserial PRIMARY KEY,"
     "  username text NOT NULL,"
     "  password_hash text NOT NULL,"
     "  moderation_points bigint NOT NULL DEFAULT 0,"
     "  banned_until bigint NOT NULL DEFAULT 0,"
     "  terminated boolean NOT NULL DEFAULT false,"
     "  created_at bigint NOT NULL DEFAULT extract(epoch FROM now())::bigint);"
     "CREATE UNIQUE INDEX launcher_accounts_username ON launcher_accounts (" OW_FOLD(
         "username") ");"
                     "CREATE TABLE launcher_news ("
                     "  id bigserial PRIMARY KEY, author text NOT NULL, posted text NOT NULL, title text NOT NULL,"
                     "  summary text NOT NULL, category text NOT NULL, image_url text NOT NULL DEFAULT '');"
                     "CREATE TABLE launcher_settings (key text PRIMARY KEY, value text NOT NULL);"
                     "CREATE TABLE launcher_revision (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);"
                     "INSERT INTO launcher_revision VALUES (1, 0);"
                     "INSERT INTO launcher_settings VALUES ('maintenance', '0'), ('launcher_version', '1.0.0');"},
    {2,
     "ALTER TABLE launcher_accounts ADD COLUMN two_step_hash text NOT NULL DEFAULT '';"
     "ALTER TABLE launcher_news ADD COLUMN body text NOT NULL DEFAULT '';"
     "CREATE TABLE launcher_release_notes ("
     "  id bigserial PRIMARY KEY, slug text NOT NULL, posted text NOT NULL, body text NOT NULL);"
     "CREATE TABLE launcher_tokens ("
     "  id bigserial PRIMARY KEY,"
     "  account_id bigint NOT NULL REFERENCES launcher_accounts(id) ON DELETE CASCADE,"
     "  token_hash text NOT NULL UNIQUE,"
     "  friendly text NOT NULL,"
     "  created_at bigint NOT NULL);"
     "CREATE INDEX launcher_tokens_account ON launcher_tokens (account_id, id);"},
};

constexpr char const* by_name = " WHERE " OW_FOLD("username") " = " OW_FOLD("$2");

std::string number(std::int64_t n) { return std::to_string(n); }

result<void> done(result<std::int64_t> const& r) {
  if (!r) return r.error();
  return {};
}

news_item news_at(pg_rows const& rows, int i) {
  return news_item{rows.int64(i, 0),
                   std::string{rows.text(i, 1)},
                   std::string{rows.text(i, 2)},
                   std::string{rows.text(i, 3)},
                   std::string{rows.text(i, 4)},
                   std::string{rows.text(i, 5)},
                   std::string{rows.text(i, 6)},
                   std::string{rows.text(i, 7)}};
}

launcher_token token_at(pg_rows const& rows, int i) {
  return launcher_token{rows.int64(i, 0), rows.int64(i, 1), std::string{rows.text(i, 2)}, std::string{rows.text(i, 3)},
                        rows.int64(i, 4)};
}

constexpr char const* token_columns =
    "SELECT t.id, t.account_id, a.username, t.friendly, t.created_at FROM launcher_tokens t "
    "JOIN launcher_accounts a ON a.id = t.account_id ";

class postgres_launcher_store final : public settings_store {
 public:
  explicit postgres_launcher_store(std::unique_ptr<postgres_database> db) : db_(std::move(db)) {}

  result<account> find_account(std::string_view username) override {
    std::optional<account> found;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("find_account",
                         "SELECT id, username, password_hash, moderation_points, banned_until, terminated, "
                         "two_step_hash FROM launcher_accounts WHERE " OW_FOLD("username") " = " OW_FOLD("$1"),
                         {std::string{username}});
      if (!rows) return rows.error();
      if (!rows->empty()) {
        found =
            account{rows->int64(0, 0), std::string{rows->text(0, 1)}, std::string{rows->text(0, 2)}, rows->int64(0, 3),
                    rows->int64(0, 4), rows->boolean(0, 5),           std::string{rows->text(0, 6)}};
      }
      return {};
    });
    if (!r) return r.error();
    if (!found) return errc::not_found;
    return *found;
  }

  result<std::int64_t> create_account(std::string_view username, std::string_view hash) override {
    std::int64_t id = 0;
    auto r = write([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("create_account",
                         "INSERT INTO launcher_accounts(username, password_hash) VALUES ($1, $2) RETURNING id",
                         {std::string{username}, std::string{hash}});
      if (!rows) return rows.error();  // a taken name is a unique violation: invalid_argument
      id = rows->int64(0, 0);
      return {};
    });
    if (!r) return r.error();
    return id;
  }

  result<void> set_password_hash(std::string_view username, std::string_view hash) override {
    return done(update_account("set_password_hash", "password_hash = $1", std::string{hash}, username));
  }

  result<std::int64_t> add_moderation_points(std::string_view username, std::int64_t n) override {
    return update_account("add_moderation_points", "moderation_points = greatest(0, moderation_points + $1::bigint)",
                          number(n), username, " RETURNING moderation_points");
  }

  result<void> set_banned_until(std::string_view username, std::int64_t t) override {
    return done(update_account("set_banned_until", "banned_until = $1::bigint", number(t), username));
  }

  result<void> set_terminated(std::string_view username, bool terminated) override {
    return done(update_account("set_terminated", "terminated = $1::boolean", terminated ? "true" : "false", username));
  }

  result<void> set_two_step(std::string_view username, std::string_view hash) override {
    return done(update_account("set_two_step", "two_step_hash = $1", std::string{hash}, username));
  }

  result<std::vector<news_item>> news() override {
    std::vector<news_item> out;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("news",
                         "SELECT id, author, posted, title, summary, category, image_url, body FROM launcher_news "
                         "ORDER BY id DESC");
      if (!rows) return rows.error();
      for (int i = 0; i < rows->size(); ++i) out.push_back(news_at(*rows, i));
      return {};
    });
    if (!r) return r.error();
    return out;
  }

  result<std::int64_t> post_news(news_item const& item) override {
    std::int64_t id = 0;
    auto r = write([&](pg_connection& c) -> result<void> {
      auto rows =
          c.exec("post_news",
                 "INSERT INTO launcher_news(author, posted, title, summary, category, image_url, body) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                 {item.author, item.posted, item.title, item.summary, item.category, item.image_url, item.body});
      if (!rows) return rows.error();
      id = rows->int64(0, 0);
      return {};
    });
    if (!r) return r.error();
    return id;
  }

  result<void> edit_news(news_item const& item) override {
    return changed_one("edit_news",
                       "UPDATE launcher_news SET author = $1, posted = $2, title = $3, summary = $4, category = $5, "
                       "image_url = $6, body = $7 WHERE id = $8::bigint",
                       {item.author, item.posted, item.title, item.summary, item.category, item.image_url, item.body,
                        number(item.id)});
  }

  result<void> delete_news(std::int64_t id) override {
    return changed_one("delete_news", "DELETE FROM launcher_news WHERE id = $1::bigint", {number(id)});
  }

  result<std::vector<release_note>> release_notes() override {
    std::vector<release_note> out;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("release_notes", "SELECT id, slug, posted, body FROM launcher_release_notes ORDER BY id DESC");
      if (!rows) return rows.error();
      for (int i = 0; i < rows->size(); ++i) {
        out.push_back(release_note{rows->int64(i, 0), std::string{rows->text(i, 1)}, std::string{rows->text(i, 2)},
                                   std::string{rows->text(i, 3)}});
      }
      return {};
    });
    if (!r) return r.error();
    return out;
  }

  result<std::int64_t> post_release_note(release_note const& note) override {
    return inserted("post_release_note",
                    "INSERT INTO launcher_release_notes(slug, posted, body) VALUES ($1, $2, $3) RETURNING id",
                    {note.slug, note.posted, note.body});
  }

  result<void> edit_release_note(release_note const& note) override {
    return changed_one("edit_release_note",
                       "UPDATE launcher_release_notes SET slug = $1, posted = $2, body = $3 WHERE id = $4::bigint",
                       {note.slug, note.posted, note.body, number(note.id)});
  }

  result<void> delete_release_note(std::int64_t id) override {
    return changed_one("delete_release_note", "DELETE FROM launcher_release_notes WHERE id = $1::bigint", {number(id)});
  }

  result<std::int64_t> add_launcher_token(std::int64_t account_id, std::string_view token_hash,
                                          std::string_view friendly, std::int64_t created,
                                          std::size_t keep_at_most) override {
    std::int64_t id = 0;
    bool known = false;
    auto r = write([&](pg_connection& c) -> result<void> {
      // The account's row is locked, so that concurrent registrations keep the bound.
      auto account = c.exec("lock_account", "SELECT 1 FROM launcher_accounts WHERE id = $1::bigint FOR UPDATE",
                            {number(account_id)});
      if (!account) return account.error();
      if (!(known = !account->empty())) return {};
      auto rows = c.exec("add_launcher_token",
                         "INSERT INTO launcher_tokens(account_id, token_hash, friendly, created_at) "
                         "VALUES ($1::bigint, $2, $3, $4::bigint) RETURNING id",
                         {number(account_id), std::string{token_hash}, std::string{friendly}, number(created)});
      if (!rows) return rows.error();
      id = rows->int64(0, 0);
      auto trimmed = c.exec("trim_launcher_tokens",
                            "DELETE FROM launcher_tokens WHERE account_id = $1::bigint AND id NOT IN "
                            "(SELECT id FROM launcher_tokens WHERE account_id = $1::bigint ORDER BY id DESC "
                            "LIMIT $2::bigint)",
                            {number(account_id), number(static_cast<std::int64_t>(keep_at_most))});
      if (!trimmed) return trimmed.error();
      return {};
    });
    if (!r) return r.error();
    if (!known) return errc::not_found;
    return id;
  }

  result<launcher_token> find_launcher_token(std::string_view token_hash) override {
    auto found =
        tokens("find_launcher_token", std::string{token_columns} + "WHERE t.token_hash = $1", std::string{token_hash});
    if (!found) return found.error();
    if (found->empty()) return errc::not_found;
    return std::move(found->front());
  }

  result<std::vector<launcher_token>> launcher_tokens(std::string_view username) override {
    if (username.empty()) return tokens("all_launcher_tokens", std::string{token_columns} + "ORDER BY t.id", {});
    return tokens("launcher_tokens",
                  std::string{token_columns} + "WHERE " OW_FOLD("a.username") " = " OW_FOLD("$1") " ORDER BY t.id",
                  std::string{username});
  }

  result<void> revoke_launcher_token(std::int64_t id) override {
    return changed_one("revoke_launcher_token", "DELETE FROM launcher_tokens WHERE id = $1::bigint", {number(id)});
  }

  result<std::int64_t> revision() override {
    std::int64_t v = 0;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("revision", "SELECT value FROM launcher_revision WHERE id = 1");
      if (!rows) return rows.error();
      v = rows->int64(0, 0);
      return {};
    });
    if (!r) return r.error();
    return v;
  }

  result<launcher_contents> contents() override {
    launcher_contents out;
    auto r = db_->transaction([&](pg_connection& c) -> result<void> {
      auto accounts = c.exec("all_accounts",
                             "SELECT id, username, password_hash, moderation_points, banned_until, terminated, "
                             "two_step_hash FROM launcher_accounts ORDER BY id");
      if (!accounts) return accounts.error();
      for (int i = 0; i < accounts->size(); ++i) {
        auto const& q = *accounts;
        out.accounts.push_back(account{q.int64(i, 0), std::string{q.text(i, 1)}, std::string{q.text(i, 2)},
                                       q.int64(i, 3), q.int64(i, 4), q.boolean(i, 5), std::string{q.text(i, 6)}});
      }
      auto tokens = c.exec("all_stored_tokens",
                           "SELECT t.id, t.account_id, a.username, t.friendly, t.created_at, t.token_hash "
                           "FROM launcher_tokens t JOIN launcher_accounts a ON a.id = t.account_id ORDER BY t.id");
      if (!tokens) return tokens.error();
      for (int i = 0; i < tokens->size(); ++i)
        out.tokens.push_back(stored_token{token_at(*tokens, i), std::string{tokens->text(i, 5)}});
      return {};
    });
    if (!r) return r.error();
    return with_content(std::move(out));  // articles, release notes, settings
  }

  result<void> load(launcher_contents const& contents) override {
    bool empty = true;
    auto r = write([&](pg_connection& c) -> result<void> {
      auto count = c.exec("count_everything",
                          "SELECT (SELECT count(*) FROM launcher_accounts) + (SELECT count(*) FROM launcher_news) + "
                          "(SELECT count(*) FROM launcher_release_notes) + (SELECT count(*) FROM launcher_tokens)");
      if (!count) return count.error();
      if (!(empty = count->int64(0, 0) == 0)) return {};
      return load_rows(c, contents);
    });
    if (!r) return r;
    if (!empty) return errc::invalid_argument;
    return {};
  }

 private:
  static result<void> load_rows(pg_connection& c, launcher_contents const& in) {
    for (auto const& a : in.accounts) {
      if (auto r =
              c.exec("load_account",
                     "INSERT INTO launcher_accounts(id, username, password_hash, moderation_points, banned_until, "
                     "terminated, two_step_hash) VALUES ($1::bigint, $2, $3, $4::bigint, $5::bigint, $6::boolean, $7)",
                     {number(a.id), a.username, a.password_hash, number(a.moderation_points), number(a.banned_until),
                      a.terminated ? "true" : "false", a.two_step_hash});
          !r)
        return r.error();
    }
    for (auto const& n : in.news) {
      if (auto r = c.exec("load_news",
                          "INSERT INTO launcher_news(id, author, posted, title, summary, category, image_url, body) "
                          "VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8)",
                          {number(n.id), n.author, n.posted, n.title, n.summary, n.category, n.image_url, n.body});
          !r)
        return r.error();
    }
    for (auto const& n : in.release_notes) {
      if (auto r = c.exec("load_release_note",
                          "INSERT INTO launcher_release_notes(id, slug, posted, body) VALUES ($1::bigint, $2, $3, $4)",
                          {number(n.id), n.slug, n.posted, n.body});
          !r)
        return r.error();
    }
    for (auto const& t : in.tokens) {
      if (auto r = c.exec("load_token",
                          "INSERT INTO launcher_tokens(id, account_id, token_hash, friendly, created_at) "
                          "VALUES ($1::bigint, $2::bigint, $3, $4, $5::bigint)",
                          {number(t.token.id), number(t.token.account_id), t.token_hash, t.token.friendly,
                           number(t.token.created)});
          !r)
        return r.error();
    }
    return load_settings(c, in);
  }

  /// The settings, and each table's id sequence moved past the ids it now holds.
  static result<void> load_settings(pg_connection& c, launcher_contents const& in) {
    for (auto const& [key, value] : {std::pair<std::string, std::string>{"maintenance", in.maintenance ? "1" : "0"},
                                     {"launcher_version", in.launcher_version}}) {
      if (auto r = c.exec("load_setting",
                          "INSERT INTO launcher_settings(key, value) VALUES ($1, $2) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          {key, value});
          !r)
        return r.error();
    }
    for (char const* table : {"launcher_accounts", "launcher_news", "launcher_release_notes", "launcher_tokens"}) {
      std::string const t{table};
      auto r = c.exec("sequence_of_" + t, "SELECT setval(pg_get_serial_sequence('" + t +
                                              "', 'id'), coalesce((SELECT max(id) FROM " + t +
                                              "), 1), (SELECT count(*) > 0 FROM " + t + "))");
      if (!r) return r.error();
    }
    return {};
  }

  /// One transaction that also bumps the revision, so other nodes and processes see a change.
  result<void> write(std::function<result<void>(pg_connection&)> const& work) {
    return db_->transaction([&](pg_connection& c) -> result<void> {
      if (auto r = work(c); !r) return r;
      auto bumped = c.exec("bump_revision", "UPDATE launcher_revision SET value = value + 1 WHERE id = 1");
      if (!bumped) return bumped.error();
      return {};
    });
  }

  /// `UPDATE launcher_accounts SET <assignment> WHERE <name is $2> <returning>`; errc::not_found
  /// when no account has that name. Returns the first column returned (0 without RETURNING).
  result<std::int64_t> update_account(char const* name, std::string_view assignment, std::string value,
                                      std::string_view username, std::string_view returning = {}) {
    std::string sql = "UPDATE launcher_accounts SET " + std::string{assignment} + by_name + std::string{returning};
    std::int64_t out = 0;
    bool found = false;
    auto r = write([&](pg_connection& c) -> result<void> {
      auto rows = c.exec(name, sql, {std::move(value), std::string{username}});
      if (!rows) return rows.error();
      found = rows->affected() > 0;
      if (found && !returning.empty()) out = rows->int64(0, 0);
      return {};
    });
    if (!r) return r.error();
    if (!found) return errc::not_found;
    return out;
  }

  result<std::int64_t> inserted(char const* name, char const* sql, std::initializer_list<pg_param> params) {
    std::int64_t id = 0;
    auto r = write([&](pg_connection& c) -> result<void> {
      auto rows = c.exec(name, sql, params);
      if (!rows) return rows.error();
      id = rows->int64(0, 0);
      return {};
    });
    if (!r) return r.error();
    return id;
  }

  result<std::vector<launcher_token>> tokens(char const* name, std::string const& sql, pg_param value) {
    std::vector<launcher_token> out;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto rows = value ? c.exec(name, sql, {value}) : c.exec(name, sql);
      if (!rows) return rows.error();
      for (int i = 0; i < rows->size(); ++i) out.push_back(token_at(*rows, i));
      return {};
    });
    if (!r) return r.error();
    return out;
  }

  result<void> changed_one(char const* name, char const* sql, std::initializer_list<pg_param> params) {
    bool found = false;
    auto r = write([&](pg_connection& c) -> result<void> {
      auto rows = c.exec(name, sql, params);
      if (!rows) return rows.error();
      found = rows->affected() > 0;
      return {};
    });
    if (!r) return r;
    if (!found) return errc::not_found;
    return {};
  }

  result<std::string> setting(char const* key) override {
    std::string value;
    auto r = db_->run([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("setting", "SELECT value FROM launcher_settings WHERE key = $1", {std::string{key}});
      if (!rows) return rows.error();
      if (!rows->empty()) value = rows->text(0, 0);
      return {};
    });
    if (!r) return r.error();
    return value;
  }

  result<void> set_setting(char const* key, std::string_view value) override {
    return write([&](pg_connection& c) -> result<void> {
      auto rows = c.exec("set_setting",
                         "INSERT INTO launcher_settings(key, value) VALUES ($1, $2) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         {std::string{key}, std::string{value}});
      if (!rows) return rows.error();
      return {};
    });
  }

  std::unique_ptr<postgres_database> db_;
};

#undef OW_FOLD

}  // namespace

result<std::unique_ptr<launcher_store>> open_postgres_launcher_store(postgres_options const& options,
                                                                     std::string& why) {
  auto db = postgres_database::open(options, "launcher", migrations, why);
  if (!db) return db.error();
  return std::unique_ptr<launcher_store>{std::make_unique<postgres_launcher_store>(std::move(*db))};
}

}  // namespace overworld::store
