// Single-use tokens behind one interface: in this process (token_book), or shared by every node
// through Redis, so that a token issued by one node is redeemed once on any node. Two kinds use
// it, each under a name of its own so that they never mix: game tokens ("game") and the
// responseTokens of TTR's partial logins ("two_step", whose owner carries the wrong codes so far).
// Redis keeps only the token's SHA-256 (as the book does), with the owner, for the token's
// lifetime: SET … NX PX to issue, GETDEL to redeem (atomic: two nodes redeeming at once, one gets it).
#pragma once

#include <overworld/core/error.hpp>
#include <overworld/server/launcher/tokens.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace overworld::store {
class redis_client;
}

namespace overworld::launcher {

class game_tokens {
 public:
  virtual ~game_tokens() = default;
  /// A new token for the owner; empty when none can be issued now (a book at its capacity).
  /// errc::unavailable when the shared store cannot be reached.
  virtual boost::asio::awaitable<result<std::string>> issue(token_owner owner) = 0;
  /// The owner, once; nullopt for a token unknown, used or past its lifetime. errc::unavailable
  /// when the shared store cannot be reached.
  virtual boost::asio::awaitable<result<std::optional<token_owner>>> redeem(std::string token) = 0;
};

/// The tokens of this process: a token_book (not owned).
class local_game_tokens final : public game_tokens {
 public:
  explicit local_game_tokens(token_book& book) : book_(book) {}
  boost::asio::awaitable<result<std::string>> issue(token_owner owner) override;
  boost::asio::awaitable<result<std::optional<token_owner>>> redeem(std::string token) override;

 private:
  token_book& book_;
};

/// The tokens of every node sharing `redis`, under `overworld:token:<name>:<sha-256>`.
class redis_game_tokens final : public game_tokens {
 public:
  redis_game_tokens(std::shared_ptr<store::redis_client> redis, std::string name, std::chrono::milliseconds lifetime);
  boost::asio::awaitable<result<std::string>> issue(token_owner owner) override;
  boost::asio::awaitable<result<std::optional<token_owner>>> redeem(std::string token) override;

 private:
  std::shared_ptr<store::redis_client> redis_;
  std::string prefix_;
  std::chrono::milliseconds lifetime_;
};

}  // namespace overworld::launcher
