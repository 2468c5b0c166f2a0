#include <overworld/server/common/secrets.hpp>
#include <overworld/server/launcher/admin_api.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <ctime>
#include <fstream>

namespace overworld::launcher {

namespace json = boost::json;

result<std::int64_t> create_account(store::launcher_store& db, password_policy const& policy, std::string_view name,
                                    std::string_view password) {
  if (name.empty() || name.size() > 64 || password.empty()) return errc::invalid_argument;
  auto hash = hash_password(password, policy);
  if (!hash) return hash.error();
  return db.create_account(name, *hash);
}

result<void> change_password(store::launcher_store& db, password_policy const& policy, std::string_view name,
                             std::string_view password) {
  if (password.empty()) return errc::invalid_argument;
  auto hash = hash_password(password, policy);
  if (!hash) return hash.error();
  return db.set_password_hash(name, *hash);
}

admin_api::admin_api(std::shared_ptr<store::launcher_store> db, password_policy policy, std::string key,
                     std::filesystem::path rebuild_trigger)
    : db_(std::move(db)), policy_(policy), key_(std::move(key)), rebuild_trigger_(std::move(rebuild_trigger)) {}

namespace {

http::response reply(unsigned status, json::object body) { return http::response::json(status, json::serialize(body)); }
http::response fail(unsigned status, std::string_view message) { return reply(status, {{"error", message}}); }

http::response from(result<void> const& r, json::object ok = {{"ok", true}}) {
  if (r) return reply(200, std::move(ok));
  if (r.error() == errc::not_found) return fail(404, "no such account or article");
  if (r.error() == errc::invalid_argument) return fail(409, "already exists or invalid");
  return fail(500, r.error().message());
}

std::string text(json::object const& o, char const* key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

}  // namespace

std::string news_timestamp() {
  std::time_t const t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

http::response admin_api::apply(http::request const& req) {
  json::object body;
  if (!req.body.empty()) {
    boost::system::error_code ec;
    auto v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return fail(400, "the body must be a JSON object");
    body = std::move(v.as_object());
  }
  std::string const name{req.param("name")};
  auto const path = req.path;
  auto& db = *db_;
  auto const int_field = [&](char const* key) -> std::optional<std::int64_t> {
    auto const* v = body.if_contains(key);
    if (!v || !v->is_number()) return std::nullopt;
    boost::system::error_code ec;
    auto n = v->to_number<double>(ec);
    if (ec) return std::nullopt;
    return static_cast<std::int64_t>(n);
  };

  if (path == "/admin/v1/accounts" && req.method == http::verb::post) {
    auto id = create_account(db, policy_, text(body, "name"), text(body, "password"));
    if (!id)
      return id.error() == errc::invalid_argument ? fail(409, "name taken, or name/password missing")
                                                  : fail(500, "store error");
    return reply(201, {{"id", *id}});
  }
  if (path.ends_with("/password")) return from(change_password(db, policy_, name, text(body, "password")));
  if (path.ends_with("/points")) {
    auto n = int_field("n");
    if (!n) return fail(400, "expected {\"n\": points}");
    auto total = db.add_moderation_points(name, *n);
    if (!total) return fail(404, "no such account");
    return reply(200, {{"moderation_points", *total}});
  }
  if (path.ends_with("/ban")) {
    auto const* h = body.if_contains("hours");
    if (!h || !h->is_number() || h->to_number<double>() <= 0) return fail(400, "expected {\"hours\": N > 0}");
    auto const until = std::time(nullptr) + static_cast<std::int64_t>(h->to_number<double>() * 3600);
    return from(db.set_banned_until(name, until), {{"banned_until", until}});
  }
  if (path.ends_with("/unban")) return from(db.set_banned_until(name, 0));
  if (path.ends_with("/terminate")) return from(db.set_terminated(name, true));
  if (path == "/admin/v1/maintenance") {
    auto const* on = body.if_contains("on");
    if (!on || !on->is_bool()) return fail(400, "expected {\"on\": true|false}");
    return from(db.set_maintenance(on->as_bool()));
  }
  if (path == "/admin/v1/version") {
    auto v = text(body, "version");
    if (v.empty()) return fail(400, "expected {\"version\": \"…\"}");
    return from(db.set_launcher_version(v));
  }
  if (path == "/admin/v1/manifest/rebuild") {
    std::ofstream trigger{rebuild_trigger_};
    return trigger ? reply(202, {{"ok", true}}) : fail(500, "cannot request a rebuild");
  }
  if (path == "/admin/v1/news" && req.method == http::verb::post) {
    store::news_item n{0,
                       text(body, "author"),
                       news_timestamp(),
                       text(body, "title"),
                       text(body, "summary"),
                       text(body, "category"),
                       text(body, "image_url")};
    if (n.title.empty() || n.summary.empty()) return fail(400, "title and summary are required");
    if (n.author.empty()) n.author = "The Team";
    if (n.category.empty()) n.category = "Blog";
    auto id = db.post_news(n);
    if (!id) return fail(500, "store error");
    return reply(201, {{"id", *id}});
  }
  if (path.starts_with("/admin/v1/news/")) {
    std::int64_t id = 0;
    auto const p = req.param("id");
    if (std::from_chars(p.data(), p.data() + p.size(), id).ec != std::errc{}) return fail(404, "no such article");
    if (req.method == http::verb::delete_) return from(db.delete_news(id));
    auto all = db.news();
    if (!all) return fail(500, "store error");
    for (auto n : *all) {
      if (n.id != id) continue;
      for (auto [key, field] :
           {std::pair{"title", &n.title}, std::pair{"summary", &n.summary}, std::pair{"author", &n.author},
            std::pair{"category", &n.category}, std::pair{"image_url", &n.image_url}}) {
        if (body.if_contains(key)) *field = text(body, key);
      }
      return from(db.edit_news(n));
    }
    return fail(404, "no such article");
  }
  return fail(404, "no such admin operation");
}

boost::asio::awaitable<http::response> admin_api::handle(http::request req) {
  if (!server::bearer_matches(req, key_)) {
    http::response r = fail(401, "missing or wrong admin key");
    r.header("WWW-Authenticate", "Bearer");
    co_return r;
  }
  std::function<http::response()> work = [this, req] { return apply(req); };
  auto r = co_await pool_.run<http::response>(std::move(work));
  if (!r) co_return fail(503, "busy");
  co_return std::move(*r);
}

void admin_api::install(http::router& routes) {
  http::route_options o;
  o.limits = http::route_limits{8 * 1024, 64 * 1024, std::chrono::seconds{10}};
  auto const h = http::async_handler{[this](http::request req) { return handle(req); }};
  routes.post("/admin/v1/accounts", h, o);
  for (char const* verb_path : {"password", "points", "ban", "unban", "terminate"}) {
    routes.post(std::string{"/admin/v1/accounts/{name}/"} + verb_path, h, o);
  }
  routes.add(http::verb::put, "/admin/v1/maintenance", h, o);
  routes.add(http::verb::put, "/admin/v1/version", h, o);
  routes.post("/admin/v1/manifest/rebuild", h, o);
  routes.post("/admin/v1/news", h, o);
  routes.add(http::verb::put, "/admin/v1/news/{id}", h, o);
  routes.add(http::verb::delete_, "/admin/v1/news/{id}", h, o);
}

}  // namespace overworld::launcher
