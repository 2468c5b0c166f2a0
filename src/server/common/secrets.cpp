#include <overworld/server/common/secrets.hpp>

#include <openssl/crypto.h>

namespace overworld::server {

bool same_secret(std::string_view given, std::string_view expected) noexcept {
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

std::string_view bearer_token(http::request const& req) noexcept {
  auto const auth = req.header("Authorization");
  if (!auth || !auth->starts_with("Bearer ")) return {};
  return auth->substr(7);
}

}  // namespace overworld::server
