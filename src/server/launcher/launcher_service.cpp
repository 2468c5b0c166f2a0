#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/common/secrets.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <overworld/core/log.hpp>
#include <overworld/core/text.hpp>

#include <simdjson.h>

#include <cctype>
#include <charconv>
#include <chrono>

namespace overworld::launcher {

std::vector<config_key> launcher_config_keys() {
  return {
      {"launcher.db", "launcher.sqlite", "SQLite file of accounts, news and settings, relative to the data folder"},
      {"launcher.token_lifetime", "120s", "how long a game token from a login stays valid"},
      {"launcher.hashing_threads", "2", "threads hashing passwords (argon2id)"},
      {"launcher.hashing_queue", "64", "logins waiting for a hashing thread before 503"},
      {"launcher.argon2_memory", "19MiB", "argon2id memory per hash (OWASP: 19 MiB)"},
      {"launcher.argon2_iterations", "2", "argon2id passes (OWASP: 2)"},
      {"launcher.termination_points", "10", "moderation points at which an account is terminated"},
      {"launcher.account_attempts", "5", "logins per account in account_window"},
      {"launcher.account_window", "5m", "window of the per-account login limit"},
      {"launcher.account_max_tracked", "100000", "account names the login limit remembers at most"},
      {"launcher.files", "", "folder of game files for the manifest (empty: no manifest)"},
      {"launcher.files_base", "", "the manifest's base URL (default: this server's files_path)"},
      {"launcher.files_path", "/files/", "where this server serves the folder (empty: not served)"},
      {"launcher.files_poll", "5s", "how often the folder is checked for changes"},
      {"launcher.gameserver", "127.0.0.1:7198", "the game server TTR logins and TTCC metadata name"},
      {"launcher.ttr_manifest", "/content/patchmanifest.txt", "the `manifest` of a successful TTR login"},
      {"launcher.public_url", "", "URL prefix of TTCC metadata's links (empty: http://<Host of the request>)"},
      {"launcher.tokens_per_account", "10", "TTCC launcher tokens kept per account; a new one revokes the oldest"},
      {"launcher.two_step_lifetime", "5m", "how long a partial TTR login waits for its code"},
      {"launcher.two_step_pending", "10000", "partial TTR logins waiting for a code at once"},
      {"launcher.queue_rate", "0", "TTR logins let in per queue_window; beyond, they wait in line (0: no queue)"},
      {"launcher.queue_window", "1s", "window of launcher.queue_rate"},
      {"launcher.queue_length", "1000", "TTR logins waiting in line at most; beyond, refused"},
      {"launcher.queue_ticket_lifetime", "60s", "a place in line not polled for this long is given up"},
  };
}

namespace {

// The keys of the TTR login, the launcher v1 tokens and the queue.
result<launcher_options> login_surface_options(config const& cfg, launcher_options o, std::string& why) {
  auto per_account = cfg.get_int("launcher.tokens_per_account");
  auto two_step = cfg.get_duration("launcher.two_step_lifetime");
  auto pending = cfg.get_int("launcher.two_step_pending");
  auto rate = cfg.get_int("launcher.queue_rate");
  auto window = cfg.get_duration("launcher.queue_window");
  auto length = cfg.get_int("launcher.queue_length");
  auto ticket = cfg.get_duration("launcher.queue_ticket_lifetime");
  if (!per_account || *per_account < 1 || *per_account > 1000)
    return why = "launcher.tokens_per_account: 1 to 1000", errc::bad_config;
  if (!two_step || two_step->count() < 1000) return why = "launcher.two_step_lifetime: at least 1s", errc::bad_config;
  if (!pending || *pending < 1 || *pending > 10'000'000)
    return why = "launcher.two_step_pending: 1 to 10000000", errc::bad_config;
  if (!rate || *rate < 0 || !window || window->count() < 1)
    return why = "launcher.queue_rate / queue_window: a count (0: no queue) and a duration", errc::bad_config;
  if (!length || *length < 1 || *length > 1'000'000)
    return why = "launcher.queue_length: 1 to 1000000", errc::bad_config;
  if (!ticket || ticket->count() < 1000) return why = "launcher.queue_ticket_lifetime: at least 1s", errc::bad_config;
  o.gameserver = cfg.get("launcher.gameserver");
  o.ttr_manifest = cfg.get("launcher.ttr_manifest");
  o.public_url = cfg.get("launcher.public_url");
  while (o.public_url.ends_with('/')) o.public_url.pop_back();
  o.files_url = cfg.get("launcher.files_base");
  if (o.files_url.empty()) o.files_url = cfg.get("launcher.files_path");
  o.tokens_per_account = static_cast<std::size_t>(*per_account);
  o.two_step_lifetime = *two_step;
  o.two_step_pending = static_cast<std::size_t>(*pending);
  o.queue.rate = static_cast<std::size_t>(*rate);
  o.queue.window = *window;
  o.queue.max_length = static_cast<std::size_t>(*length);
  o.queue.ticket_lifetime = *ticket;
  return o;
}

}  // namespace

result<launcher_options> launcher_options_from(config const& cfg, std::string& why) {
  launcher_options o;
  auto lifetime = cfg.get_duration("launcher.token_lifetime");
  auto threads = cfg.get_int("launcher.hashing_threads");
  auto queue = cfg.get_int("launcher.hashing_queue");
  auto memory = cfg.get_size("launcher.argon2_memory");
  auto iterations = cfg.get_int("launcher.argon2_iterations");
  auto points = cfg.get_int("launcher.termination_points");
  auto attempts = cfg.get_int("launcher.account_attempts");
  auto window = cfg.get_duration("launcher.account_window");
  auto tracked = cfg.get_int("launcher.account_max_tracked");
  if (!lifetime || lifetime->count() < 1000) return why = "launcher.token_lifetime: at least 1s", errc::bad_config;
  if (!threads || *threads < 1 || *threads > 64) return why = "launcher.hashing_threads: 1 to 64", errc::bad_config;
  if (!queue || *queue < 1) return why = "launcher.hashing_queue: a positive number", errc::bad_config;
  if (!memory || *memory < 8192 || *memory > (std::uint64_t{4} << 30)) {
    return why = "launcher.argon2_memory: 8KiB to 4GiB", errc::bad_config;
  }
  if (!iterations || *iterations < 1) return why = "launcher.argon2_iterations: at least 1", errc::bad_config;
  if (!points || *points < 1) return why = "launcher.termination_points: a positive number", errc::bad_config;
  if (!attempts || *attempts < 1 || !window)
    return why = "launcher.account_attempts / account_window", errc::bad_config;
  if (!tracked || *tracked < 16 || *tracked > 100'000'000)
    return why = "launcher.account_max_tracked: 16 to 100000000", errc::bad_config;
  o.token_lifetime = *lifetime;
  o.hashing_threads = static_cast<std::size_t>(*threads);
  o.hashing_queue = static_cast<std::size_t>(*queue);
  o.passwords.memory = static_cast<std::size_t>(*memory);
  o.passwords.iterations = static_cast<unsigned long long>(*iterations);
  o.termination_points = *points;
  o.per_account.limit = static_cast<std::size_t>(*attempts);
  o.per_account.max_tracked = static_cast<std::size_t>(*tracked);
  o.per_account.window = *window;
  return login_surface_options(cfg, std::move(o), why);
}

std::string login_body(bool status, int reason, std::string_view friendly, std::string_view token) {
  std::string out = status ? "{\"status\":true" : "{\"status\":false";
  out += ",\"reason\":" + std::to_string(reason) + ",\"friendlyreason\":\"";
  append_json_escaped(out, friendly);
  out += "\",\"token\":\"";
  append_json_escaped(out, token);
  out += "\"}";
  return out;
}

namespace {

http::response answer(unsigned status, bool ok, int reason, std::string_view friendly, std::string_view token = {}) {
  return http::response::json(status, login_body(ok, reason, friendly, token));
}

}  // namespace

result<credentials> read_credentials(http::request const& req, std::string& why) {
  credentials c;
  auto const type = req.header("Content-Type").value_or("");
  if (req.method == http::verb::get) {  // the legacy GET /api/v1/login/{username}?password=
    c.password = req.query_param("password").value_or("");
  } else if (type.starts_with("application/json")) {
    thread_local simdjson::ondemand::parser parser;
    simdjson::padded_string const padded{req.body};
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) {
      why = "the body is not a JSON object";
      return errc::parse_error;
    }
    for (auto field : obj) {
      std::string_view key, value;
      if (field.unescaped_key().get(key)) {
        why = "malformed JSON";
        return errc::parse_error;
      }
      if (key != "username" && key != "password") continue;
      if (field.value().get_string().get(value)) {
        why = std::string{key} + " must be a string";
        return errc::invalid_argument;
      }
      (key == "username" ? c.username : c.password) = std::string{value};
    }
    if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
      why = "malformed JSON";
      return errc::parse_error;
    }
  } else if (type.starts_with("application/x-www-form-urlencoded") || (type.empty() && req.body.empty())) {
    auto user = http::form_value(req.body, "username");
    auto pass = http::form_value(req.body, "password");
    if (pass) c.password = *pass;
    if (user) c.username = *user;
  } else {
    why = "send application/json or application/x-www-form-urlencoded";
    return errc::unsupported;
  }
  if (auto from_path = req.param("username"); !from_path.empty()) c.username = std::string{from_path};
  if (c.username.empty() || c.password.empty()) {
    why = "username and password are required";
    return errc::invalid_argument;
  }
  return c;
}

