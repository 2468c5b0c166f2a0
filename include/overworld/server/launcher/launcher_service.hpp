// The launcher APIs of both games, on one store and one argon2id pool: TTCC v1 (login with reason
// codes and game tokens, the legacy GET login, news, launcher version), TTCC's launcher v1 token
// API (register, login, metadata, revoke_self), TTR's login (success, delayed in a queue, partial
// with a two-step code, failure), TTR's news and release notes; and token redemption for game
// servers.
#pragma once

#include <overworld/core/config.hpp>
#include <overworld/core/metrics.hpp>
#include <overworld/http/router.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/common/limiter.hpp>
#include <overworld/server/launcher/game_tokens.hpp>
#include <overworld/server/launcher/login_queue.hpp>
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
  std::string game_server_key;                              ///< Bearer key for /internal/v1/tokens/redeem
  std::string gameserver = "127.0.0.1:7198";                ///< TTR's `gameserver`; TTCC metadata's server
  std::string ttr_manifest = "/content/patchmanifest.txt";  ///< TTR's `manifest`
  std::string public_url;               ///< prefix of the URLs in TTCC metadata; empty: http://<Host of the request>
  std::string files_url = "/files/";    ///< TTCC metadata's base_url (launcher.files_base or files_path)
  std::size_t tokens_per_account = 10;  ///< launcher tokens kept per account; a new one revokes the oldest
  std::chrono::milliseconds two_step_lifetime{300'000};  ///< a `partial` login's responseToken
  std::size_t two_step_pending = 10'000;                 ///< responseTokens outstanding at once
  unsigned two_step_attempts = 3;                        ///< wrong codes before the login fails
  login_queue_options queue;
};

struct credentials {
  std::string username;
  std::string password;
};
/// The credentials of a login: JSON {"username","password"}, a form body, /login/{username}
/// with a form `password`, or GET /login/{username}?password= (legacy). errc::unsupported for
/// another content type (415), else a 400 with `why`.
result<credentials> read_credentials(http::request const& req, std::string& why);

/// The fields of a TTR login (POST /api/login): form body and query parameters, the body winning.
struct ttr_login_fields {
  std::string username, password, app_token, auth_token, queue_token;
  bool json = false;  ///< ?format=json
};
/// errc::unsupported for a body that is not a form (415); errc::invalid_argument with `why` when
/// no complete variant is given or a field is over 1 KiB (400).
result<ttr_login_fields> read_ttr_login(http::request const& req, std::string& why);

/// A TTCC launcher-v1 register body: JSON or form {username, password, friendly?}.
struct registration {
  credentials login;
  std::string friendly;  ///< "launcher" when not given; the name rule, 64 bytes
};
result<registration> read_registration(http::request const& req, std::string& why);

/// TTR's dates: "2022-02-25 21:16:00" (the store's UTC form) as "February 25, 2022 at 9:16 PM";
/// anything else is returned as it is.
std::string ttr_date(std::string_view posted);

std::vector<config_key> launcher_config_keys();
result<launcher_options> launcher_options_from(config const& cfg, std::string& why);

class launcher_service : public std::enable_shared_from_this<launcher_service> {
 public:
  launcher_service(launcher_options options, std::shared_ptr<store::launcher_store> store,
                   clock const& time = clock::system());

  void install(http::router& routes);
  token_book& tokens() noexcept { return tokens_; }
  login_queue& queue() noexcept { return queue_; }
  /// Password checks queued or running on the hashing threads.
  std::size_t hashing_waiting() const noexcept { return pool_.waiting(); }
  /// The per-account login limiter (its size is bounded by per_account.max_tracked).
  policy::sliding_window_limiter const& login_limiter() const noexcept { return per_account_; }
  /// Counts logins per account in `shared` (every node's, through Redis: server::make_limiter)
  /// instead of this process's limiter. Call before serving. When it cannot be asked, a login
  /// answers 503 with Retry-After (server::unavailable_retry_after): never unlimited.
  void share_login_limiter(std::shared_ptr<server::limiter> shared) { shared_logins_ = std::move(shared); }
  /// Issues and redeems game tokens in `shared` (every node's, through Redis: redis_game_tokens)
  /// instead of tokens(). Call before serving. When it cannot be reached, a login that would get a
  /// token, and a redemption, answer 503 with Retry-After.
  void share_game_tokens(std::shared_ptr<game_tokens> shared) { game_tokens_ = std::move(shared); }
  /// Keeps the responseTokens of partial TTR logins in `shared` (every node's, through Redis:
  /// redis_game_tokens under a name of their own) instead of this process's book, so a code may be
  /// sent to any node. Call before serving. When it cannot be reached, a login that would ask for a
  /// code, and a code, answer 503 with Retry-After; launcher.two_step_pending bounds only the book.
  void share_two_step_tokens(std::shared_ptr<game_tokens> shared) { two_step_tokens_ = std::move(shared); }
  /// Adds the launcher's metrics to `metrics`: the time of each argon2id verification
  /// (overworld_launcher_hash_seconds) and the logins refused because the hashing queue was full
  /// (overworld_launcher_logins_busy_total). The service must be held by a shared_ptr.
  void expose(metrics_registry& metrics);
  /// Waits for the hashing and reading threads; after the servers have stopped, before they are destroyed.
  void join();

