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

  // Clans
  call<list<coc::clan>> search_clans(clan_search filters);
  call<coc::clan> clan(std::string_view tag);
  call<list<clan_member>> clan_members(std::string_view tag, paging const& page = paging());
  call<list<war_log_entry>> war_log(std::string_view tag, paging const& page = paging());
  call<clan_war> current_war(std::string_view tag);
  call<war_league_group> league_group(std::string_view clan_tag);
  call<clan_war> cwl_war(std::string_view war_tag);
  call<list<raid_season>> raid_seasons(std::string_view tag, paging const& page = paging());
  // Players
  call<coc::player> player(std::string_view tag);
  call<token_verification> verify_token(std::string_view tag, std::string_view token);
  call<list<battle_log_entry>> battle_log(std::string_view tag);
  call<list<league_history_entry>> league_history(std::string_view tag);
  // Leagues
  call<list<coc::league_tier>> league_tiers(paging const& page = paging());
  call<coc::league_tier> league_tier(std::int64_t id);
  call<list<coc::league>> leagues(paging const& page = paging());
  call<coc::league> league(std::int64_t id);
  call<list<coc::league_season>> league_seasons(std::int64_t league_id, paging const& page = paging());
  call<list<player_ranking>> league_season_rankings(std::int64_t league_id, std::string_view season_id,
                                                    paging const& page = paging());
  call<coc::ranked_league_group> ranked_league_group(std::string_view group_tag, std::string_view season_id,
                                                     std::string_view player_tag = {});
  call<list<coc::war_league>> war_leagues(paging const& page = paging());
  call<coc::war_league> war_league(std::int64_t id);
  call<list<coc::capital_league>> capital_leagues(paging const& page = paging());
  call<coc::capital_league> capital_league(std::int64_t id);
  call<list<coc::builder_base_league>> builder_base_leagues(paging const& page = paging());
  call<coc::builder_base_league> builder_base_league(std::int64_t id);
  // Locations and rankings
  call<list<coc::location>> locations(paging const& page = paging());
  call<coc::location> location(std::int64_t id);
  call<list<clan_ranking>> clan_rankings(location_ref const& where, paging const& page = paging());
  call<list<player_ranking>> player_rankings(location_ref const& where, paging const& page = paging());
  call<list<clan_ranking>> clan_builder_base_rankings(location_ref const& where, paging const& page = paging());
  call<list<player_ranking>> player_builder_base_rankings(location_ref const& where, paging const& page = paging());
  call<list<clan_ranking>> capital_rankings(location_ref const& where, paging const& page = paging());
  // Gold pass and labels
  call<gold_pass_season> gold_pass();
  call<list<label>> clan_labels(paging const& page = paging());
  call<list<label>> player_labels(paging const& page = paging());

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