launcher_service::launcher_service(launcher_options options, std::shared_ptr<store::launcher_store> store,
                                   clock const& time)
    : options_(std::move(options)),
      store_(std::move(store)),
      clock_(time),
      pool_(options_.hashing_threads, options_.hashing_queue),
      tokens_(options_.token_lifetime, time),
      two_step_(options_.two_step_lifetime, time, options_.two_step_pending),
      queue_(options_.queue, time),
      per_account_(options_.per_account, time),
      game_tokens_(std::make_shared<local_game_tokens>(tokens_)),
      two_step_tokens_(std::make_shared<local_game_tokens>(two_step_)) {
  auto h = hash_password("not a password anyone has", options_.passwords);
  if (h) dummy_hash_ = *h;
}

launcher_service::login_outcome launcher_service::account_outcome(store::account const& account, std::int64_t now) {
  login_outcome o;
  o.account_id = account.id;
  o.username = account.username;
  o.two_step = !account.two_step_hash.empty();
  if (account.terminated || account.moderation_points >= options_.termination_points) {
    o.reason = terminated;
  } else if (account.banned_until > now) {
    o.reason = banned;
    o.ban_hours = (account.banned_until - now + 3599) / 3600;
  } else if (auto m = store_->maintenance(); m && *m) {
    o.reason = maintenance;
  } else {
    o.reason = success;
  }
  return o;
}