 private:
  struct login_outcome {
    int reason = 1005;  // a TTCC reason
    std::int64_t account_id = 0;
    std::string username;
    std::int64_t ban_hours = 0;
    bool two_step = false;  // the account asks for a code (TTR's partial)
    bool store_failed = false;
  };
  /// The checks every password login shares: lengths, the name rule, the per-account limit, then
  /// argon2id on the pool. An answer when the login ends before the outcome (400, 429, 503).
  /// What a hashing thread finds: the password is right, and the new hash when the stored one was
  /// made with other settings.
  struct verdict {
    bool ok = false;
    std::string fresh;
  };
  struct password_check {
    std::optional<http::response> refused;
    login_outcome outcome;
  };
  using refusal = std::function<http::response(unsigned status, std::string message)>;
  boost::asio::awaitable<password_check> check_password(credentials c, refusal refuse);
  /// The account's state as a login sees it (terminated, banned, maintenance or success); a store call.
  login_outcome account_outcome(store::account const& a, std::int64_t now);
  /// find_account on the store thread; nullopt when its queue is full.
  boost::asio::awaitable<std::optional<result<store::account>>> find_account(std::string name);
  /// On the store thread: keeps `fresh` as the account's hash when it is not empty (a rehash), then
  /// account_outcome(); nullopt when its queue is full.
  boost::asio::awaitable<std::optional<login_outcome>> settle(store::account a, std::string fresh, std::int64_t now);

  boost::asio::awaitable<http::response> login(http::request req);
  /// GET /api/v1/login/{username}?password=: login(), never kept by a cache.
  boost::asio::awaitable<http::response> legacy_login(http::request req);
  boost::asio::awaitable<http::response> news(http::request req);
  boost::asio::awaitable<http::response> version(http::request req);
  boost::asio::awaitable<http::response> redeem(http::request req);
  void install_ttr(http::router& routes);
  void install_ttr_login(http::router& routes);
  void install_launcher_v1(http::router& routes);

  // TTR (ttr_login.cpp, ttr_news.cpp)
  boost::asio::awaitable<http::response> ttr_login(http::request req);
  boost::asio::awaitable<http::response> ttr_password_login(ttr_login_fields f);
  boost::asio::awaitable<http::response> ttr_two_step(ttr_login_fields f);
  boost::asio::awaitable<http::response> ttr_let_in(token_owner owner, bool json);
  boost::asio::awaitable<http::response> ttr_place(login_queue::place place, bool json);
  http::response ttr_admitted(std::string const& cookie, bool json) const;
  /// A place that is not (yet) admitted: delayed, full or expired.
  http::response ttr_waiting_or_gone(login_queue::place place, bool json) const;
  /// What a refused login tells the player (terminated, banned for N hours, maintenance, wrong password).
  static std::string refusal_text(login_outcome const& o);
  /// `read` on the store thread, which alone touches `*last`: while the store cannot be reached
  /// (a PostgreSQL outage), the last value read is served.
  template <class T>
  boost::asio::awaitable<result<T>> read_through(std::function<result<T>()> read, std::optional<T>* last) {
    std::function<result<T>()> remembered = [read = std::move(read), last]() -> result<T> {
      auto r = read();
      if (r) *last = *r;
      if (!r && r.error() == errc::unavailable && *last) return **last;
      return r;
    };
    auto got = co_await store_calls_.run<result<T>>(std::move(remembered));
    if (!got) co_return make_error_code(errc::unavailable);
    co_return std::move(*got);
  }
  boost::asio::awaitable<result<std::vector<store::news_item>>> read_news();
  boost::asio::awaitable<result<std::vector<store::release_note>>> read_release_notes();
  boost::asio::awaitable<http::response> ttr_news(http::request req);
  boost::asio::awaitable<http::response> ttr_news_list(http::request req);
  boost::asio::awaitable<http::response> ttr_release_notes(http::request req);

  // TTCC launcher v1 (launcher_v1.cpp)
  boost::asio::awaitable<http::response> v1_register(http::request req);
  /// The token of `Authorization: Bearer`, looked up; nullopt (then 401) when unknown or revoked.
  boost::asio::awaitable<result<store::launcher_token>> v1_token(http::request req);
  boost::asio::awaitable<http::response> v1_login(http::request req);
  boost::asio::awaitable<http::response> v1_metadata(http::request req);
  boost::asio::awaitable<http::response> v1_revoke(http::request req);

  launcher_options options_;
  std::shared_ptr<store::launcher_store> store_;
  clock const& clock_;
  hashing_pool pool_;
  // Every store call of the service: off the io threads, never queued behind password hashing, and
  // the hashing threads only hash.
  hashing_pool store_calls_{1, 1024};
  std::optional<std::vector<store::news_item>> last_news_;      // the last read, on the store_calls_ thread only
  std::optional<std::string> last_version_;                     // likewise
  std::optional<std::vector<store::release_note>> last_notes_;  // likewise
  token_book tokens_;
  token_book two_step_;  // responseTokens of partial TTR logins, in this process
  login_queue queue_;
  policy::sliding_window_limiter per_account_;
  std::shared_ptr<server::limiter> shared_logins_;  // replaces per_account_ when set
  std::shared_ptr<game_tokens> game_tokens_;        // tokens_, or the shared ones
  std::shared_ptr<game_tokens> two_step_tokens_;    // two_step_, or the shared ones
  /// The per-account limit for one login of `name` (lower-cased): 429 or 503 as `refuse` words
  /// it, nullopt when the login may go on.
  boost::asio::awaitable<std::optional<http::response>> limit_account(std::string name, refusal refuse);
  std::string dummy_hash_;  // verified for unknown users, so that they take as long as known ones
  /// verify_password, timed into hashing_ (on a hashing thread).
  bool verify_timed(std::string_view hash, std::string_view password);
  histogram hashing_;  // seconds per argon2id verification
  counter busy_;       // logins refused with 503: the hashing queue was full
};

/// {"status":…,"reason":…,"friendlyreason":…,"token":…} as TTCC sends it.
std::string login_body(bool status, int reason, std::string_view friendly, std::string_view token);

}  // namespace overworld::launcher
