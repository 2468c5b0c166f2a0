// The operator's API: the admin commands over HTTP, on their own listener (loopback by default)
// and behind an admin key. JSON in, JSON out; every change goes to the launcher store.
#pragma once

#include <overworld/http/router.hpp>
#include <overworld/server/launcher/passwords.hpp>
#include <overworld/store/launcher_store.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace overworld::launcher {

/// Hashes `password` and creates the account (shared by the CLI and the HTTP API).
result<std::int64_t> create_account(store::launcher_store& db, password_policy const& policy, std::string_view name,
                                    std::string_view password);
result<void> change_password(store::launcher_store& db, password_policy const& policy, std::string_view name,
                             std::string_view password);

/// Now, as news items carry it: "YYYY-MM-DD HH:MM:SS" (UTC).
std::string news_timestamp();

class admin_api {
 public:
  admin_api(std::shared_ptr<store::launcher_store> db, password_policy policy, std::string key,
            std::filesystem::path rebuild_trigger);
  void install(http::router& routes);

 private:
  boost::asio::awaitable<http::response> handle(http::request req);
  http::response apply(http::request const& req);

  std::shared_ptr<store::launcher_store> db_;
  password_policy policy_;
  std::string key_;
  std::filesystem::path rebuild_trigger_;
  hashing_pool pool_{1, 16};  // store calls and hashing stay off the io thread
};

}  // namespace overworld::launcher