boost::asio::awaitable<std::optional<http::response>> launcher_service::limit_account(std::string name,
                                                                                      refusal refuse) {
  result<policy::decision> limit = shared_logins_ ? co_await shared_logins_->check(std::move(name))
                                                  : result<policy::decision>{per_account_.check(name)};
  if (!limit) {  // the shared limiter cannot be asked: refused, never unlimited
    auto const seconds = std::to_string(server::unavailable_retry_after);
    auto r = refuse(503, "The login service is unavailable. Try again in " + seconds + " seconds.");
    r.header("Retry-After", seconds);
    co_return r;
  }
  if (limit->allowed) co_return std::nullopt;
  auto const seconds = std::to_string(server::retry_after_seconds(*limit));
  auto r = refuse(429, "Too many logins for this account. Try again in " + seconds + " seconds.");
  r.header("Retry-After", seconds);
  co_return r;
}

boost::asio::awaitable<launcher_service::password_check> launcher_service::check_password(credentials c,
                                                                                          refusal refuse) {
  password_check out;
  if (c.username.size() > options_.max_username || c.password.size() > options_.max_password) {
    out.refused = refuse(400, "username or password too long");
    co_return out;
  }
  // Before the limiter: a name that no account can have takes no entry there.
  if (auto const problem = check_name(c.username, options_.max_username); problem != name_problem::ok) {
    out.refused = refuse(400, "username " + describe(problem, options_.max_username));
    co_return out;
  }
  // Per account, whoever asks and through whichever API: guessing one account's password from
  // many addresses is slow too.
  auto account = ascii_lower(c.username);  // its own statement: no temporary in a co_await
  if (auto limited = co_await limit_account(std::move(account), refuse)) {
    out.refused = std::move(limited);
    co_return out;
  }
  auto busy = [&] {
    busy_.inc();
    auto r = refuse(503, "The login service is busy. Try again shortly.");
    r.header("Retry-After", "1");
    return r;
  };
  // A login the hashing queue cannot take reads nothing from the store.
  if (pool_.full()) {
    out.refused = busy();
    co_return out;
  }
  auto name = c.username;  // its own statement: no temporary in a co_await
  auto found = co_await find_account(std::move(name));
  if (!found) {
    out.refused = busy();
    co_return out;
  }
  if (!*found && found->error() != errc::not_found) {
    out.refused = refuse(503, "The login service is unavailable.");
    out.refused->header("Retry-After", "5");
    co_return out;
  }
  auto const known = found->has_value();
  // The lambda is built in its own statement: g++ 12 frees its captures twice when a capturing
  // lambda and co_await share one expression. An unknown account costs the same argon2id work.
  std::function<verdict()> hash = [this, known, stored = known ? (*found)->password_hash : dummy_hash_,
                                   password = std::move(c.password)]() {
    verdict v;
    v.ok = verify_timed(stored, password) && known;
    if (v.ok && needs_rehash(stored, options_.passwords)) {
      if (auto fresh = hash_password(password, options_.passwords)) v.fresh = std::move(*fresh);
    }
    return v;
  };
  auto checked = co_await pool_.run<verdict>(std::move(hash));
  if (!checked) {
    out.refused = busy();
    co_return out;
  }
  if (!checked->ok) co_return out;  // the default outcome: invalid credentials
  auto holder = std::move(**found);
  auto const now = unix_seconds(clock_.now());
  auto outcome = co_await settle(std::move(holder), std::move(checked->fresh), now);
  if (!outcome) {
    out.refused = busy();
    co_return out;
  }
  out.outcome = std::move(*outcome);
  co_return out;
}

