// The watcher's loop: the event stream when the server has one, polling otherwise; both feed the
// same snapshot_differ, so events mean the same whichever way the data came.
#include "answers.hpp"
#include "sse.hpp"

#include <overworld/sdk/runtime.hpp>
#include <overworld/toon/parse.hpp>
#include <overworld/toon/watcher.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace overworld::toon {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

std::string default_base(game g) {
  return g == game::ttcc ? "https://corporateclash.net" : "https://www.toontownrewritten.com";
}

// A stream event's effect on a district: the invasion it now has (or none), its status.
void apply_invasion(snapshot& s, invasion inv, bool ended) {
  auto it =
      std::find_if(s.districts.begin(), s.districts.end(), [&](district const& d) { return d.name == inv.district; });
  if (it == s.districts.end()) {
    if (ended) return;
    district d;
    d.name = inv.district;
    d.status = district_status::online;
    s.districts.push_back(std::move(d));
    it = std::prev(s.districts.end());
  }
  if (ended) {
    if (it->invasion && (it->invasion->id.empty() || it->invasion->id == inv.id)) it->invasion.reset();
    return;
  }
  // An event older than what a resync already showed changes nothing.
  if (it->invasion && it->invasion->id == inv.id && inv.as_of < it->invasion->as_of) return;
  it->last_update = inv.as_of;
  it->invasion = std::move(inv);
}

