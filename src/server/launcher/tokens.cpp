#include <overworld/server/launcher/tokens.hpp>

#include <sodium.h>

#include <stdexcept>

namespace overworld::launcher {
namespace {

std::string to_hex(unsigned char const* data, std::size_t n) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += hex[data[i] >> 4];
    out += hex[data[i] & 15];
  }
  return out;
}

void sodium_ready() {
  static bool const ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string random_token() {
  sodium_ready();
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  return to_hex(raw, sizeof raw);
}

std::string token_digest(std::string_view token) {
  sodium_ready();
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<unsigned char const*>(token.data()), token.size());
  return to_hex(h, sizeof h);
}

token_book::token_book(std::chrono::milliseconds lifetime, clock const& time, std::size_t capacity)
    : lifetime_(lifetime), clock_(time), capacity_(capacity) {
  sodium_ready();
}

std::string token_book::issue(token_owner owner) {
  std::string token = random_token();
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  purge_expired(now);
  if (capacity_ != 0 && by_hash_.size() >= capacity_) return {};
  by_hash_[token_digest(token)] = entry{std::move(owner), now + lifetime_};
  return token;
}

std::optional<token_owner> token_book::redeem(std::string_view token) {
  auto const key = token_digest(token);
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  auto it = by_hash_.find(key);
  if (it == by_hash_.end()) return std::nullopt;
  auto e = std::move(it->second);
  by_hash_.erase(it);
  if (now >= e.expires) return std::nullopt;
  return std::move(e.owner);
}

std::size_t token_book::outstanding() {
  std::lock_guard lock{mutex_};
  purge_expired(clock_.steady_now());
  return by_hash_.size();
}

void token_book::purge_expired(clock::steady_time now) {
  std::erase_if(by_hash_, [now](auto const& kv) { return now >= kv.second.expires; });
}

}  // namespace overworld::launcher