boost::asio::awaitable<std::optional<result<store::account>>> launcher_service::find_account(std::string name) {
  std::function<result<store::account>()> find = [this, name = std::move(name)] { return store_->find_account(name); };
  co_return co_await store_calls_.run<result<store::account>>(std::move(find));
}

boost::asio::awaitable<std::optional<launcher_service::login_outcome>> launcher_service::settle(store::account a,
                                                                                                std::string fresh,
                                                                                                std::int64_t now) {
  std::function<login_outcome()> work = [this, a = std::move(a), fresh = std::move(fresh), now] {
    if (!fresh.empty()) (void)store_->set_password_hash(a.username, fresh);
    return account_outcome(a, now);
  };
  co_return co_await store_calls_.run<login_outcome>(std::move(work));
}

boost::asio::awaitable<http::response> launcher_service::login(http::request req) {
  std::string why;
  auto creds = read_credentials(req, why);
  if (!creds) {
    unsigned const status = creds.error() == errc::unsupported ? 415 : 400;
    co_return answer(status, false, static_cast<int>(status), why);
  }
  refusal refuse = [](unsigned status, std::string message) {
    return answer(status, false, status == 429 ? rate_limited : static_cast<int>(status), message);
  };
  auto checked = co_await check_password(std::move(*creds), std::move(refuse));
  if (checked.refused) co_return std::move(*checked.refused);
  auto const& outcome = checked.outcome;
  if (outcome.reason != success) co_return answer(200, false, outcome.reason, refusal_text(outcome));
  if (outcome.two_step) {  // TTCC's v1 login cannot carry the code: only TTR's login can
    co_return answer(200, false, invalid_credentials,
                     "This account uses two-step verification: log in with a launcher that asks for the code.");
  }
  token_owner owner{outcome.account_id, outcome.username};  // its own statement: no temporary in a co_await
  auto token = co_await game_tokens_->issue(std::move(owner));
  if (!token) {
    auto r = answer(503, false, 503, "The login service is unavailable. Try again in 5 seconds.");
    r.header("Retry-After", "5");
    co_return r;
  }
  co_return answer(200, true, success, "", *token);
}

