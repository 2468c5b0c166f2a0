// The admin API's calls on TTR's release notes, the news list, TTCC launcher tokens and two-step
// logins: the same checks and answers as admin_api.cpp.
#include <overworld/server/launcher/admin_api.hpp>
#include "admin_detail.hpp"

namespace overworld::launcher {

using namespace admin_detail;

namespace {

constexpr std::size_t max_slug = 128;

json::object news_object(store::news_item const& n) {
  return {{"id", n.id},           {"author", n.author},     {"posted", n.posted},       {"title", n.title},
          {"summary", n.summary}, {"category", n.category}, {"image_url", n.image_url}, {"body", n.body}};
}

json::object note_object(store::release_note const& n) {
  return {{"id", n.id}, {"slug", n.slug}, {"posted", n.posted}, {"body", n.body}};
}

json::object token_object(store::launcher_token const& t) {
  return {{"id", t.id}, {"account", t.username}, {"friendly", t.friendly}, {"created", t.created}};
}

template <class T, class F>
http::response listed(result<std::vector<T>> const& items, char const* name, F to_object) {
  if (!items) return store_failure(items.error());
  json::array out;
  for (auto const& item : *items) out.push_back(to_object(item));
  json::object body;
  body[name] = std::move(out);
  return reply(200, body);
}

http::response gone(result<void> const& r, std::string_view what) {
  if (!r && r.error() == errc::not_found) return fail(404, "no such " + std::string{what});
  return from(r);
}

}  // namespace

std::optional<http::response> admin_api::apply_content(http::request const& req, json::object const& body) {
  admin_fields f{body};
  auto const path = req.path;
  auto& db = *db_;
  bool const get = req.method == http::verb::get;
  bool const remove = req.method == http::verb::delete_;

  if (path.ends_with("/two-step")) {
    std::string const name{req.param("name")};
    if (remove) return from(db.set_two_step(name, ""));
    auto const code = f.text("app_token", 256, true);
    if (!f.problem.empty()) return fail(400, f.problem);
    if (code.size() < 6) return fail(400, "app_token must be 6 to 256 bytes");
    return from(set_two_step(db, policy_, name, code));
  }
  if (path == "/admin/v1/news" && get) return listed(db.news(), "news", news_object);
  if (path == "/admin/v1/releasenotes") {
    if (get) return listed(db.release_notes(), "release_notes", note_object);
    store::release_note n{0, f.text("slug", max_slug, true), news_timestamp(), f.text("body", max_admin_html, true)};
    if (!f.problem.empty()) return fail(400, f.problem);
    auto id = db.post_release_note(n);
    if (!id) return store_failure(id.error());
    return reply(201, {{"id", *id}});
  }
  if (path.starts_with("/admin/v1/releasenotes/")) {
    auto const id = parse_admin_number(req.param("id"), news_id);
    if (!id) return fail(400, admin_number_problem(news_id));
    if (remove) return gone(db.delete_release_note(*id), "release note");
    auto all = db.release_notes();
    if (!all) return store_failure(all.error());
    for (auto n : *all) {
      if (n.id != *id) continue;
      if (f.has("slug")) n.slug = f.text("slug", max_slug, true);
      if (f.has("body")) n.body = f.text("body", max_admin_html, true);
      if (!f.problem.empty()) return fail(400, f.problem);
      return gone(db.edit_release_note(n), "release note");
    }
    return fail(404, "no such release note");
  }
  if (path == "/admin/v1/launcher-tokens") {
    auto const account = req.query_param("account").value_or("");
    if (!account.empty()) {
      if (auto problem = admin_text_problem("account", account, max_name); !problem.empty()) return fail(400, problem);
    }
    return listed(db.launcher_tokens(account), "tokens", token_object);
  }
  if (path.starts_with("/admin/v1/launcher-tokens/")) {
    auto const id = parse_admin_number(req.param("id"), news_id);
    if (!id) return fail(400, admin_number_problem(news_id));
    return gone(db.revoke_launcher_token(*id), "launcher token");
  }
  return std::nullopt;
}

}  // namespace overworld::launcher
