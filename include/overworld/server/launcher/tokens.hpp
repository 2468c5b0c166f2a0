// Game tokens: 256 random bits handed out at login, valid for a short time, redeemable once by a
// game server. Only their SHA-256 is kept, so a memory dump reveals no usable token.
#pragma once

#include <overworld/core/clock.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace overworld::launcher {

struct token_owner {
  std::int64_t account_id = 0;
  std::string username;
  unsigned attempts = 0;  ///< wrong two-step codes so far (TTR's partial login)
};

/// 256 random bits as 64 lower-case hex characters: every token the launcher hands out.
std::string random_token();
/// SHA-256 of a token, hex: what is kept instead of the token.
std::string token_digest(std::string_view token);

class token_book {
 public:
  /// `capacity` bounds the tokens outstanding at once (0: no bound); at the bound, issue() fails.
  explicit token_book(std::chrono::milliseconds lifetime = std::chrono::seconds{120},
                      clock const& time = clock::system(), std::size_t capacity = 0);

  /// A new token (64 hex characters) for the account; empty when `capacity` tokens are outstanding.
  std::string issue(token_owner owner);
  /// The owner, once: a second call, or a call after the lifetime, finds nothing.
  std::optional<token_owner> redeem(std::string_view token);
  std::size_t outstanding();

 private:
  void purge_expired(clock::steady_time now);  // caller holds mutex_

  struct entry {
    token_owner owner;
    clock::steady_time expires;
  };
  std::chrono::milliseconds lifetime_;
  clock const& clock_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, entry> by_hash_;
};

}  // namespace overworld::launcher
