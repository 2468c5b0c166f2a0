#include <overworld/server/common/secrets.hpp>
#include <overworld/server/sandbox/portal.hpp>

#include <openssl/rand.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace overworld::sandbox {

namespace json = boost::json;

namespace {

json::object status_ok() { return {{"code", 0}, {"message", "ok"}, {"detail", nullptr}}; }

http::response portal_json(unsigned status, json::object body) {
  auto r = http::response::json(status, json::serialize(body));
  r.content_type = "application/json;charset=UTF-8";
  r.header("Cache-Control", "no-store");
  return r;
}

http::response portal_error(unsigned status, std::string_view message, std::string_view description = {}) {
  json::object body{{"status", json::object{{"code", status}, {"message", message}, {"detail", nullptr}}}};
  if (!description.empty()) body["description"] = description;
  return portal_json(status, std::move(body));
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

std::optional<json::object> body_object(http::request const& req) {
  boost::system::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace

developer_portal::developer_portal(key_registry& keys, portal_options options, clock const& time)
    : keys_(keys), options_(std::move(options)), clock_(time) {}

std::optional<std::pair<std::string, std::int64_t>> developer_portal::developer_of(http::request const& req) {
  auto const cookie = req.header("Cookie");
  if (!cookie) return std::nullopt;
  auto const at = cookie->find("session=");
  if (at == std::string_view::npos) return std::nullopt;
  auto value = cookie->substr(at + 8);
  value = value.substr(0, value.find(';'));
  std::lock_guard lock{mutex_};
  auto it = sessions_.find(value);
  if (it == sessions_.end()) return std::nullopt;
  auto const left = std::chrono::duration_cast<std::chrono::seconds>(it->second.expires - clock_.steady_now()).count();
  if (left <= 0) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return std::pair{it->second.developer_id, static_cast<std::int64_t>(left)};
}

http::response developer_portal::login(http::request const& req) {
  auto body = body_object(req);
  if (!body) return portal_error(400, "Bad Request");
  auto const* email = body->if_contains("email");
  auto const* password = body->if_contains("password");
  if (!email || !password || !email->is_string() || !password->is_string()) return portal_error(400, "Bad Request");
  auto it = options_.accounts.find(std::string{email->get_string()});
  std::string_view const given = password->get_string();
  bool const ok = it != options_.accounts.end() && server::same_secret(given, it->second);
  if (!ok) return portal_error(403, "Forbidden", "Invalid credentials");
  std::string const developer = developer_id_of(it->first);
  std::string const token = random_hex(24);
  {
    std::lock_guard lock{mutex_};
    sessions_[token] = session{developer, clock_.steady_now() + options_.session};
  }
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
  auto r = portal_json(200, std::move(out));
  r.header("Set-Cookie", "session=" + token + "; Path=/; HttpOnly");
  return r;
}

http::response developer_portal::list(http::request const& req) {
  auto dev = developer_of(req);
  if (!dev) return portal_error(403, "Forbidden");
  json::array keys;
  for (auto const& k : keys_.list(dev->first)) keys.push_back(key_json(k));
  return portal_json(200,
                     {{"status", status_ok()}, {"sessionExpiresInSeconds", dev->second}, {"keys", std::move(keys)}});
}

http::response developer_portal::create(http::request const& req) {
  auto dev = developer_of(req);
  if (!dev) return portal_error(403, "Forbidden");
  auto body = body_object(req);
  if (!body) return portal_error(400, "Bad Request");
  api_key k;
  k.developer_id = dev->first;
  if (auto const* n = body->if_contains("name"); n && n->is_string()) k.name = n->get_string();
  if (auto const* d = body->if_contains("description"); d && d->is_string()) k.description = d->get_string();
  if (auto const* c = body->if_contains("cidrRanges"); c && c->is_array()) {
    for (auto const& v : c->get_array()) {
      if (!v.is_string()) return portal_error(400, "Bad Request", "cidrRanges must be strings");
      k.cidrs.emplace_back(v.get_string());
    }
  }
  if (k.name.empty() || k.cidrs.empty()) return portal_error(400, "Bad Request", "name and cidrRanges are required");
  if (keys_.list(dev->first).size() >= options_.max_keys) {
    return portal_error(400, "Bad Request", "Maximum number of keys reached");
  }
  {
    std::lock_guard lock{mutex_};
    k.id = "sandbox-" + std::to_string(++next_key_) + "-" + random_hex(4);
  }
  k.key = mint_key(dev->first, k.cidrs);
  auto const made = key_json(k);
  if (!keys_.add(std::move(k))) return portal_error(400, "Bad Request", "Invalid CIDR range");
  return portal_json(200, {{"status", status_ok()}, {"sessionExpiresInSeconds", dev->second}, {"key", made}});
}

http::response developer_portal::revoke(http::request const& req) {
  auto dev = developer_of(req);
  if (!dev) return portal_error(403, "Forbidden");
  auto body = body_object(req);
  auto const* id = body ? body->if_contains("id") : nullptr;
  if (!id || !id->is_string()) return portal_error(400, "Bad Request");
  // Only the developer's own keys.
  bool owned = false;
  for (auto const& k : keys_.list(dev->first)) owned = owned || k.id == id->get_string();
  if (!owned || !keys_.revoke(id->get_string())) return portal_error(404, "Not Found");
  return portal_json(200, {{"status", status_ok()}, {"sessionExpiresInSeconds", dev->second}});
}

void developer_portal::install(http::router& routes) {
  http::route_options o;
  o.group = "portal";
  o.limits = routes.default_limits();
  o.limits->body_limit = 16 * 1024;
  routes.post("/api/login", http::sync_handler{[this](http::request const& r) { return login(r); }}, o);
  routes.post("/api/apikey/list", http::sync_handler{[this](http::request const& r) { return list(r); }}, o);
  routes.post("/api/apikey/create", http::sync_handler{[this](http::request const& r) { return create(r); }}, o);
  routes.post("/api/apikey/revoke", http::sync_handler{[this](http::request const& r) { return revoke(r); }}, o);
}

}  // namespace overworld::sandbox
