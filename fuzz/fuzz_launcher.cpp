// The launcher's outside bytes: login bodies (JSON and form, any content type) and the admin API's
// requests (paths, names, numbers, news fields) against a real SQLite file. Every admin answer is
// JSON; a refused call changes nothing; no ban ends before it began and no points go negative.
#include "support.hpp"

#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static launcher_world w;
  if (size == 0) return 0;
  std::string_view const bytes{reinterpret_cast<char const*>(data) + 1, size - 1};
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
