#include <overworld/server/launcher/game_tokens.hpp>

#include <overworld/core/log.hpp>
#include <overworld/store/redis.hpp>

#include <charconv>

namespace overworld::launcher {

boost::asio::awaitable<result<std::string>> local_game_tokens::issue(token_owner owner) {
  co_return book_.issue(std::move(owner));
}

boost::asio::awaitable<result<std::optional<token_owner>>> local_game_tokens::redeem(std::string token) {
  co_return book_.redeem(token);
}

namespace {

/// "<account id>\n<attempts>\n<username>": what Redis holds for a token.
std::string encode_owner(token_owner const& o) {
  return std::to_string(o.account_id) + "\n" + std::to_string(o.attempts) + "\n" + o.username;
}

std::optional<token_owner> decode_owner(std::string_view text) {
  auto const first = text.find('\n');
  auto const second = first == std::string_view::npos ? first : text.find('\n', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  token_owner o;
  auto const id = text.substr(0, first);
  auto const attempts = text.substr(first + 1, second - first - 1);
  if (std::from_chars(id.data(), id.data() + id.size(), o.account_id).ec != std::errc{} ||
      std::from_chars(attempts.data(), attempts.data() + attempts.size(), o.attempts).ec != std::errc{})
    return std::nullopt;
  o.username = text.substr(second + 1);
  return o;
}

/// SET key value NX PX ms (a plain function: g++ 12 rejects string literals in a braced list
/// inside a coroutine).
store::redis_client::command_args set_new(std::string key, std::string value, std::chrono::milliseconds ttl) {
  return {"SET", std::move(key), std::move(value), "NX", "PX", std::to_string(ttl.count())};
}
store::redis_client::command_args get_and_delete(std::string key) { return {"GETDEL", std::move(key)}; }

}  // namespace

redis_game_tokens::redis_game_tokens(std::shared_ptr<store::redis_client> redis, std::string name,
                                     std::chrono::milliseconds lifetime)
    : redis_(std::move(redis)), prefix_("overworld:token:" + std::move(name) + ":"), lifetime_(lifetime) {}

boost::asio::awaitable<result<std::string>> redis_game_tokens::issue(token_owner owner) {
  std::string token = random_token();
  auto command = set_new(prefix_ + token_digest(token), encode_owner(owner), lifetime_);
  auto r = co_await redis_->command(std::move(command));
  if (!r) co_return r.error();
  if (r->is_error()) {
    spdlog::error("redis: storing a token ({}) failed: {}", prefix_, r->text);
    co_return errc::unavailable;
  }
  if (r->is_nil()) co_return std::string{};  // 256 random bits met another token's: never in practice
  co_return token;
}

boost::asio::awaitable<result<std::optional<token_owner>>> redis_game_tokens::redeem(std::string token) {
  auto command = get_and_delete(prefix_ + token_digest(token));
  auto r = co_await redis_->command(std::move(command));
  if (!r) co_return r.error();
  if (r->is_error()) {
    spdlog::error("redis: redeeming a token ({}) failed: {}", prefix_, r->text);
    co_return errc::unavailable;
  }
  if (r->is_nil()) co_return std::optional<token_owner>{};
  co_return decode_owner(r->text);
}

}  // namespace overworld::launcher
