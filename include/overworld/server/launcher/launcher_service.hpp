// The launcher API of TTCC v1: login with reason codes and game tokens, token redemption for game
// servers, news and launcher version — on a store, with argon2id on a bounded pool.
#pragma once

#include <overworld/core/config.hpp>
#include <overworld/http/router.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/launcher/passwords.hpp>
#include <overworld/server/launcher/tokens.hpp>
#include <overworld/store/launcher_store.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace overworld::launcher {

/// TTCC login reasons.
enum reason : int {
  success = 1000,
  terminated = 1002,
  banned = 1003,
  maintenance = 1004,
  invalid_credentials = 1005,
  rate_limited = 429,
};

struct launcher_options {
  password_policy passwords;
  std::size_t hashing_threads = 2;
  std::size_t hashing_queue = 64;  ///< logins waiting for a hashing thread; beyond: 503
  std::chrono::milliseconds token_lifetime{120'000};
  std::int64_t termination_points = 10;
  policy::rate_limit per_account{
      5, std::chrono::minutes{5}, 3, std::chrono::minutes{5}, std::chrono::hours{6}, std::chrono::hours{24}};
  std::size_t max_username = 64;
  std::size_t max_password = 256;
  std::string game_server_key;  ///< Bearer key for /internal/v1/tokens/redeem
};

struct credentials {
  std::string username;
  std::string password;
};
/// The credentials of a login: JSON {"username","password"}, a form body, or /login/{username}
/// with a form `password`. errc::unsupported for another content type (415), else a 400 with `why`.
result<credentials> read_credentials(http::request const& req, std::string& why);

std::vector<config_key> launcher_config_keys();
result<launcher_options> launcher_options_from(config const& cfg, std::string& why);

class launcher_service {
 public:
  launcher_service(launcher_options options, std::shared_ptr<store::launcher_store> store,
                   clock const& time = clock::system());

  void install(http::router& routes);
  token_book& tokens() noexcept { return tokens_; }
  /// The per-account login limiter (its size is bounded by per_account.max_tracked).
  policy::sliding_window_limiter const& login_limiter() const noexcept { return per_account_; }
  /// Waits for the hashing and reading threads; after the servers have stopped, before they are destroyed.
  void join();

 private:
  boost::asio::awaitable<http::response> login(http::request req);
  boost::asio::awaitable<http::response> news(http::request req);
  boost::asio::awaitable<http::response> version(http::request req);
  http::response redeem(http::request const& req);

  launcher_options options_;
  std::shared_ptr<store::launcher_store> store_;
  clock const& clock_;
  hashing_pool pool_;
  hashing_pool reads_{1, 1024};                             // news and version: never queued behind password hashing
  std::optional<std::vector<store::news_item>> last_news_;  // the last read, on the reads_ thread only
  std::optional<std::string> last_version_;                 // likewise
  token_book tokens_;
  policy::sliding_window_limiter per_account_;
  std::string dummy_hash_;  // verified for unknown users, so that they take as long as known ones
};

/// {"status":…,"reason":…,"friendlyreason":…,"token":…} as TTCC sends it.
std::string login_body(bool status, int reason, std::string_view friendly, std::string_view token);

}  // namespace overworld::launcher
