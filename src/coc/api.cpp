// The typed API: each operation is the client's call, then decode_response. Decode errors name
// the operation's route with its arguments as given (the raw answer does not carry the target
// the client built).
#include <overworld/coc/api.hpp>
#include <overworld/coc/operations.hpp>

namespace overworld::coc {
namespace {

template <class T>
api::call<T> typed(client::call op, std::string where) {
  auto raw = co_await std::move(op);
  if (!raw) co_return api_result<T>{boost::system::in_place_error, raw.error()};
  co_return decode_response<T>(*raw, where);
}

// The operation's path with its parameters as given (for decode errors).
std::string where(op id, std::initializer_list<std::string_view> segments = {}) {
  return expand_path(operation_of(id), segments);
}

std::string with_id(op id, std::int64_t value) { return where(id, {std::to_string(value)}); }

std::string where_of(op id, location_ref const& at) { return where(id, {at.segment()}); }

}  // namespace

api::call<list<clan>> api::search_clans(clan_search filters) {
  return typed<list<coc::clan>>(client_->search_clans(std::move(filters)), where(op::search_clans));
}
api::call<clan> api::clan(std::string_view tag) {
  auto path = where(op::clan, {tag});
  return typed<coc::clan>(client_->clan(tag), std::move(path));
}
api::call<list<clan_member>> api::clan_members(std::string_view tag, paging const& page) {
  auto path = where(op::clan_members, {tag});
  return typed<list<clan_member>>(client_->clan_members(tag, page), std::move(path));
}
api::call<list<war_log_entry>> api::war_log(std::string_view tag, paging const& page) {
  auto path = where(op::war_log, {tag});
  return typed<list<war_log_entry>>(client_->war_log(tag, page), std::move(path));
}
api::call<clan_war> api::current_war(std::string_view tag) {
  auto path = where(op::current_war, {tag});
  return typed<clan_war>(client_->current_war(tag), std::move(path));
}
api::call<war_league_group> api::league_group(std::string_view clan_tag) {
  auto path = where(op::league_group, {clan_tag});
  return typed<war_league_group>(client_->league_group(clan_tag), std::move(path));
}
api::call<clan_war> api::cwl_war(std::string_view war_tag) {
  auto path = where(op::cwl_war, {war_tag});
  return typed<clan_war>(client_->cwl_war(war_tag), std::move(path));
}
api::call<list<raid_season>> api::raid_seasons(std::string_view tag, paging const& page) {
  auto path = where(op::raid_seasons, {tag});
  return typed<list<raid_season>>(client_->raid_seasons(tag, page), std::move(path));
}

api::call<player> api::player(std::string_view tag) {
  auto path = where(op::player, {tag});
  return typed<coc::player>(client_->player(tag), std::move(path));
}
api::call<token_verification> api::verify_token(std::string_view tag, std::string_view token) {
  auto path = where(op::verify_token, {tag});
  return typed<token_verification>(client_->verify_token(tag, token), std::move(path));
}
api::call<list<battle_log_entry>> api::battle_log(std::string_view tag) {
  auto path = where(op::battle_log, {tag});
  return typed<list<battle_log_entry>>(client_->battle_log(tag), std::move(path));
}
api::call<list<league_history_entry>> api::league_history(std::string_view tag) {
  auto path = where(op::league_history, {tag});
  return typed<list<league_history_entry>>(client_->league_history(tag), std::move(path));
}

api::call<list<league_tier>> api::league_tiers(paging const& page) {
  return typed<list<coc::league_tier>>(client_->league_tiers(page), where(op::league_tiers));
}
api::call<league_tier> api::league_tier(std::int64_t id) {
  return typed<coc::league_tier>(client_->league_tier(id), with_id(op::league_tier, id));
}
api::call<list<league>> api::leagues(paging const& page) {
  return typed<list<coc::league>>(client_->leagues(page), where(op::leagues));
}
api::call<league> api::league(std::int64_t id) {
  return typed<coc::league>(client_->league(id), with_id(op::league, id));
}
api::call<list<league_season>> api::league_seasons(std::int64_t league_id, paging const& page) {
  return typed<list<coc::league_season>>(client_->league_seasons(league_id, page),
                                         with_id(op::league_seasons, league_id));
}
api::call<list<player_ranking>> api::league_season_rankings(std::int64_t league_id, std::string_view season_id,
                                                            paging const& page) {
  auto path = where(op::league_season_rankings, {std::to_string(league_id), season_id});
  return typed<list<player_ranking>>(client_->league_season_rankings(league_id, season_id, page), std::move(path));
}
api::call<ranked_league_group> api::ranked_league_group(std::string_view group_tag, std::string_view season_id,
                                                        std::string_view player_tag) {
  auto path = where(op::ranked_league_group, {group_tag, season_id});
  return typed<coc::ranked_league_group>(client_->ranked_league_group(group_tag, season_id, player_tag),
                                         std::move(path));
}
api::call<list<war_league>> api::war_leagues(paging const& page) {
  return typed<list<coc::war_league>>(client_->war_leagues(page), where(op::war_leagues));
}
api::call<war_league> api::war_league(std::int64_t id) {
  return typed<coc::war_league>(client_->war_league(id), with_id(op::war_league, id));
}
api::call<list<capital_league>> api::capital_leagues(paging const& page) {
  return typed<list<coc::capital_league>>(client_->capital_leagues(page), where(op::capital_leagues));
}
api::call<capital_league> api::capital_league(std::int64_t id) {
  return typed<coc::capital_league>(client_->capital_league(id), with_id(op::capital_league, id));
}
api::call<list<builder_base_league>> api::builder_base_leagues(paging const& page) {
  return typed<list<coc::builder_base_league>>(client_->builder_base_leagues(page), where(op::builder_base_leagues));
}
api::call<builder_base_league> api::builder_base_league(std::int64_t id) {
  return typed<coc::builder_base_league>(client_->builder_base_league(id), with_id(op::builder_base_league, id));
}

api::call<list<location>> api::locations(paging const& page) {
  return typed<list<coc::location>>(client_->locations(page), where(op::locations));
}
api::call<location> api::location(std::int64_t id) {
  return typed<coc::location>(client_->location(id), with_id(op::location, id));
}
api::call<list<clan_ranking>> api::clan_rankings(location_ref const& where, paging const& page) {
  auto path = where_of(op::clan_rankings, where);
  return typed<list<clan_ranking>>(client_->clan_rankings(where, page), std::move(path));
}
api::call<list<player_ranking>> api::player_rankings(location_ref const& where, paging const& page) {
  auto path = where_of(op::player_rankings, where);
  return typed<list<player_ranking>>(client_->player_rankings(where, page), std::move(path));
}
api::call<list<clan_ranking>> api::clan_builder_base_rankings(location_ref const& where, paging const& page) {
  auto path = where_of(op::clan_builder_base_rankings, where);
  return typed<list<clan_ranking>>(client_->clan_builder_base_rankings(where, page), std::move(path));
}
api::call<list<player_ranking>> api::player_builder_base_rankings(location_ref const& where, paging const& page) {
  auto path = where_of(op::player_builder_base_rankings, where);
  return typed<list<player_ranking>>(client_->player_builder_base_rankings(where, page), std::move(path));
}
api::call<list<clan_ranking>> api::capital_rankings(location_ref const& where, paging const& page) {
  auto path = where_of(op::capital_rankings, where);
  return typed<list<clan_ranking>>(client_->capital_rankings(where, page), std::move(path));
}

api::call<gold_pass_season> api::gold_pass() {
  return typed<gold_pass_season>(client_->gold_pass(), where(op::gold_pass));
}
api::call<list<label>> api::clan_labels(paging const& page) {
  return typed<list<label>>(client_->clan_labels(page), where(op::clan_labels));
}
api::call<list<label>> api::player_labels(paging const& page) {
  return typed<list<label>>(client_->player_labels(page), where(op::player_labels));
}

boost::asio::awaitable<api_result<war_now>> resolve_war(api& typed, std::string clan_tag) {
  auto found = co_await resolve_current_war(typed.client(), clan_tag);
  if (!found) co_return api_result<war_now>{boost::system::in_place_error, found.error()};
  war_now out;
  out.source = found->source;
  out.state = enum_or_unknown<war_state>(found->state);
  out.war_tag = std::move(found->war_tag);
  out.round = found->round;
  if (found->war) {
    auto const path = out.war_tag.empty() ? where(op::current_war, {clan_tag}) : where(op::cwl_war, {out.war_tag});
    auto decoded = decode_response<clan_war>(*found->war, path);
    if (!decoded) co_return api_result<war_now>{boost::system::in_place_error, decoded.error()};
    out.war = std::move(*decoded);
  }
  co_return out;
}

}  // namespace overworld::coc
