// What the launcher API keeps: accounts (password hash, moderation points, ban, termination,
// two-step code), news (both games' formats are made from one article), TTR's release notes,
// TTCC's long-lived launcher tokens (as SHA-256 only), the launcher version and the maintenance
// flag. SQLite and PostgreSQL implement it.
// Calls block: make them from a worker thread, never from an io thread.
#pragma once

#include <overworld/core/error.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::store {

struct account {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::int64_t moderation_points = 0;
  std::int64_t banned_until = 0;  ///< unix seconds; 0 or past: not banned
  bool terminated = false;
  std::string two_step_hash{};  ///< argon2id of the account's app token; empty: no two-step login

  bool operator==(account const&) const = default;
};

struct news_item {
  std::int64_t id = 0;
  std::string author;
  std::string posted;  ///< "YYYY-MM-DD HH:MM:SS" (UTC), as TTCC's API sends it
  std::string title;
  std::string summary;
  std::string category;
  std::string image_url;
  std::string body{};  ///< HTML, TTR's `body`; empty: TTR's body is the summary

  bool operator==(news_item const&) const = default;
};

/// A TTR release note (/api/releasenotes).
struct release_note {
  std::int64_t id = 0;
  std::string slug;    ///< "ttr-live-v4.1.7d"
  std::string posted;  ///< "YYYY-MM-DD HH:MM:SS" (UTC)
  std::string body;    ///< HTML

  bool operator==(release_note const&) const = default;
};

/// A TTCC launcher token (/api/launcher/v1/register), without its secret.
struct launcher_token {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string username;
  std::string friendly;      ///< the name the launcher gave it ("my laptop")
  std::int64_t created = 0;  ///< unix seconds

  bool operator==(launcher_token const&) const = default;
};

/// A launcher token as stored, with the SHA-256 (hex) of its secret.
struct stored_token {
  launcher_token token;
  std::string token_hash;

  bool operator==(stored_token const&) const = default;
};

/// Everything a launcher store holds, ids included: what `overworld-server admin migrate` copies
/// from one store into another. Rows are in id order.
struct launcher_contents {
  std::vector<account> accounts;
  std::vector<news_item> news;
  std::vector<release_note> release_notes;
  std::vector<stored_token> tokens;
  bool maintenance = false;
  std::string launcher_version;

  bool operator==(launcher_contents const&) const = default;
};

class launcher_store {
 public:
  virtual ~launcher_store() = default;

  /// errc::not_found when there is no such account (names compare case-insensitively).
  virtual result<account> find_account(std::string_view username) = 0;
  /// errc::invalid_argument when the name is taken.
  virtual result<std::int64_t> create_account(std::string_view username, std::string_view password_hash) = 0;
  virtual result<void> set_password_hash(std::string_view username, std::string_view password_hash) = 0;
  /// Adds (or with a negative n removes) moderation points; returns the new total.
  virtual result<std::int64_t> add_moderation_points(std::string_view username, std::int64_t n) = 0;
  virtual result<void> set_banned_until(std::string_view username, std::int64_t unix_seconds) = 0;
  virtual result<void> set_terminated(std::string_view username, bool terminated) = 0;
  /// The argon2id hash of the account's app token (TTR's two-step login); "" turns it off.
  virtual result<void> set_two_step(std::string_view username, std::string_view hash) = 0;

  virtual result<bool> maintenance() = 0;
  virtual result<void> set_maintenance(bool on) = 0;
  virtual result<std::string> launcher_version() = 0;
  virtual result<void> set_launcher_version(std::string_view version) = 0;

  /// Newest first.
  virtual result<std::vector<news_item>> news() = 0;
  virtual result<std::int64_t> post_news(news_item const& item) = 0;
  virtual result<void> edit_news(news_item const& item) = 0;  ///< by id; errc::not_found
  virtual result<void> delete_news(std::int64_t id) = 0;      ///< errc::not_found

  /// Newest first.
  virtual result<std::vector<release_note>> release_notes() = 0;
  virtual result<std::int64_t> post_release_note(release_note const& note) = 0;
  virtual result<void> edit_release_note(release_note const& note) = 0;  ///< by id; errc::not_found
  virtual result<void> delete_release_note(std::int64_t id) = 0;         ///< errc::not_found

  /// Keeps a new launcher token (its SHA-256, hex) for the account; the account's oldest tokens
  /// beyond `keep_at_most` are revoked in the same transaction. errc::not_found: no such account.
  virtual result<std::int64_t> add_launcher_token(std::int64_t account_id, std::string_view token_hash,
                                                  std::string_view friendly, std::int64_t created,
                                                  std::size_t keep_at_most) = 0;
  /// errc::not_found for an unknown or revoked token.
  virtual result<launcher_token> find_launcher_token(std::string_view token_hash) = 0;
  /// The account's tokens, or everyone's for "", oldest first.
  virtual result<std::vector<launcher_token>> launcher_tokens(std::string_view username) = 0;
  virtual result<void> revoke_launcher_token(std::int64_t id) = 0;  ///< errc::not_found

  /// Changes whenever anything above changed, in this process or another one (admin commands).
  virtual result<std::int64_t> revision() = 0;

  /// Everything the store holds. Read it from a store nothing writes to (the nodes stopped, as
  /// `admin migrate` asks): the accounts and tokens are read in one transaction, the rest after.
  virtual result<launcher_contents> contents() = 0;
  /// Fills an empty store with `contents` in one transaction, every id kept (new rows are numbered
  /// after the highest). errc::invalid_argument, and nothing written, when the store already holds
  /// an account, an article, a release note or a token.
  virtual result<void> load(launcher_contents const& contents) = 0;
};

/// The SQLite store (WAL; every committed write survives a crash of the process).
result<std::unique_ptr<launcher_store>> open_sqlite_launcher_store(std::filesystem::path const& file, std::string& why);

struct postgres_options;
/// The PostgreSQL store (tables `launcher_*`; several nodes share it). When the server cannot be
/// reached, calls fail with errc::unavailable and succeed again once it answers.
result<std::unique_ptr<launcher_store>> open_postgres_launcher_store(postgres_options const& options, std::string& why);

}  // namespace overworld::store
