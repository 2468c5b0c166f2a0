// Key management through the developer portal (developer.clashofclans.com/api), the way coc.py's
// login() does it: API keys are bound to the caller's public IP address, so a bot that moves (a
// laptop, a cloud instance) needs keys for its new address. Given portal accounts, provision_keys
// logs in, reads the current address from the temporary token the portal hands out, reuses keys of
// the wanted name that already allow that address, revokes those of that name that do not, and
// creates the rest (at most 10 per account, the portal's limit). The client (client_options::portal)
// calls it on start and again when the API answers accessDenied.invalidIp.
#pragma once

#include <overworld/coc/errors.hpp>
#include <overworld/http/client.hpp>

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace overworld::coc {

struct developer_account {
  std::string email;
  std::string password;
};

struct portal_options {
  std::string base_url = "https://developer.clashofclans.com/api";  ///< the sandbox: http://127.0.0.1:8081/api
  std::vector<developer_account> accounts;                          ///< one or several
  unsigned keys_per_account = 1;                                    ///< 1 to 10: keys wanted from each account
  /// Keys of this name are the ones managed: reused, revoked when stale, created. Keys of other
  /// names are never touched.
  std::string key_name = "overworld";
  std::string key_description = "overworld SDK key";
  std::vector<std::string> scopes{"clash"};
};

/// A key as the portal lists it.
struct portal_key {
  std::string id;
  std::string name;
  std::string description;
  std::string key;  ///< the token sent as "Authorization: Bearer …"
  std::vector<std::string> cidr_ranges;
  std::vector<std::string> scopes;
};

/// What a provision_keys run found and did.
struct key_provision {
  std::string ip;                 ///< the public address the portal saw
  std::vector<std::string> keys;  ///< usable from that address, every account's together
  unsigned reused = 0;
  unsigned created = 0;
  unsigned revoked = 0;
};

/// One logged-in portal session (the session cookie and the temporary token).
class portal_session {
 public:
  /// POST /login. A wrong e-mail or password is error_kind::access_denied.
  static boost::asio::awaitable<api_result<portal_session>> login(http::client& http, std::string base_url,
                                                                  developer_account account);

  /// The caller's public address, from the temporary token's limits[].cidrs ("1.2.3.4/32" → "1.2.3.4").
  std::string const& ip() const noexcept { return ip_; }
  std::string const& developer_id() const noexcept { return developer_id_; }

  /// POST /apikey/list, /apikey/create, /apikey/revoke.
  boost::asio::awaitable<api_result<std::vector<portal_key>>> list(http::client& http) const;
  boost::asio::awaitable<api_result<portal_key>> create(http::client& http, std::string name, std::string description,
                                                        std::vector<std::string> cidr_ranges,
                                                        std::vector<std::string> scopes) const;
  boost::asio::awaitable<api_result<void>> revoke(http::client& http, std::string id) const;

 private:
  std::string base_;
  std::string cookie_;  ///< "session=…"
  std::string ip_;
  std::string developer_id_;
};

/// The public address a portal temporary token (a JWT) was issued for; empty when the token
/// carries none.
std::string ip_from_temporary_token(std::string_view token);

/// Logs in to every account and makes sure each has `keys_per_account` keys of `key_name` for the
/// current address. Fails on the first account that cannot log in or create its keys; keys already
/// made stay on the portal and are reused next time.
boost::asio::awaitable<api_result<key_provision>> provision_keys(http::client& http, portal_options options);

}  // namespace overworld::coc
