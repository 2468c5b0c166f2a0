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
#include <overworld/coc/typed_lists.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace overworld::coc {

class blocking_client {
 public:
  /// One key; `base_url` null or empty for the real API (https://api.clashofclans.com/v1).
  /// Throws std::invalid_argument for a null or empty key.
  explicit blocking_client(char const* key, char const* base_url = nullptr);
  /// Every option of the client (several keys, portal accounts, cache, limits, timeouts).
  explicit blocking_client(client_options options);

#define OVERWORLD_COC_BLOCKING_CALL(name, method, route, shape, query, pg, model) \
  template <class... Args>                                                        \
  auto name(Args&&... args) {                                                     \
    return client_.wait(api_.name(std::forward<Args>(args)...));                  \
  }
  OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_BLOCKING_CALL)
#undef OVERWORLD_COC_BLOCKING_CALL

  /// Every item of a paged list, pages followed as the loop reaches them: one `NAME_all` per
  /// paged operation, with the operation's arguments but the paging
  /// (`for (auto const& m : coc.clan_members_all("#2PP"))`). A failed page throws api_exception.
#define OVERWORLD_COC_BLOCKING_ALL_OF(name, shape)                                                              \
  template <class... Args>                                                                                      \
  auto name##_all(Args... args) {                                                                               \
    using item = typename list_item<decltype(api_.name(args..., paging{}))>::type;                              \
    return paged_items<item>{client_, [this, args...](paging p) { return api_.name(args..., p); }, page_size_}; \
  }
#define OVERWORLD_COC_BLOCKING_ALL(name, method, route, shape, query, pg, model) \
  OVERWORLD_COC_IF_PAGED(pg, OVERWORLD_COC_BLOCKING_ALL_OF, name, shape)
  OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_BLOCKING_ALL)
#undef OVERWORLD_COC_BLOCKING_ALL
#undef OVERWORLD_COC_BLOCKING_ALL_OF

  /// Items per request of the NAME_all ranges (0, the default: the API's own page size).
  void page_size(unsigned items) noexcept { page_size_ = items; }

  /// GET /players/{tag} (or /clans/{tag}) for every tag, `concurrency` at a time, each answer
  /// handed to `on_answer(tag, result)` as it arrives (on the client's thread: keep it short).
  void each_player(std::vector<std::string> tags,
                   std::function<void(std::string const&, api_result<coc::player>&)> on_answer,
                   unsigned concurrency = 16);
  void each_clan(std::vector<std::string> tags,
                 std::function<void(std::string const&, api_result<coc::clan>&)> on_answer, unsigned concurrency = 16);

  /// The coroutine API on the same client.
  coc::api& async() noexcept { return api_; }
  coc::client& client() noexcept { return client_; }

 private:
  coc::client client_;
  coc::api api_;
  unsigned page_size_ = 0;
};

}  // namespace overworld::coc
