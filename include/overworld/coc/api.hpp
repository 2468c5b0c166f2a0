// The typed Clash of Clans API: the client's 35 operations, each answer decoded into its model.
// A call goes through the client unchanged (cache, single-flight, key limiter, retries) and the
// body is decoded where the call is awaited; the model's `raw` shares the answer's bytes (no copy)
// and says whether it came from the cache and how long it stays fresh. A body that is not the
// expected JSON gives error_kind::decode with the request path and the failing field.
//
//   coc::api api{client};
//   auto p = co_await api.player("#2PP");            // api_result<coc::player>
//   auto c = api.wait(api.clan("#2PP"));             // blocking, not on the client's thread
//   if (c) for (auto const& m : c->member_list.value_or({})) use(m.name, m.role);
#pragma once

#include <overworld/coc/client.hpp>
#include <overworld/coc/models/decode.hpp>
#include <overworld/coc/operations.hpp>
#include <overworld/coc/paging.hpp>
#include <overworld/coc/war.hpp>

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

namespace overworld::coc {

/// Decodes a raw answer into T, sharing its body; a decode error carries `path` and the status.
template <class T>
api_result<T> decode_response(raw_response const& response, std::string_view path = {}) {
  std::shared_ptr<std::string const> body;
  if (response.response) body = std::shared_ptr<std::string const>{response.response, &response.response->body};
  auto decoded = decode<T>(std::move(body), response.max_age, response.from_cache);
  if (decoded) return decoded;
  auto e = decoded.error();
  e.path = std::string{path};
  e.status = response.status;
  return api_result<T>{boost::system::in_place_error, std::move(e)};
}

/// The model an operation's answer decodes into: answer_t<op::clan_members> is list<clan_member>.
template <op id>
struct answer_of;
#define OVERWORLD_COC_ANSWER(name, method, route, shape, query, pg, model) \
  template <>                                                              \
  struct answer_of<op::name> {                                             \
    using type = model;                                                    \
  };
OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_ANSWER)
#undef OVERWORLD_COC_ANSWER
template <op id>
using answer_t = typename answer_of<id>::type;

class api {
 public:
  template <class T>
  using call = boost::asio::awaitable<api_result<T>>;

  explicit api(coc::client& client) noexcept : client_(&client) {}

  coc::client& client() const noexcept { return *client_; }

  /// Blocks until `op` (a call of this api) is done, through client::wait: the same thread
  /// rules apply (std::logic_error on the client's own thread).
  template <class T>
  api_result<T> wait(call<T> op) {
    return client_->wait(std::move(op));
  }

  /// The operations, one call each, with the raw client's parameters (coc/operation_list.hpp),
  /// answering the row's model: `clan(tag)` → coc::clan, `clan_members(tag, page)` →
  /// list<clan_member>, … (answer_t<op::NAME> names it).
#define OVERWORLD_COC_TYPED_CALL(name, method, route, shape, query, pg, model) \
  call<answer_t<op::name>> name(OVERWORLD_COC_PARAMS(shape, pg, OVERWORLD_COC_DEFAULT));
  OVERWORLD_COC_OPERATIONS(OVERWORLD_COC_TYPED_CALL)
#undef OVERWORLD_COC_TYPED_CALL
  /// The search with `page` in place of the filters' own paging (so that every paged call takes
  /// its paging last: all_of, the blocking client's NAME_all).
  call<list<coc::clan>> search_clans(clan_search filters, paging const& page);

 private:
  coc::client* client_;
};

/// The war a clan is really in (regular or Clan War League, see war.hpp), decoded.
struct war_now {
  war_source source = war_source::none;  ///< none: the clan is in no war
  war_state state = war_state::not_in_war;
  std::string war_tag;          ///< the CWL war's tag; empty for a regular war
  unsigned round = 0;           ///< the CWL round (1-based); 0 for a regular war
  std::optional<clan_war> war;  ///< the war itself, when there is one
};

/// resolve_current_war on the typed API: `auto w = co_await coc::resolve_war(api, "#2PP");`
boost::asio::awaitable<api_result<war_now>> resolve_war(api& typed, std::string clan_tag);

/// Every item of a typed list operation, all pages followed (`page_size` per request):
///
///   auto members = co_await coc::all_of<coc::clan_member>([&](coc::paging p) { return api.clan_members(tag, p); });
///   auto same = client.wait(coc::all_of<coc::clan_member>(…));   // from blocking code
template <class T>
boost::asio::awaitable<api_result<std::vector<T>>> all_of(typename item_pager<T>::fetch_page fetch,
                                                          unsigned page_size = 0) {
  item_pager<T> walk{std::move(fetch), page_size};
  std::vector<T> out;
  while (auto page = co_await walk.next()) {
    if (!*page) co_return api_result<std::vector<T>>{boost::system::in_place_error, page->error()};
    auto& items = (*page)->items;
    out.insert(out.end(), std::make_move_iterator(items.begin()), std::make_move_iterator(items.end()));
  }
  co_return out;
}

}  // namespace overworld::coc
