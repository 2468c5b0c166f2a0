// The operator's API: the admin commands over HTTP, on their own listener (loopback by default)
// and behind an admin key. JSON in, JSON out; every change goes to the launcher store.
#pragma once

#include <overworld/http/router.hpp>
#include <overworld/server/launcher/passwords.hpp>
#include <overworld/store/launcher_store.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::json {
class object;
}

namespace overworld::launcher {

/// Hashes `password` and creates the account (shared by the CLI and the HTTP API).
result<std::int64_t> create_account(store::launcher_store& db, password_policy const& policy, std::string_view name,
                                    std::string_view password);
/// Also revokes the account's launcher tokens (TTCC launcher v1).
result<void> change_password(store::launcher_store& db, password_policy const& policy, std::string_view name,
                             std::string_view password);
/// Turns TTR's two-step login on for the account with this app token (its argon2id hash is kept),
/// or off with an empty one. errc::invalid_argument for a token outside 6 to 256 bytes.
result<void> set_two_step(store::launcher_store& db, password_policy const& policy, std::string_view name,
                          std::string_view app_token);

/// The range of a number the admin API or CLI takes. Out of range, fractional, or not a number:
/// 400 (CLI: exit 2) naming the field, and nothing changes.
struct admin_number {
  std::string_view field;
  std::int64_t min;
  std::int64_t max;
};
inline constexpr admin_number ban_hours{"hours", 1, std::int64_t{24} * 366 * 100};  // up to 100 years
inline constexpr admin_number points_change{"n", -1'000'000, 1'000'000};
inline constexpr admin_number news_id{"id", 1, std::int64_t{1} << 53};  // exact in every JSON reader
/// "hours must be a whole number from 1 to 878400".
std::string admin_number_problem(admin_number const& range);
/// A decimal integer in range (CLI arguments and path segments); errc::invalid_argument otherwise.
result<std::int64_t> parse_admin_number(std::string_view text, admin_number const& range);
/// Names and news fields of the admin API and CLI: a name (core/text.hpp) of at most this many bytes.
inline constexpr std::size_t max_admin_text = 4096;
/// HTML bodies of news and release notes (the admin API's request body is 64 KiB at most).
inline constexpr std::size_t max_admin_html = std::size_t{60} * 1024;
/// An empty string when `text` is an acceptable `field`, else why not ("title has control characters").
/// `summary` and `body` may hold line breaks and tabs.
std::string admin_text_problem(std::string_view field, std::string_view text, std::size_t max_bytes);

/// Now, as news items carry it: "YYYY-MM-DD HH:MM:SS" (UTC).
std::string news_timestamp();

class admin_api {
 public:
  admin_api(std::shared_ptr<store::launcher_store> db, password_policy policy, std::string key,
            std::filesystem::path rebuild_trigger);
  void install(http::router& routes);
  /// One admin call, after the key check, on the calling thread (the routes run it on a pool).
  http::response apply(http::request const& req);

 private:
  boost::asio::awaitable<http::response> handle(http::request req);
  /// Release notes, news listing, launcher tokens and two-step (admin_content.cpp); nullopt when
  /// the request is none of those.
  std::optional<http::response> apply_content(http::request const& req, boost::json::object const& body);

  std::shared_ptr<store::launcher_store> db_;
  password_policy policy_;
  std::string key_;
  std::filesystem::path rebuild_trigger_;
  hashing_pool pool_{1, 16};  // store calls and hashing stay off the io thread
};

}  // namespace overworld::launcher
