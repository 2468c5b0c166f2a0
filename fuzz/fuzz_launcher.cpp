// The launcher's outside bytes: login bodies (JSON and form, any content type); TTR login fields
// (form and query), launcher-v1 registrations and Bearer headers; and the admin API's requests
// (paths, names, numbers, news, release notes, tokens, two-step) against a real SQLite file. Every admin answer is
// JSON; a refused call changes nothing; no ban ends before it began and no points go negative.
#include "support.hpp"

#include <overworld/server/common/secrets.hpp>
#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <overworld/core/text.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using namespace overworld;

struct launcher_world {
  std::string dir;
  std::shared_ptr<store::launcher_store> db;
  std::unique_ptr<launcher::admin_api> api;
  http::router routes;

  launcher_world() {
    char folder[] = "/tmp/overworld-fuzz-launcher.XXXXXX";
    if (!::mkdtemp(folder)) std::abort();
    dir = folder;
    std::string why;
    auto opened = store::open_sqlite_launcher_store(std::string{folder} + "/launcher.sqlite", why);
    if (!opened) std::abort();
    db = std::move(*opened);
    (void)db->create_account("demo", "not-a-hash");
    api = std::make_unique<launcher::admin_api>(db, launcher::password_policy{8192, 1}, "k",
                                                std::string{folder} + "/manifest-rebuild");
    // The admin routes, answered on this thread by apply() instead of the pool.
    for (char const* verb_path : {"password", "points", "ban", "unban", "terminate"}) {
      routes.post(std::string{"/admin/v1/accounts/{name}/"} + verb_path, sync());
    }
    routes.post("/admin/v1/accounts", sync());
    routes.add(http::verb::put, "/admin/v1/maintenance", sync());
    routes.add(http::verb::put, "/admin/v1/version", sync());
    routes.post("/admin/v1/news", sync());
    routes.add(http::verb::put, "/admin/v1/news/{id}", sync());
    routes.add(http::verb::delete_, "/admin/v1/news/{id}", sync());
    routes.get("/admin/v1/news", sync());
    routes.get("/admin/v1/releasenotes", sync());
    routes.post("/admin/v1/releasenotes", sync());
    routes.add(http::verb::put, "/admin/v1/releasenotes/{id}", sync());
    routes.add(http::verb::delete_, "/admin/v1/releasenotes/{id}", sync());
    routes.post("/admin/v1/accounts/{name}/two-step", sync());
    routes.add(http::verb::delete_, "/admin/v1/accounts/{name}/two-step", sync());
    routes.get("/admin/v1/launcher-tokens", sync());
    routes.add(http::verb::delete_, "/admin/v1/launcher-tokens/{id}", sync());
  }
  ~launcher_world() {
    api.reset();
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  http::sync_handler sync() {
    return [this](http::request const& r) { return api->apply(r); };
  }
};

void login_body(std::string_view bytes) {
  auto const type = fuzzing::next_line(bytes);
  http::header_field const header{"Content-Type", type};
  http::request req;
  req.method = http::verb::post;
  req.path = "/api/v1/login/";
  req.headers = std::span{&header, 1};
  req.body = bytes;
  std::string why;
  auto c = launcher::read_credentials(req, why);
  if (c && (c->username.empty() || c->password.empty())) __builtin_trap();
  if (!c && why.empty()) __builtin_trap();
}

// A whole request (fuzzing::read_request) read as TTR's login, as a launcher-v1 registration and
// for its Bearer token; every refusal says why, every acceptance is complete and within bounds.
void login_surface(std::string_view bytes) {
  http::request req;
  std::vector<http::header_field> headers;
  if (!fuzzing::read_request(bytes, req, headers)) return;
  std::string why;
  if (auto f = launcher::read_ttr_login(req, why)) {
    bool const complete = !f->queue_token.empty() || (!f->app_token.empty() && !f->auth_token.empty()) ||
                          (!f->username.empty() && !f->password.empty());
    if (!complete) __builtin_trap();
    for (auto const* field : {&f->username, &f->password, &f->app_token, &f->auth_token, &f->queue_token}) {
      if (field->size() > 1024) __builtin_trap();
    }
  } else if (why.empty()) {
    __builtin_trap();
  }
  why.clear();
  if (auto r = launcher::read_registration(req, why)) {
    if (r->login.username.empty() || r->login.password.empty()) __builtin_trap();
    if (check_name(r->friendly, 64) != name_problem::ok) __builtin_trap();
  } else if (why.empty()) {
    __builtin_trap();
  }
  auto const token = server::bearer_token(req);
  if (!token.empty() && req.header("Authorization").value_or("").size() != token.size() + 7) __builtin_trap();
  (void)launcher::ttr_date(req.body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static launcher_world w;
  if (size == 0) return 0;
  std::string_view const bytes{reinterpret_cast<char const*>(data) + 1, size - 1};
  if (data[0] % 8 == 4) {
    login_surface(bytes);
    return 0;
  }
  if (data[0] % 2 == 0) {
    login_body(bytes);
    return 0;
  }
  auto const before = w.db->find_account("demo");
  auto answer = fuzzing::dispatch(w.routes, bytes);
  if (!answer) return 0;
  fuzzing::check_json_answer(*answer);
  auto const after = w.db->find_account("demo");
  if (!after) return 0;  // renamed away is not possible, but a damaged fuzz folder is not a finding
  if (after->banned_until < 0 || after->moderation_points < 0) __builtin_trap();
  if (answer->status >= 400 && before &&
      (before->banned_until != after->banned_until || before->moderation_points != after->moderation_points)) {
    __builtin_trap();  // a refused call changed the account
  }
  return 0;
}