boost::asio::awaitable<http::response> launcher_service::legacy_login(http::request req) {
  auto r = co_await login(std::move(req));
  r.header("Cache-Control", "no-store");
  co_return r;
}

std::string launcher_service::refusal_text(login_outcome const& o) {
  switch (o.reason) {
    case terminated:
      return "This account has been terminated.";
    case banned:
      return "This account is banned for " + std::to_string(o.ban_hours) +
             (o.ban_hours == 1 ? " more hour." : " more hours.");
    case maintenance:
      return "The game is closed for maintenance.";
    default:
      return "The username or password is incorrect.";
  }
}

namespace {
/// The token of a redemption's body ({"token":"…"}); nullopt when the body is not that.
std::optional<std::string> token_of(std::string_view body) {
  thread_local simdjson::ondemand::parser parser;
  simdjson::padded_string const padded{body};
  simdjson::ondemand::document doc;
  std::string_view token;
  if (parser.iterate(padded).get(doc) || doc["token"].get_string().get(token)) return std::nullopt;
  return std::string{token};
}
}  // namespace

boost::asio::awaitable<http::response> launcher_service::redeem(http::request req) {
  if (!server::bearer_matches(req, options_.game_server_key)) {
    co_return http::response::json(401, R"({"error":"missing or wrong game server key"})");
  }
  auto token = token_of(req.body);
  if (!token) co_return http::response::json(400, R"({"error":"expected {\"token\":\"…\"}"})");
  auto redeemed = co_await game_tokens_->redeem(std::move(*token));
  if (!redeemed) {
    auto r = http::response::json(503, R"({"error":"the token store cannot be reached; try again shortly"})");
    r.header("Retry-After", "5");
    co_return r;
  }
  auto const& owner = *redeemed;
  if (!owner) co_return http::response::json(404, R"({"error":"unknown, used or expired token"})");
  std::string body = "{\"account\":{\"id\":" + std::to_string(owner->account_id) + ",\"username\":\"";
  append_json_escaped(body, owner->username);
  body += "\"}}";
  co_return http::response::json(200, std::move(body));
}

namespace {
void news_json(std::string& out, store::news_item const& n) {
  out += "{\"id\":" + std::to_string(n.id);
  auto const field = [&](char const* name, std::string const& value) {
    out += ",\"";
    out += name;
    out += "\":\"";
    append_json_escaped(out, value);
    out += '"';
  };
  field("author", n.author);
  field("posted", n.posted);
  field("title", n.title);
  field("summary", n.summary);
  field("category", n.category);
  field("image_url", n.image_url);
  out += '}';
}
}  // namespace

boost::asio::awaitable<http::response> launcher_service::news(http::request req) {
  std::optional<std::int64_t> id;
  if (auto p = req.param("id"); !p.empty()) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
    if (ec != std::errc{} || ptr != p.data() + p.size())
      co_return http::response::json(404, R"({"error":"Not Found"})");
    id = v;
  }
  auto items = co_await read_news();
  if (!items) co_return http::response::json(503, R"({"error":"news are unavailable"})");
  std::string body = "[";
  bool any = false;
  for (auto const& n : *items) {
    if (id && n.id != *id) continue;
    if (any) body += ',';
    any = true;
    news_json(body, n);
  }
  body += ']';
  if (id && !any) co_return http::response::json(404, R"({"error":"Not Found"})");
  co_return http::response::json(200, std::move(body));  // always an array, even for one id
}