http::client_options stream_options(watcher_options const& o) {
  auto h = o.polling.http;
  if (!o.polling.user_agent.empty()) h.user_agent = o.polling.user_agent;
  // The longest silence accepted on an open stream: servers send heartbeats well within it.
  h.read_timeout = std::max(o.polling.http.read_timeout, milliseconds{1'000});
  h.max_idle_per_host = 0;  // a stream's connection is never handed to another request
  return h;
}

// What one stream connection has seen: events that came while the districts were being fetched
// wait until the snapshot they apply to is there.
struct stream_state {
  bool resynced = false;
  std::vector<detail::sse_event> pending;
};

}  // namespace

struct watcher::impl {
  watcher_options options;
  std::string base;
  clock const& time;
  sdk::io_thread io;
  sdk::pipeline pipe;
  http::client stream_http;
  snapshot_differ differ;
  event_handler on_event;
  error_handler on_error;
  std::atomic<bool> stopping{false};
  std::atomic<watch_source> source{watch_source::starting};
  mutable std::mutex mutex;
  snapshot latest;  // guarded by mutex
  // Touched on the io thread only.
  std::optional<asio::steady_timer> pause_timer;
  std::shared_ptr<http::abort_handle> stream_abort;
  detail::sse_parser stream_parser;

  explicit impl(watcher_options o)
      : options(std::move(o)),
        base(detail::checked_base_url(options.base_url.empty() ? default_base(options.game) : options.base_url,
                                      "watcher")),
        time(options.polling.time ? *options.polling.time : clock::system()),
        pipe(io.executor(), pipeline_options_of(options.polling, base), error_from_answer),
        stream_http(io.executor(), stream_options(options)),
        differ(options.differ) {}
  ~impl() { io.stop(); }

  std::int64_t now() const { return unix_seconds(time.now()); }

  void publish(snapshot const& s) {
    auto events = differ.update(s);
    {
      std::lock_guard lock{mutex};
      latest = differ.current();
    }
    for (auto const& e : events) {
      if (stopping) return;
      if (on_event) on_event(e);
    }
  }

  void report(error const& e) {
    if (on_error && !stopping) on_error(e);
  }

  asio::awaitable<void> pause(milliseconds d) {
    if (stopping) co_return;
    pause_timer.emplace(co_await asio::this_coro::executor);
    pause_timer->expires_after(std::max(d, milliseconds{1}));
    co_await pause_timer->async_wait(asio::as_tuple(asio::use_awaitable));
  }

  // ---- polling ----

  std::vector<std::string> poll_paths() const {
    if (options.game == game::ttcc) return {"/api/v1/districts.js"};
    return {"/api/population", "/api/invasions"};
  }

  asio::awaitable<api_result<sdk::response>> fetch(std::string path, sdk::cache_mode mode = sdk::cache_mode::use) {
    sdk::request req{.target = std::move(path), .cache = mode};  // named: see ttr_client.cpp
    co_return co_await pipe.send(std::move(req));
  }

  asio::awaitable<void> poll_once() {
    snapshot s;
    s.taken = now();
    if (options.game == game::ttcc) {
      auto got = co_await fetch("/api/v1/districts.js");
      if (!got) co_return report(got.error());
      auto parsed = parse_ttcc_districts(got->body());
      if (!parsed) co_return report(detail::decode_failure("/api/v1/districts.js", got->body(), "unexpected JSON"));
      s.districts = std::move(parsed->districts);
    } else {
      auto pop_body = co_await fetch("/api/population");
      if (!pop_body) co_return report(pop_body.error());
      auto inv_body = co_await fetch("/api/invasions");
      if (!inv_body) co_return report(inv_body.error());
      auto pop = parse_ttr_population(pop_body->body());
      auto inv = parse_ttr_invasions(inv_body->body());
      if (!pop || !inv) {
        auto const& bad = !pop ? pop_body->body() : inv_body->body();
        co_return report(detail::decode_failure(!pop ? "/api/population" : "/api/invasions", bad, "unexpected JSON"));
      }
      s.districts = merge_ttr(*pop, *inv).districts;
    }
    publish(s);
  }

  milliseconds poll_delay() {
    milliseconds wait = options.poll_interval;
    for (auto const& path : poll_paths()) wait = std::max(wait, pipe.wait_before(path));
    return wait;
  }

  // ---- stream ----

  // What happened before the stream opened: the districts as they are now; then the events that
  // arrived meanwhile.
  asio::awaitable<void> resync(std::shared_ptr<stream_state> state) {
    auto got = co_await fetch("/api/v2/districts", sdk::cache_mode::refresh);
    if (got) {
      if (auto parsed = parse_v2_districts(got->body())) {
        snapshot s;
        s.taken = now();
        s.districts = std::move(parsed->districts);
        publish(s);
      }
    } else {
      report(got.error());
    }
    state->resynced = true;
    apply_events(state->pending);
    state->pending.clear();
  }

  void apply_events(std::vector<detail::sse_event> const& events) {
    if (events.empty() || stopping) return;
    snapshot s = differ.current();
    s.taken = now();
    for (auto const& e : events) apply(s, e);
    publish(s);
  }

  // Reads until the stream breaks; nullopt when the server has no stream at all.
  asio::awaitable<std::optional<error>> stream_session(std::string last_id) {
    stream_abort = std::make_shared<http::abort_handle>();
    stream_parser = detail::sse_parser{};
    auto state = std::make_shared<stream_state>();
    auto ex = co_await asio::this_coro::executor;
    detail::sse_handlers handlers;
    handlers.on_open = [this, state, ex] {
      source = watch_source::stream;
      asio::co_spawn(ex, resync(state), asio::detached);
    };
    handlers.on_events = [this, state](std::vector<detail::sse_event>& events) {
      if (!state->resynced) {
        std::move(events.begin(), events.end(), std::back_inserter(state->pending));
        return;
      }
      apply_events(events);
    };
    auto ended = co_await detail::read_event_stream(stream_http, base + "/api/v2/invasions/stream", std::move(last_id),
                                                    stream_abort, stream_parser, std::move(handlers));
    if (!ended && ended.error().kind == error_kind::not_found) co_return std::nullopt;
    if (!ended) co_return ended.error();
    co_return error{};
  }

  void apply(snapshot& s, detail::sse_event const& e) {
    if (e.type.starts_with("invasion.")) {
      auto inv = parse_v2_invasion(e.data);
      if (!inv) return report(detail::decode_failure("/api/v2/invasions/stream", e.data, "unexpected event"));
      apply_invasion(s, std::move(*inv), e.type == "invasion.ended");
    } else if (e.type == "district.status") {
      // {"district","districtId","status","population"}; "gone" when the server forgot it.
      auto parsed = parse_v2_districts("{\"districts\":[" + rename_district(e.data) + "]}");
      if (!parsed || parsed->districts.empty()) return;
      auto& incoming = parsed->districts.front();
      auto const gone = e.data.find("\"status\":\"gone\"") != std::string::npos;
      auto it = std::find_if(s.districts.begin(), s.districts.end(),
                             [&](district const& d) { return d.name == incoming.name; });
      if (gone) {
        if (it != s.districts.end()) s.districts.erase(it);
      } else if (it == s.districts.end()) {
        s.districts.push_back(std::move(incoming));
      } else {
        it->status = incoming.status;
        it->population = incoming.population;
        if (incoming.status != district_status::online) it->invasion.reset();
      }
    }
  }

  // The status event names its district "district"; the districts parser reads "name".
  static std::string rename_district(std::string data) {
    auto const at = data.find("\"district\":");
    if (at != std::string::npos) data.replace(at, 11, "\"name\":");
    return data;
  }

  asio::awaitable<api_result<void>> main_loop() {
    bool try_stream = options.stream != stream_mode::never;
    unsigned failures = 0;
    std::string last_id;
    while (!stopping) {
      if (try_stream) {
        auto broke = co_await stream_session(last_id);
        if (!stream_parser.last_id().empty()) last_id = stream_parser.last_id();
        stream_abort.reset();
        if (stopping) break;
        if (!broke) {
          if (options.stream == stream_mode::always) {
            error e;
            e.kind = error_kind::not_found;
            e.message = "the server offers no event stream";
            e.path = "/api/v2/invasions/stream";
            co_return sdk::failure<void>(std::move(e));
          }
          try_stream = false;
          continue;
        }
        report(*broke);
        // Reconnect after the server's `retry:` (or ours), longer after repeated failures.
        ++failures;
        auto const delay = options.reconnect_delay * std::min(1u << std::min(failures - 1, 6u), 64u);
        co_await pause(delay);
        continue;
      }
      source = watch_source::polling;
      co_await poll_once();
      co_await pause(poll_delay());
    }
    co_return api_result<void>{};
  }
};

watcher::watcher(watcher_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
watcher::~watcher() { stop(); }

api_result<void> watcher::run(event_handler on_event, error_handler on_error) {
  impl_->on_event = std::move(on_event);
  impl_->on_error = std::move(on_error);
  if (impl_->stopping) return {};
  return impl_->io.wait(impl_->main_loop());
}

void watcher::stop() {
  if (impl_->stopping.exchange(true)) return;
  auto* i = impl_.get();
  asio::post(i->io.executor(), [i] {
    if (i->pause_timer) i->pause_timer->cancel();
    if (i->stream_abort) i->stream_abort->abort();
  });
}

watch_source watcher::source() const noexcept { return impl_->source.load(); }

snapshot watcher::current() const {
  std::lock_guard lock{impl_->mutex};
  return impl_->latest;
}

watcher_options const& watcher::options() const noexcept { return impl_->options; }

}  // namespace overworld::toon
