// One poll of each kind of resource: the request, its decoded answer reduced to facts, the diff
// with the facts of the poll before, and when to poll again.
#include "engine_impl.hpp"

#include <algorithm>

namespace overworld::coc::events::detail {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

constexpr std::int64_t legend_league = 29'000'022;

template <class T>
poll_outcome outcome_of(api_result<T> const& got, raw_json const* raw) {
  poll_outcome o;
  if (!got) {
    o.failure = got.error();
    return o;
  }
  if (raw) {
    o.max_age = raw->max_age();
    o.from_wire = !raw->from_cache();
  }
  return o;
}

/// Records `now` as the resource's facts; the events since the facts before, after the first poll.
template <class Facts, class Diff>
void absorb(resource& r, Facts now, Diff const& diff_with, std::vector<event>& out) {
  if (r.seen) {
    if (auto const* before = std::get_if<Facts>(&r.facts)) diff_with(*before, now, out);
  }
  r.facts = std::move(now);
  r.seen = true;
}

auto const plain_diff = [](auto const& a, auto const& b, std::vector<event>& out) { diff(a, b, out); };

/// A clan's or player's answer: its facts, or its error.
template <class Model>
poll_outcome absorb_model(api_result<Model> const& got, resource& r, std::vector<event>& out) {
  auto o = outcome_of(got, got ? &got->raw : nullptr);
  if (got) absorb(r, facts_of(*got), plain_diff, out);
  return o;
}

asio::awaitable<poll_outcome> poll_clan(coc::api& api, resource& r, std::vector<event>& out) {
  auto got = co_await api.clan(r.tag);
  co_return absorb_model(got, r, out);
}

asio::awaitable<poll_outcome> poll_player(coc::api& api, resource& r, std::vector<event>& out) {
  auto got = co_await api.player(r.tag);
  co_return absorb_model(got, r, out);
}

asio::awaitable<poll_outcome> poll_war(coc::api& api, resource& r, std::vector<event>& out) {
  auto got = co_await resolve_war(api, r.tag);
  // A private war log outside the league: no war to see, which is a state too (""), so that the
  // league week's first war is news.
  bool const hidden = !got && got.error().kind == error_kind::private_war_log;
  auto o = hidden ? poll_outcome{} : outcome_of(got, got && got->war ? &got->war->raw : nullptr);
  if (!got && !hidden) co_return o;
  auto& memory = r.memory;
  absorb(
      r, got ? facts_of(*got, r.tag) : war_facts{},
      [&memory](war_facts const& a, war_facts const& b, std::vector<event>& found) { diff(a, b, memory, found); }, out);
  co_return o;
}

asio::awaitable<poll_outcome> poll_group(coc::api& api, resource& r, std::vector<event>& out) {
  auto got = co_await api.league_group(r.tag);
  if (!got && got.error().kind == error_kind::not_found) {  // not in the league this week: a state too
    absorb(r, facts_of(static_cast<war_league_group const*>(nullptr)), plain_diff, out);
    co_return poll_outcome{};
  }
  auto o = outcome_of(got, got ? &got->raw : nullptr);
  if (got) absorb(r, facts_of(&*got), plain_diff, out);
  co_return o;
}

asio::awaitable<poll_outcome> poll_raids(coc::api& api, resource& r, std::vector<event>& out) {
  paging newest;
  newest.limit = 1;
  auto got = co_await api.raid_seasons(r.tag, newest);
  auto o = outcome_of(got, got ? &got->raw : nullptr);
  if (got) absorb(r, facts_of(got->items.empty() ? nullptr : &got->items.front()), plain_diff, out);
  co_return o;
}

asio::awaitable<poll_outcome> poll_api(coc::api& api, resource& r, std::vector<event>& out) {
  auto got = co_await api.league_seasons(legend_league);
  auto o = outcome_of(got, got ? &got->raw : nullptr);
  if (!got) co_return o;
  std::string latest;
  for (auto const& s : got->items) latest = std::max(latest, s.id);
  absorb(
      r, latest,
      [](std::string const& a, std::string const& b, std::vector<event>& found) {
        if (a.empty() || b <= a) return;
        event e;
        e.kind = kind::season_end;
        e.item = b;
        found.push_back(std::move(e));
      },
      out);
  co_return o;
}

asio::awaitable<poll_outcome> poll_once(coc::api& api, resource& r, std::vector<event>& out) {
  switch (r.type) {
    case resource_type::clan:
      co_return co_await poll_clan(api, r, out);
    case resource_type::player:
      co_return co_await poll_player(api, r, out);
    case resource_type::war:
      co_return co_await poll_war(api, r, out);
    case resource_type::group:
      co_return co_await poll_group(api, r, out);
    case resource_type::raids:
      co_return co_await poll_raids(api, r, out);
    case resource_type::api:
      co_return co_await poll_api(api, r, out);
  }
  co_return poll_outcome{};
}

milliseconds next_poll(engine_options const& o, resource& r, poll_outcome const& done) {
  if (done.failure) {
    milliseconds const wait{o.error_backoff.count() << std::min(r.failures, 16U)};
    ++r.failures;
    return std::min(std::max(wait, milliseconds{done.failure->retry_after.value_or(std::chrono::seconds{0})}),
                    o.max_backoff);
  }
  r.failures = 0;
  return std::max(o.min_interval, milliseconds{done.max_age});
}

}  // namespace

asio::awaitable<void> poll(std::shared_ptr<engine_state> self, resource_ptr r) {
  auto const due = r->due;
  std::vector<event> found;
  auto const done = co_await poll_once(self->api, *r, found);
  self->polls.fetch_add(1, std::memory_order_relaxed);
  if (done.failure) {
    self->failed_polls.fetch_add(1, std::memory_order_relaxed);
    if (done.failure->kind != error_kind::maintenance) self->report(r->tag, *done.failure);
  }
  std::vector<event> api_events;
  self->note_maintenance(done, api_events);
  self->publish(std::move(api_events), nullptr, due);
  self->publish(std::move(found), r.get(), due);
  self->reschedule(r, next_poll(self->options, *r, done));
}

}  // namespace overworld::coc::events::detail
