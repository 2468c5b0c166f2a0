#include <overworld/server/launcher/passwords.hpp>

#include <sodium.h>

namespace overworld::launcher {

namespace {
bool sodium_ready() {
  static bool const ok = sodium_init() >= 0;
  return ok;
}
}  // namespace

result<std::string> hash_password(std::string_view password, password_policy const& policy) {
  if (!sodium_ready()) return errc::io_error;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_argon2id_str(out, password.data(), password.size(), policy.iterations, policy.memory) != 0) {
    return errc::io_error;  // out of memory
  }
  return std::string{out};
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (!sodium_ready() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char buf[crypto_pwhash_STRBYTES]{};
  hash.copy(buf, hash.size());
  return crypto_pwhash_str_verify(buf, password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view hash, password_policy const& policy) {
  if (!sodium_ready() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  char buf[crypto_pwhash_STRBYTES]{};
  hash.copy(buf, hash.size());
  return crypto_pwhash_argon2id_str_needs_rehash(buf, policy.iterations, policy.memory) != 0;
}

hashing_pool::hashing_pool(std::size_t threads, std::size_t queue_limit)
    : pool_(threads == 0 ? 1 : threads), limit_(queue_limit == 0 ? 1 : queue_limit) {}

hashing_pool::~hashing_pool() { join(); }

}  // namespace overworld::launcher
