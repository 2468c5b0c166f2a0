#include <overworld/server/common/secrets.hpp>
#include <overworld/server/launcher/admin_api.hpp>
#include "admin_detail.hpp"

#include <overworld/core/text.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <ctime>
#include <fstream>
#include <tuple>

namespace overworld::launcher {

using namespace admin_detail;

result<std::int64_t> create_account(store::launcher_store& db, password_policy const& policy, std::string_view name,
                                    std::string_view password) {
  if (check_name(name, 64) != name_problem::ok || password.empty()) return errc::invalid_argument;
  auto hash = hash_password(password, policy);
  if (!hash) return hash.error();
  return db.create_account(name, *hash);
}

result<void> change_password(store::launcher_store& db, password_policy const& policy, std::string_view name,
                             std::string_view password) {
  if (password.empty()) return errc::invalid_argument;
  auto hash = hash_password(password, policy);
  if (!hash) return hash.error();
  if (auto set = db.set_password_hash(name, *hash); !set) return set;
  // A new password ends every launcher's registration: whoever knew the old one registered them.
  auto tokens = db.launcher_tokens(name);
  if (!tokens) return tokens.error();
  for (auto const& t : *tokens) {
    if (auto revoked = db.revoke_launcher_token(t.id); !revoked && revoked.error() != errc::not_found) return revoked;
  }
  return {};
}

result<void> set_two_step(store::launcher_store& db, password_policy const& policy, std::string_view name,
                          std::string_view app_token) {
  if (app_token.empty()) return db.set_two_step(name, "");
  if (app_token.size() < 6 || app_token.size() > 256 || check_name(app_token, 256) != name_problem::ok)
    return errc::invalid_argument;
  auto hash = hash_password(app_token, policy);
  if (!hash) return hash.error();
  return db.set_two_step(name, *hash);
}

admin_api::admin_api(std::shared_ptr<store::launcher_store> db, password_policy policy, std::string key,
                     std::filesystem::path rebuild_trigger)
    : db_(std::move(db)), policy_(policy), key_(std::move(key)), rebuild_trigger_(std::move(rebuild_trigger)) {}

std::string admin_number_problem(admin_number const& range) {
  return std::string{range.field} + " must be a whole number from " + std::to_string(range.min) + " to " +
         std::to_string(range.max);
}

result<std::int64_t> parse_admin_number(std::string_view text, admin_number const& range) {
  std::int64_t n = 0;
  auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < range.min || n > range.max) {
    return errc::invalid_argument;
  }
  return n;
}

std::string admin_text_problem(std::string_view field, std::string_view text, std::size_t max_bytes) {
  auto const problem =
      field == "summary" || field == "body" ? check_text(text, max_bytes) : check_name(text, max_bytes);
  return problem == name_problem::ok ? std::string{} : std::string{field} + " " + describe(problem, max_bytes);
}

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
  admin_fields f{body};
  std::string const name{req.param("name")};
  if (req.path.starts_with("/admin/v1/accounts/")) {
    if (auto problem = admin_text_problem("name", name, max_name); !problem.empty()) return fail(400, problem);
  }
  auto const path = req.path;
  auto& db = *db_;

  if (path == "/admin/v1/accounts" && req.method == http::verb::post) {
    auto const new_name = f.text("name", max_name, true);
    auto const password = f.text("password", max_password, true);
    if (!f.problem.empty()) return fail(400, f.problem);
    auto id = create_account(db, policy_, new_name, password);
    if (!id) return id.error() == errc::invalid_argument ? fail(409, "name taken") : store_failure(id.error());
    return reply(201, {{"id", *id}});
  }
  if (path.ends_with("/password")) {
    auto const password = f.text("password", max_password, true);
    if (!f.problem.empty()) return fail(400, f.problem);
    return from(change_password(db, policy_, name, password));
  }
  if (path.ends_with("/points")) {
    auto const n = f.number(points_change);
    if (!f.problem.empty()) return fail(400, f.problem);
    auto total = db.add_moderation_points(name, n);
    if (!total) return total.error() == errc::not_found ? fail(404, "no such account") : store_failure(total.error());
    return reply(200, {{"moderation_points", *total}});
  }
  if (path.ends_with("/ban")) {
    auto const hours = f.number(ban_hours);
    if (!f.problem.empty()) return fail(400, f.problem);
    auto const until = std::time(nullptr) + hours * 3600;
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
    auto v = f.text("version", max_name, true);
    if (!f.problem.empty()) return fail(400, f.problem);
    return from(db.set_launcher_version(v));
  }
  if (path == "/admin/v1/manifest/rebuild") {
    std::ofstream trigger{rebuild_trigger_};
    return trigger ? reply(202, {{"ok", true}}) : fail(500, "cannot request a rebuild");
  }
  if (path == "/admin/v1/news" && req.method == http::verb::post) {
    store::news_item n{0,
                       f.text("author", max_name, false),
                       news_timestamp(),
                       f.text("title", max_title, true),
                       f.text("summary", max_admin_text, true),
                       f.text("category", max_name, false),
                       f.text("image_url", max_admin_text, false),
                       f.text("body", max_admin_html, false)};
    if (!f.problem.empty()) return fail(400, f.problem);
    if (n.author.empty()) n.author = "The Team";
    if (n.category.empty()) n.category = "Blog";
    auto id = db.post_news(n);
    if (!id) return store_failure(id.error());
    return reply(201, {{"id", *id}});
  }
  if (auto content = apply_content(req, body)) return std::move(*content);
  if (path.starts_with("/admin/v1/news/")) {
    auto const id = parse_admin_number(req.param("id"), news_id);
    if (!id) return fail(400, admin_number_problem(news_id));
    if (req.method == http::verb::delete_) return from(db.delete_news(*id));
    auto all = db.news();
    if (!all) return store_failure(all.error());
    for (auto n : *all) {
      if (n.id != *id) continue;
      for (auto [key, field, max, required] :
           {std::tuple{"title", &n.title, max_title, true}, std::tuple{"summary", &n.summary, max_admin_text, true},
            std::tuple{"author", &n.author, max_name, true}, std::tuple{"category", &n.category, max_name, true},
            std::tuple{"image_url", &n.image_url, max_admin_text, false},
            std::tuple{"body", &n.body, max_admin_html, false}}) {
        if (f.has(key)) *field = f.text(key, max, required);
      }
      if (!f.problem.empty()) return fail(400, f.problem);
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
  o.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{64} * 1024, std::chrono::seconds{10}};
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
  routes.get("/admin/v1/news", h, o);
  routes.get("/admin/v1/releasenotes", h, o);
  routes.post("/admin/v1/releasenotes", h, o);
  routes.add(http::verb::put, "/admin/v1/releasenotes/{id}", h, o);
  routes.add(http::verb::delete_, "/admin/v1/releasenotes/{id}", h, o);
  routes.post("/admin/v1/accounts/{name}/two-step", h, o);
  routes.add(http::verb::delete_, "/admin/v1/accounts/{name}/two-step", h, o);
  routes.get("/admin/v1/launcher-tokens", h, o);
  routes.add(http::verb::delete_, "/admin/v1/launcher-tokens/{id}", h, o);
}

}  // namespace overworld::launcher