boost::asio::awaitable<result<std::vector<store::news_item>>> launcher_service::read_news() {
  std::function<result<std::vector<store::news_item>>()> read = [this] { return store_->news(); };
  return read_through(std::move(read), &last_news_);
}

boost::asio::awaitable<http::response> launcher_service::version(http::request) {
  std::function<result<std::string>()> read = [this] { return store_->launcher_version(); };
  auto v = co_await read_through(std::move(read), &last_version_);
  if (!v) co_return http::response::json(503, R"({"error":"version is unavailable"})");
  std::string body = "{\"version\":\"";
  append_json_escaped(body, *v);
  co_return http::response::json(200, body + "\"}");
}

bool launcher_service::verify_timed(std::string_view hash, std::string_view password) {
  auto const start = std::chrono::steady_clock::now();
  bool const ok = verify_password(hash, password);
  hashing_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return ok;
}

void launcher_service::expose(metrics_registry& metrics) {
  std::weak_ptr<launcher_service> weak = weak_from_this();
  metrics.add([weak](std::string& out) {
    auto self = weak.lock();
    if (!self) return;
    render_help(
        out, "overworld_launcher_hash_seconds", "histogram",
        "Time of one argon2id verification on a hashing thread (unknown accounts and TTR two-step codes included)");
    self->hashing_.render(out, "overworld_launcher_hash_seconds", "");
    render_help(out, "overworld_launcher_logins_busy_total", "counter",
                "Password logins answered 503 because the hashing queue (launcher.hashing_queue) was full");
    render_sample(out, "overworld_launcher_logins_busy_total", "", self->busy_.value());
  });
}

void launcher_service::join() {
  pool_.join();
  store_calls_.join();
}

void launcher_service::install(http::router& routes) {
  http::route_options login_opts;
  login_opts.group = "ttcc";
  login_opts.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{4} * 1024, std::chrono::seconds{10}};
  auto const login_handler = http::async_handler{[this](http::request req) { return login(req); }};
  routes.post("/api/v1/login/", login_handler, login_opts);
  routes.post("/api/v1/login/{username}", login_handler, login_opts);
  // Legacy: the password in the URL (docs/security.md). No body; answered as the POST is.
  http::route_options legacy_opts = login_opts;
  legacy_opts.limits->body_limit = 0;
  routes.get("/api/v1/login/{username}", http::async_handler{[this](http::request req) { return legacy_login(req); }},
             legacy_opts);

  http::route_options get_opts;
  get_opts.group = "ttcc";
  get_opts.limits = routes.default_limits();
  get_opts.limits->body_limit = 0;
  auto const news_handler = http::async_handler{[this](http::request req) { return news(req); }};
  routes.get("/api/v1/launcher/news/", news_handler, get_opts);
  routes.get("/api/v1/launcher/news", news_handler, get_opts);
  routes.get("/api/v1/launcher/news/{id}", news_handler, get_opts);
  routes.get("/api/v1/launcher/version/", http::async_handler{[this](http::request req) { return version(req); }},
             get_opts);

  http::route_options internal;
  internal.group = "internal";
  internal.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{4} * 1024, std::chrono::seconds{10}};
  routes.post("/internal/v1/tokens/redeem",
              http::async_handler{[this](http::request req) { return redeem(std::move(req)); }}, internal);
  install_ttr(routes);
  install_launcher_v1(routes);
  // TTCC's own JSON shape for errors the HTTP layer makes under its API.
  routes.set_error_format("/api/v1/", [](unsigned status, std::string_view message) {
    return http::response::json(status, login_body(false, static_cast<int>(status), message, ""));
  });
}

}  // namespace overworld::launcher
