// The engine: what is watched, when each resource is polled next, the request cap, the handlers'
// queues and the counters.
#include "engine_impl.hpp"

#include <overworld/coc/tags.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace overworld::coc::events {
namespace detail {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

clock const& clock_of(coc::client& c, engine_options const& o) {
  if (o.time) return *o.time;
  if (c.options().time) return *c.options().time;
  return clock::system();
}

std::int64_t millis_of(clock::steady_time::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

}  // namespace

engine_state::engine_state(coc::client& c, engine_options o)
    : client(c),
      api(c),
      options(o),
      time(clock_of(c, options)),
      handler_pool(std::max<std::size_t>(1, options.handler_threads)),
      timer(c.executor()) {}

bool engine_state::add(resource_type type, std::string tag) {
  std::lock_guard lock{mutex};
  auto key = std::make_pair(type, tag);
  if (resources.count(key)) return true;
  if (resources.size() >= options.max_resources) return false;
  auto r = std::make_shared<resource>();
  r->type = type;
  r->tag = std::move(tag);
  r->id = next_id++;
  r->due = time.steady_now();
  schedule.push({r->due, r->id, r});
  resources.emplace(std::move(key), std::move(r));
  return true;
}

bool engine_state::add_tagged(resource_type type, std::string_view tag) {
  auto t = parse_tag(tag);
  return t && add(type, *t);
}

double engine_state::rate() const {
  if (options.max_requests_per_second > 0) return options.max_requests_per_second;
  auto const keys = std::max<std::size_t>(1, client.keys().size());
  return static_cast<double>(keys) * client.options().limiter.rate;
}

std::vector<resource_ptr> engine_state::take_due(std::size_t limit) {
  std::vector<resource_ptr> out;
  auto const now = time.steady_now();
  std::lock_guard lock{mutex};
  while (out.size() < limit && !schedule.empty() && schedule.top().due <= now) {
    auto r = schedule.top().what;
    schedule.pop();
    if (!r->removed) out.push_back(std::move(r));
  }
  return out;
}

void engine_state::reschedule(resource_ptr const& r, milliseconds after) {
  std::lock_guard lock{mutex};
  if (r->removed) return;
  r->due = time.steady_now() + after;
  schedule.push({r->due, r->id, r});
}

void engine_state::publish(std::vector<event> found, resource const* r, clock::steady_time due) {
  if (found.empty() || closed) return;
  auto const seen = time.now();
  auto const lag = std::max<std::int64_t>(0, millis_of(time.steady_now() - due));
  std::lock_guard lock{mutex};
  for (auto& e : found) {
    if (r) e.watched = r->tag;
    e.seen = seen;
    e.lag = milliseconds{lag};
    events.fetch_add(1, std::memory_order_relaxed);
    lag_sum_ms.fetch_add(static_cast<std::uint64_t>(lag), std::memory_order_relaxed);
    if (static_cast<std::uint64_t>(lag) > lag_max_ms) lag_max_ms = static_cast<std::uint64_t>(lag);
    for (auto const& h : handlers) {
      if (!h->wants[static_cast<std::size_t>(e.kind)]) continue;
      std::lock_guard queue_lock{h->mutex};
      if (h->queue.size() >= h->limit) {
        dropped.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      h->queue.push_back(e);
      if (!h->draining) {
        h->draining = true;
        asio::co_spawn(h->strand, drain(h), asio::detached);
      }
    }
  }
}

void engine_state::report(std::string_view watched, sdk::error const& e) {
  std::lock_guard lock{mutex};
  if (!on_error || closed) return;
  asio::post(handler_pool, [call = on_error, watched = std::string{watched}, e] { call(watched, e); });
}

void engine_state::note_maintenance(poll_outcome const& o, std::vector<event>& out) {
  bool const down = o.failure && o.failure->kind == error_kind::maintenance;
  bool const up = !o.failure && o.from_wire;
  if (down == maintenance || (!down && !up)) return;
  maintenance = down;
  maintenance_seen = down;
  event e;
  e.kind = down ? kind::maintenance_start : kind::maintenance_end;
  out.push_back(std::move(e));
}

void engine_state::mark_started() {
  std::int64_t expected = -1;
  started_ns.compare_exchange_strong(expected, time.steady_now().time_since_epoch().count());
}

asio::awaitable<void> drain(handler_ptr h) {
  for (;;) {
    event e;
    {
      std::lock_guard lock{h->mutex};
      if (h->queue.empty()) {
        h->draining = false;
        co_return;
      }
      e = std::move(h->queue.front());
      h->queue.pop_front();
    }
    try {
      if (h->call) {
        h->call(e);
      } else {
        co_await h->co(std::move(e));
      }
    } catch (std::exception const&) {  // a handler's failure is its own: the next event still comes
    }
  }
}

namespace {

asio::awaitable<void> poll_in_loop(std::shared_ptr<engine_state> self, resource_ptr r) {
  co_await poll(self, std::move(r));
  --self->in_flight;
  self->timer.cancel();  // room for the next one
}

}  // namespace

asio::awaitable<void> poll_loop(std::shared_ptr<engine_state> self) {
  while (self->running) {
    auto const now = self->time.steady_now();
    auto const rate = self->rate();
    auto const elapsed = std::chrono::duration<double>(now - self->refilled).count();
    self->tokens = std::min(std::max(1.0, rate), self->tokens + elapsed * rate);
    self->refilled = now;
    auto const room = self->options.max_in_flight - std::min(self->options.max_in_flight, self->in_flight);
    auto const allowed = std::min<std::size_t>(room, static_cast<std::size_t>(self->tokens));
    for (auto& r : self->take_due(allowed)) {
      self->tokens -= 1;
      ++self->in_flight;
      asio::co_spawn(self->client.executor(), poll_in_loop(self, std::move(r)), asio::detached);
    }
    milliseconds wait = self->options.tick;
    {
      std::lock_guard lock{self->mutex};
      if (!self->schedule.empty() && self->in_flight < self->options.max_in_flight) {
        auto const until = std::chrono::duration_cast<milliseconds>(self->schedule.top().due - now);
        wait = std::clamp(until, milliseconds{0}, wait);
      }
    }
    if (self->tokens < 1) wait = std::max(wait, milliseconds{static_cast<std::int64_t>(1000.0 / rate) + 1});
    self->timer.expires_after(wait);
    co_await self->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace detail

namespace {

namespace asio = boost::asio;
using detail::resource_type;

asio::awaitable<void> step_all(std::shared_ptr<detail::engine_state> self) {
  self->mark_started();
  for (auto& r : self->take_due(self->options.max_resources)) co_await detail::poll(self, std::move(r));
}

}  // namespace

engine::engine(coc::client& client, engine_options options)
    : impl_(std::make_shared<detail::engine_state>(client, options)) {}

engine::~engine() {
  stop();
  impl_->closed = true;
  impl_->handler_pool.stop();  // no handler starts after this; one running is waited for
  impl_->handler_pool.join();
}

bool engine::watch_clan(std::string_view tag) { return impl_->add_tagged(resource_type::clan, tag); }
bool engine::watch_player(std::string_view tag) { return impl_->add_tagged(resource_type::player, tag); }
bool engine::watch_war(std::string_view clan_tag) { return impl_->add_tagged(resource_type::war, clan_tag); }
bool engine::watch_league_group(std::string_view clan_tag) { return impl_->add_tagged(resource_type::group, clan_tag); }
bool engine::watch_raids(std::string_view clan_tag) { return impl_->add_tagged(resource_type::raids, clan_tag); }
bool engine::watch_api() { return impl_->add(resource_type::api, {}); }

void engine::unwatch(std::string_view tag) {
  auto t = parse_tag(tag);
  if (!t) return;
  std::lock_guard lock{impl_->mutex};
  for (auto it = impl_->resources.begin(); it != impl_->resources.end();) {
    if (it->first.second == *t) {
      it->second->removed = true;
      it = impl_->resources.erase(it);
    } else {
      ++it;
    }
  }
}

namespace {

detail::handler_ptr slot_for(detail::engine_state& s, std::vector<kind> const& kinds, std::size_t limit) {
  auto h = std::make_shared<detail::handler_slot>(s.handler_pool);
  h->wants.assign(all_kinds().size(), kinds.empty());
  for (auto k : kinds) h->wants[static_cast<std::size_t>(k)] = true;
  h->limit = std::max<std::size_t>(1, limit);
  return h;
}

}  // namespace

void engine::on(std::vector<kind> const& kinds, callback handler, std::size_t queue_limit) {
  auto h = slot_for(*impl_, kinds, queue_limit ? queue_limit : impl_->options.queue_limit);
  h->call = std::move(handler);
  std::lock_guard lock{impl_->mutex};
  impl_->handlers.push_back(std::move(h));
}

void engine::on(std::vector<kind> const& kinds, coroutine handler, std::size_t queue_limit) {
  auto h = slot_for(*impl_, kinds, queue_limit ? queue_limit : impl_->options.queue_limit);
  h->co = std::move(handler);
  std::lock_guard lock{impl_->mutex};
  impl_->handlers.push_back(std::move(h));
}

void engine::on_error(error_callback handler) {
  std::lock_guard lock{impl_->mutex};
  impl_->on_error = std::move(handler);
}

void engine::start() {
  impl_->mark_started();
  asio::post(impl_->client.executor(), [self = impl_] {
    if (self->running) return;
    self->running = true;
    self->refilled = self->time.steady_now();
    self->tokens = 1;
    asio::co_spawn(self->client.executor(), detail::poll_loop(self), asio::detached);
  });
}

void engine::stop() {
  asio::post(impl_->client.executor(), [self = impl_] {
    self->running = false;
    self->timer.cancel();
  });
}

void engine::step() { impl_->client.wait(step_all(impl_)); }

void engine::wake() {
  asio::post(impl_->client.executor(), [self = impl_] { self->timer.cancel(); });
}

engine_metrics engine::metrics() const {
  auto const& s = *impl_;
  engine_metrics m;
  {
    std::lock_guard lock{impl_->mutex};
    m.watched = s.resources.size();
  }
  m.polls = s.polls;
  m.failed_polls = s.failed_polls;
  m.events = s.events;
  m.dropped = s.dropped;
  m.maintenance = s.maintenance_seen;
  m.lag_max = std::chrono::milliseconds{s.lag_max_ms.load()};
  m.lag_mean = std::chrono::milliseconds{m.events ? s.lag_sum_ms.load() / m.events : 0};
  auto const started = s.started_ns.load();
  if (started >= 0) {
    auto const seconds = std::chrono::duration<double>(s.time.steady_now().time_since_epoch() -
                                                       std::chrono::steady_clock::duration{started})
                             .count();
    if (seconds > 0) {
      m.polls_per_second = static_cast<double>(m.polls) / seconds;
      m.events_per_second = static_cast<double>(m.events) / seconds;
    }
  }
  return m;
}

std::string engine::prometheus_text(std::string_view prefix) const {
  auto const m = metrics();
  std::string out;
  auto line = [&](std::string_view name, std::string_view type, std::string_view help, std::string const& value) {
    auto const full = std::string{prefix} + "_" + std::string{name};
    out += "# HELP " + full + " " + std::string{help} + "\n# TYPE " + full + " " + std::string{type} + "\n";
    out += full + " " + value + "\n";
  };
  line("watched_resources", "gauge", "Resources watched.", std::to_string(m.watched));
  line("polls_total", "counter", "Polls finished.", std::to_string(m.polls));
  line("failed_polls_total", "counter", "Polls that ended in an error.", std::to_string(m.failed_polls));
  line("events_total", "counter", "Events made.", std::to_string(m.events));
  line("dropped_events_total", "counter", "Events lost to full handler queues.", std::to_string(m.dropped));
  line("lag_max_seconds", "gauge", "Largest event lag seen.",
       std::to_string(static_cast<double>(m.lag_max.count()) / 1000));
  line("maintenance", "gauge", "1 while the API is in maintenance.", m.maintenance ? "1" : "0");
  return out;
}

}  // namespace overworld::coc::events
