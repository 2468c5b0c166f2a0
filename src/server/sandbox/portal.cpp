#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/common/secrets.hpp>
#include <overworld/server/sandbox/portal.hpp>

#include <overworld/core/text.hpp>

#include <openssl/rand.h>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace overworld::sandbox {

namespace json = boost::json;

namespace {

json::object status_ok() { return {{"code", 0}, {"message", "ok"}, {"detail", nullptr}}; }

http::response portal_json(unsigned status, json::object const& body) {
  auto r = http::response::json(status, json::serialize(body));
  r.content_type = "application/json;charset=UTF-8";
  r.header("Cache-Control", "no-store");
  return r;
}

http::response portal_error(unsigned status, std::string_view message, std::string_view description = {}) {
  json::object body{{"status", json::object{{"code", status}, {"message", message}, {"detail", nullptr}}}};
  if (!description.empty()) body["description"] = description;
  return portal_json(status, body);
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("no randomness for a portal session");
  }
  std::string out;
  for (unsigned char b : raw) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

/// A stable developer id per e-mail, shaped like the portal's UUIDs.
std::string developer_id_of(std::string const& email) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : email) h = (h ^ c) * 1099511628211ULL;
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(h >> 32),
                static_cast<unsigned>((h >> 16) & 0xffff), static_cast<unsigned>(h & 0xffff),
                static_cast<unsigned>((h >> 48) & 0xffff), static_cast<unsigned long long>(h & 0xffffffffffffULL));
  return text;
}

json::object key_json(api_key const& k) {
  json::array cidrs;
  for (auto const& c : k.cidrs) cidrs.emplace_back(c);
  return {{"id", k.id},
          {"developerId", k.developer_id},
          {"tier", "developer/silver"},
          {"name", k.name},
          {"description", k.description},
          {"origins", nullptr},
          {"scopes", json::array{"clash"}},
          {"cidrRanges", std::move(cidrs)},
          {"validUntil", nullptr},
          {"key", k.key}};
}

/// A JSON body: the media type must be application/json, so that a cross-site HTML form (which
/// can only send text/plain, form or multipart bodies without a preflight) cannot call the portal.
bool json_content_type(http::request const& req) {
  auto const type = req.header("Content-Type");
  if (!type) return false;
  auto media = type->substr(0, type->find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  return boost::algorithm::iequals(media, "application/json");
}

/// The value of cookie `name` in a Cookie header (RFC 6265 5.4: "a=1; b=2"), matched exactly.
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto const end = header.find(';');
    auto pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    auto const eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    auto value = pair.substr(eq + 1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
  }
  return std::nullopt;
}

constexpr std::size_t max_email = 254;
constexpr std::size_t max_key_name = 128;
constexpr std::size_t max_key_description = 1024;
constexpr std::size_t max_cidrs = 16;

