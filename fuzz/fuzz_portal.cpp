// The developer portal's bodies, cookies and content types, and the sandbox admin API's bodies,
// paths and numbers, as a hostile browser or operator script sends them: every answer is JSON in
// the API's format, and the sandbox's key limit holds.
#include "support.hpp"

#include <overworld/server/sandbox/admin.hpp>
#include <overworld/server/sandbox/portal.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>

namespace {

using namespace overworld;

struct world {
  sandbox::sandbox_service service{std::make_shared<sandbox::dataset>(), sandbox::sandbox_options{}};
  std::unique_ptr<sandbox::developer_portal> portal;
  std::unique_ptr<sandbox::sandbox_admin> admin;
  http::router routes;

  world() {
    sandbox::portal_options o;
    o.accounts["dev@example.com"] = "right";
    o.login_limit.limit = 1'000'000'000;  // the fuzzer logs in often; the limit has its own tests
    portal = std::make_unique<sandbox::developer_portal>(service.keys(), o);
    portal->install(routes);
    admin = std::make_unique<sandbox::sandbox_admin>(service, "admin-key");
    admin->install(routes);
    service.install(routes);
    log_in();
  }
  /// One session the inputs can use: "session=00" in an input stands for it (made again after a
  /// logout).
  void log_in() {
    auto const login = fuzzing::dispatch(
        routes,
        "POST /api/login\nContent-Type: application/json\n\n{\"email\":\"dev@example.com\",\"password\":\"right\"}");
    auto const cookie = login ? login->get_header("Set-Cookie") : std::nullopt;
    if (!cookie) std::abort();
    session = cookie->substr(0, cookie->find(';'));
  }
  std::string session;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static world w;
  std::string bytes{reinterpret_cast<char const*>(data), size};
  for (auto at = bytes.find("session=00"); at != std::string::npos; at = bytes.find("session=00", at + 1)) {
    bytes.replace(at, 10, w.session);
  }
  if (auto answer = fuzzing::dispatch(w.routes, bytes)) fuzzing::check_json_answer(*answer);
  if (bytes.find("/api/logout") != std::string::npos) w.log_in();
  // Every developer stays within the portal's key limit (10), whatever was sent.
  std::map<std::string, std::size_t> per_developer;
  for (auto const& k : w.service.keys().list()) {
    if (!k.developer_id.empty() && ++per_developer[k.developer_id] > 10) __builtin_trap();
  }
  return 0;
}
