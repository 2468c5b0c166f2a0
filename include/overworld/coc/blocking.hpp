// The Clash of Clans API for scripts and programs without coroutines: a client and its typed API
// in one object whose calls block and return the decoded answer.
//
//   overworld::coc::blocking_client coc{std::getenv("OVERWORLD_COC_KEY")};
//   auto p = coc.player("#2PP").value();            // coc::player; value() throws api_exception
//   std::cout << p.name << ": " << p.trophies << " trophies\n";
//
// Every operation of coc::api is here under the same name and with the same arguments, returning
// api_result<Model> instead of an awaitable. Arguments are forwarded, so a braced one names its
// type: coc.clan_members(tag, coc::paging{.limit = 10}). Calls may come from any thread but the client's own
// (std::logic_error there: it would wait for itself); async() is the coroutine API on the same
// client, for code that mixes both.
#pragma once

#include <overworld/coc/api.hpp>
#include <overworld/coc/operations.hpp>

#include <string>
#include <utility>

namespace overworld::coc {

class blocking_client {
 public:
  /// One key; `base_url` null or empty for the real API (https://api.clashofclans.com/v1).
  /// Throws std::invalid_argument for a null or empty key.
  explicit blocking_client(char const* key, char const* base_url = nullptr);
  /// Every option of the client (several keys, portal accounts, cache, limits, timeouts).
  explicit blocking_client(client_options options);

#define OVERWORLD_COC_BLOCKING_CALL(name)                        \
  template <class... Args>                                       \
  auto name(Args&&... args) {                                    \
    return client_.wait(api_.name(std::forward<Args>(args)...)); \
  }
  OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_BLOCKING_CALL)
#undef OVERWORLD_COC_BLOCKING_CALL

  /// The coroutine API on the same client.
  coc::api& async() noexcept { return api_; }
  coc::client& client() noexcept { return client_; }

 private:
  coc::client client_;
  coc::api api_;
};

}  // namespace overworld::coc