std::optional<json::object> body_object(http::request const& req) {
  boost::system::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

std::vector<config_key> portal_config_keys() {
  return {
      {"sandbox.portal_session", "1h", "how long a developer-portal session lasts"},
      {"sandbox.portal_max_sessions", "10", "sessions per portal account; a login beyond ends the oldest"},
      {"sandbox.portal_login_attempts", "30", "portal logins per e-mail address in portal_login_window"},
      {"sandbox.portal_login_window", "5m", "window of the portal's login limit (then 429, growing blocks)"},
      {"sandbox.portal_max_tracked", "100000", "e-mail addresses the portal's login limit remembers at most"},
      {"sandbox.portal_secure_cookie", "false", "Secure on the session cookie even without X-Forwarded-Proto"},
  };
}

result<portal_options> portal_options_from(config const& cfg, std::string& why) {
  portal_options o;
  o.accounts = cfg.get_table("sandbox.portal_accounts");
  auto session = cfg.get_duration("sandbox.portal_session");
  auto sessions = cfg.get_int("sandbox.portal_max_sessions");
  auto attempts = cfg.get_int("sandbox.portal_login_attempts");
  auto window = cfg.get_duration("sandbox.portal_login_window");
  auto tracked = cfg.get_int("sandbox.portal_max_tracked");
  auto secure = cfg.get_bool("sandbox.portal_secure_cookie");
  if (!session || session->count() < 1000) return why = "sandbox.portal_session: at least 1s", errc::bad_config;
  if (!sessions || *sessions < 1 || *sessions > 1000)
    return why = "sandbox.portal_max_sessions: 1 to 1000", errc::bad_config;
  if (!attempts || *attempts < 1 || !window || window->count() <= 0)
    return why = "sandbox.portal_login_attempts / portal_login_window", errc::bad_config;
  if (!tracked || *tracked < 16 || *tracked > 100'000'000)
    return why = "sandbox.portal_max_tracked: 16 to 100000000", errc::bad_config;
  if (!secure) return why = "sandbox.portal_secure_cookie: expected true or false", errc::bad_config;
  o.session = std::chrono::duration_cast<std::chrono::seconds>(*session);
  o.max_sessions = static_cast<std::size_t>(*sessions);
  o.login_limit.limit = static_cast<std::size_t>(*attempts);
  o.login_limit.window = *window;
  o.login_limit.max_tracked = static_cast<std::size_t>(*tracked);
  o.secure_cookie = *secure;
  return o;
}

developer_portal::developer_portal(key_registry& keys, portal_options options, clock const& time)
    : keys_(std::make_shared<local_portal_keys>(keys)),
      options_(std::move(options)),
      clock_(time),
      logins_(std::make_shared<server::local_limiter>(options_.login_limit, time)) {
  auto local = std::make_shared<local_portal_sessions>(options_.session, options_.max_sessions, time);
  local_sessions_ = local.get();
  sessions_ = std::move(local);
}

void developer_portal::share_sessions(std::shared_ptr<portal_sessions> shared) {
  local_sessions_ = nullptr;
  sessions_ = std::move(shared);
}

void developer_portal::share_login_limiter(std::shared_ptr<server::limiter> shared) { logins_ = std::move(shared); }

std::size_t developer_portal::sessions() const { return local_sessions_ ? local_sessions_->size() : 0; }

namespace {

/// The answer when a shared store (sessions, login limit, keys) cannot be reached: never a pass.
http::response portal_unavailable() {
  auto const seconds = std::to_string(server::unavailable_retry_after);
  auto r = portal_error(503, "Service Unavailable", "Try again in " + seconds + " seconds.");
  r.header("Retry-After", seconds);
  return r;
}

/// The session token of the request's cookie; empty without one.
std::string session_token(http::request const& req) {
  auto const cookie = req.header("Cookie");
  if (!cookie) return {};
  auto const value = cookie_value(*cookie, "session");
  return value ? std::string{*value} : std::string{};
}

}  // namespace

boost::asio::awaitable<result<std::optional<portal_session>>> developer_portal::session_of(http::request req) {
  std::string token = session_token(req);
  if (token.empty()) co_return std::optional<portal_session>{};
  co_return co_await sessions_->find(std::move(token));
}

developer_portal::reply developer_portal::login(http::request req) {
  if (!json_content_type(req)) co_return portal_error(415, "Unsupported Media Type", "send application/json");
  auto body = body_object(req);
  if (!body) co_return portal_error(400, "Bad Request");
  auto const* email = body->if_contains("email");
  auto const* password = body->if_contains("password");
  if (!email || !password || !email->is_string() || !password->is_string()) co_return portal_error(400, "Bad Request");
  if (check_name(email->get_string(), max_email) != name_problem::ok) {
    co_return portal_error(400, "Bad Request", "email is not a valid address");
  }
  // Per e-mail address, whoever asks, before the password is compared: guessing is slow from
  // any number of addresses, and from any number of nodes.
  std::string limited = ascii_lower(email->get_string());
  auto const limit = co_await logins_->check(std::move(limited));
  if (!limit) co_return portal_unavailable();
  if (!limit->allowed) {
    auto const seconds = server::retry_after_seconds(*limit);
    auto r = portal_error(429, "Too Many Requests",
                          "Too many logins. Try again in " + std::to_string(seconds) + " seconds.");
    r.header("Retry-After", std::to_string(seconds));
    co_return r;
  }
  auto it = options_.accounts.find(std::string{email->get_string()});
  std::string_view const given = password->get_string();
  bool const ok = it != options_.accounts.end() && server::same_secret(given, it->second);
  if (!ok) co_return portal_error(403, "Forbidden", "Invalid credentials");
  std::string const developer = developer_id_of(it->first);
  std::string const token = random_hex(24);
  if (auto opened = co_await sessions_->open(token, developer); !opened) co_return portal_unavailable();
  std::string const ip{req.client_address};
  json::object out{
      {"status", status_ok()},
      {"sessionExpiresInSeconds", options_.session.count()},
      {"developer", json::object{{"id", developer},
                                 {"name", it->first},
                                 {"game", "clash"},
                                 {"email", it->first},
                                 {"tier", "developer/silver"},
                                 {"allowedScopes", nullptr},
                                 {"maxCidrs", nullptr},
                                 {"prevLoginTs", nullptr},
                                 {"prevLoginIp", nullptr},
                                 {"prevLoginUa", nullptr}}},
      // Clients read their public address from limits[].cidrs of this token.
      {"temporaryAPIToken", mint_key(developer, {ip + "/32"})},
      {"swaggerUrl", "https://api.clashofclans.com/api-docs/"},
  };
  auto r = portal_json(200, out);
  // A trusted proxy replaced the client address; only then is its X-Forwarded-Proto believed.
  bool const behind_proxy = req.client_address != req.peer_address;
  bool const https = behind_proxy && boost::algorithm::iequals(req.header("X-Forwarded-Proto").value_or(""), "https");
  r.header("Set-Cookie", "session=" + token + "; Path=/; Max-Age=" + std::to_string(options_.session.count()) +
                             "; HttpOnly; SameSite=Strict" + (https || options_.secure_cookie ? "; Secure" : ""));
  co_return r;
}

developer_portal::reply developer_portal::logout(http::request req) {
  if (!json_content_type(req)) co_return portal_error(415, "Unsupported Media Type", "send application/json");
  std::string token = session_token(req);
  if (!token.empty()) {
    if (auto ended = co_await sessions_->end(std::move(token)); !ended) co_return portal_unavailable();
  }
  auto r = portal_json(200, {{"status", status_ok()}});
  r.header("Set-Cookie", "session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  co_return r;
}

developer_portal::reply developer_portal::list(http::request req) {
  if (!json_content_type(req)) co_return portal_error(415, "Unsupported Media Type", "send application/json");
  auto dev = co_await session_of(req);
  if (!dev) co_return portal_unavailable();
  if (!*dev) co_return portal_error(403, "Forbidden");
  auto held = co_await keys_->list((*dev)->developer_id);
  if (!held) co_return portal_unavailable();
  json::array keys;
  for (auto const& k : *held) keys.push_back(key_json(k));
  co_return portal_json(
      200, {{"status", status_ok()}, {"sessionExpiresInSeconds", (*dev)->left.count()}, {"keys", std::move(keys)}});
}

developer_portal::reply developer_portal::create(http::request req) {
  if (!json_content_type(req)) co_return portal_error(415, "Unsupported Media Type", "send application/json");
  auto dev = co_await session_of(req);
  if (!dev) co_return portal_unavailable();
  if (!*dev) co_return portal_error(403, "Forbidden");
  auto body = body_object(req);
  if (!body) co_return portal_error(400, "Bad Request");
  api_key k;
  k.developer_id = (*dev)->developer_id;
  if (auto const* n = body->if_contains("name"); n && n->is_string()) k.name = n->get_string();
  if (auto const* d = body->if_contains("description"); d && d->is_string()) k.description = d->get_string();
  if (auto const* c = body->if_contains("cidrRanges"); c && c->is_array()) {
    for (auto const& v : c->get_array()) {
      if (!v.is_string()) co_return portal_error(400, "Bad Request", "cidrRanges must be strings");
      k.cidrs.emplace_back(v.get_string());
    }
  }
  if (k.name.empty() || k.cidrs.empty()) co_return portal_error(400, "Bad Request", "name and cidrRanges are required");
  if (check_name(k.name, max_key_name) != name_problem::ok) {
    co_return portal_error(400, "Bad Request", "name " + describe(check_name(k.name, max_key_name), max_key_name));
  }
  if (!k.description.empty() && check_text(k.description, max_key_description) != name_problem::ok) {
    co_return portal_error(
        400, "Bad Request",
        "description " + describe(check_text(k.description, max_key_description), max_key_description));
  }
  if (k.cidrs.size() > max_cidrs) {
    co_return portal_error(400, "Bad Request", "at most " + std::to_string(max_cidrs) + " cidrRanges");
  }
  {
    std::lock_guard lock{mutex_};
    // Random enough to be unique across the nodes sharing keys.
    k.id = "sandbox-" + std::to_string(++next_key_) + "-" + random_hex(8);
  }
  k.key = mint_key(k.developer_id, k.cidrs);
  k.created = unix_millis(clock_.now());
  auto const made = key_json(k);
  auto added = co_await keys_->create(std::move(k), options_.max_keys);
  if (!added && added.error() == errc::bad_config) co_return portal_error(400, "Bad Request", "Invalid CIDR range");
  if (!added) co_return portal_unavailable();
  if (!*added) co_return portal_error(400, "Bad Request", "Maximum number of keys reached");
  co_return portal_json(200,
                        {{"status", status_ok()}, {"sessionExpiresInSeconds", (*dev)->left.count()}, {"key", made}});
}

developer_portal::reply developer_portal::revoke(http::request req) {
  if (!json_content_type(req)) co_return portal_error(415, "Unsupported Media Type", "send application/json");
  auto dev = co_await session_of(req);
  if (!dev) co_return portal_unavailable();
  if (!*dev) co_return portal_error(403, "Forbidden");
  auto body = body_object(req);
  auto const* id = body ? body->if_contains("id") : nullptr;
  if (!id || !id->is_string()) co_return portal_error(400, "Bad Request");
  // Only the developer's own keys.
  auto revoked = co_await keys_->revoke((*dev)->developer_id, std::string{id->get_string()});
  if (!revoked) co_return portal_unavailable();
  if (!*revoked) co_return portal_error(404, "Not Found");
  co_return portal_json(200, {{"status", status_ok()}, {"sessionExpiresInSeconds", (*dev)->left.count()}});
}

void developer_portal::install(http::router& routes) {
  http::route_options o;
  o.group = "portal";
  o.limits = routes.default_limits();
  o.limits->body_limit = std::uint64_t{16} * 1024;
  using member = reply (developer_portal::*)(http::request);
  for (auto const& [path, fn] : {std::pair<char const*, member>{"/api/login", &developer_portal::login},
                                 {"/api/logout", &developer_portal::logout},
                                 {"/api/apikey/list", &developer_portal::list},
                                 {"/api/apikey/create", &developer_portal::create},
                                 {"/api/apikey/revoke", &developer_portal::revoke}}) {
    routes.post(path, http::async_handler{[this, f = fn](http::request r) { return (this->*f)(std::move(r)); }}, o);
  }
}

}  // namespace overworld::sandbox
