#include <overworld/coc/client.hpp>
#include <overworld/coc/single_flight.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
using response_ptr = std::shared_ptr<http::client_response const>;

api_result<raw_response> failure(error e) {
  return api_result<raw_response>{boost::system::in_place_error, std::move(e)};
}

std::chrono::seconds max_age_of(http::client_response const& r) {
  auto header = r.header("cache-control");
  if (!header) return std::chrono::seconds{0};
  return parse_max_age(*header).value_or(std::chrono::seconds{0});
}

// A stored answer (fresh from the wire or from the cache) as the outcome of a call: 2xx is a
// response, anything else the error it maps to.
api_result<raw_response> outcome(response_ptr r, std::chrono::seconds max_age, bool from_cache,
                                 std::string const& target) {
  if (r->status >= 200 && r->status < 300) return raw_response{r->status, std::move(r), max_age, from_cache};
  return failure(error_from_response(r->status, r->body, target, r->header("retry-after")));
}

std::string trimmed_base(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!http::parse_url(base)) throw std::invalid_argument("coc::client: unusable base URL \"" + base + "\"");
  return base;
}

http::client_options http_options(client_options const& o) {
  auto h = o.http;
  if (!o.user_agent.empty()) h.user_agent = o.user_agent;
  return h;
}

// An io_context whose pending work can be destroyed before the objects that work refers to
// (the HTTP client, the flights) go away, while the context's services still exist.
class owned_context : public asio::io_context {
 public:
  using asio::io_context::io_context;
  void abandon_pending() { shutdown(); }
};

}  // namespace

struct client::impl {
  client_options options;
  std::string base;
  clock const& time;
  owned_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  http::client http;
  response_cache cache;
  key_limiter limiter;
  single_flight<api_result<raw_response>> flights;
  single_flight<api_result<key_provision>> provisions;  // one portal run at a time, shared by all waiting calls
  client_metrics measured;
  std::atomic<std::uint64_t> calls{0}, sent{0}, cache_hits{0}, retries{0}, throttled{0};
  std::atomic<bool> maintenance{false};
  std::thread thread;

  explicit impl(client_options o)
      : options(std::move(o)),
        base(trimmed_base(options.base_url)),
        time(options.time ? *options.time : clock::system()),
        http(ioc.get_executor(), http_options(options)),
        cache(options.cache, time),
        limiter(options.keys, options.limiter, time) {
    if (limiter.keys().empty() && !options.portal) {
      throw std::invalid_argument("coc::client needs at least one API key or developer-portal accounts");
    }
    if (options.portal && options.portal->accounts.empty()) {
      throw std::invalid_argument("coc::client: key management needs at least one developer-portal account");
    }
    thread = std::thread{[this] { ioc.run(); }};
  }

  ~impl() {
    work.reset();
    ioc.stop();
    if (thread.joinable()) thread.join();
    ioc.abandon_pending();
  }

  bool caches(raw_request const& req) const noexcept {
    return options.cache_enabled && req.method == http::verb::get && req.cache != cache_mode::bypass;
  }

  // Runs on the client's thread.
  call perform(raw_request req) {
    ++calls;
    measured.call();
    auto r = co_await lookup(std::move(req));
    if (!r) measured.failed(r.error().kind);
    co_return r;
  }

  call lookup(raw_request req) {
    std::string target = req.path + encode_query(req.query);
    std::string url = base + target;
    if (caches(req)) {
      if (auto hit = cache.get(url, req.cache)) {
        ++cache_hits;
        measured.cache_hit();
        auto r = outcome(hit->response, hit->expires_in, true, target);
        if (!options.on_response.empty()) {
          std::optional<error> e;
          if (!r) e = r.error();
          notify(req.method, target, hit->response->status, 0, std::chrono::nanoseconds{0}, e ? &*e : nullptr);
        }
        co_return r;
      }
      measured.cache_miss();
    }
    if (req.method != http::verb::get) co_return co_await fetch(std::move(req), std::move(url), std::move(target));

    auto work_item = [this, req, url, target] { return fetch(req, url, target); };
    auto op = flights.run(url, std::move(work_item));
    co_return co_await std::move(op);
  }

  void notify(http::verb method, std::string_view target, unsigned status, unsigned attempt,
              std::chrono::nanoseconds latency, error const* failure) {
    if (options.on_response.empty()) return;
    response_event ev{method, target, status, attempt, attempt == 0, latency, failure};
    for (auto const& hook : options.on_response) hook(ev);
  }

  asio::awaitable<api_result<key_provision>> provision() {
    auto op = provisions.run("keys", [this] { return provision_now(); });
    co_return co_await std::move(op);
  }

  asio::awaitable<api_result<key_provision>> provision_now() {
    auto made = co_await provision_keys(http, *options.portal);
    measured.rekeyed();
    if (made && !made->keys.empty()) limiter.replace_keys(made->keys);
    if (made && made->keys.empty()) {
      co_return api_result<key_provision>{boost::system::in_place_error,
                                          decode_error("/apikey/list", "the developer portal gave no usable key", 0)};
    }
    co_return made;
  }

  asio::awaitable<void> sleep(std::chrono::nanoseconds d) {
    asio::steady_timer timer{co_await asio::this_coro::executor};
    timer.expires_after(d);
    co_await timer.async_wait(asio::use_awaitable);
  }

  asio::awaitable<std::string> acquire_key() {
    for (;;) {
      auto grant = limiter.acquire();
      if (grant) co_return std::move(grant.key);
      co_await sleep(std::clamp(grant.wait, std::chrono::nanoseconds{std::chrono::milliseconds{1}},
                                std::chrono::nanoseconds{std::chrono::seconds{1}}));
    }
  }

  call fetch(raw_request req, std::string url, std::string target) {
    unsigned attempt = 0;
    unsigned throttles = 0;
    bool rekeyed = false;
    for (;;) {
      if (options.portal && limiter.keys().empty()) {
        rekeyed = true;
        auto made = co_await provision();
        if (!made) co_return failure(made.error());
      }
      std::string key = co_await acquire_key();
      http::client_request out;
      out.method = req.method;
      out.url = url;
      out.headers.emplace_back("Authorization", "Bearer " + key);
      out.headers.emplace_back("Accept", "application/json");
      if (!req.body.empty() || req.method == http::verb::post) {
        out.headers.emplace_back("Content-Type", "application/json");
        out.body = req.body;
      }
      for (auto const& hook : options.on_request) hook(out);
      ++sent;
      auto const started = std::chrono::steady_clock::now();
      auto answer = co_await http.request(std::move(out));
      auto const latency = std::chrono::steady_clock::now() - started;
      measured.request(latency);
      unsigned const tries = attempt + throttles + 1;

      error e;
      if (!answer) {
        e = error_from_transport(answer.error(), target);
        notify(req.method, target, 0, tries, latency, &e);
      } else if (answer->status == 429) {
        e = error_from_response(answer->status, answer->body, target, answer->header("retry-after"));
        ++throttled;
        notify(req.method, target, answer->status, tries, latency, &e);
        std::optional<std::chrono::milliseconds> park;
        if (e.retry_after) park = *e.retry_after;
        limiter.report_throttled(key, park);
        if (++throttles <= options.throttle_retries) continue;
        co_return failure(std::move(e));
      } else {
        limiter.report_success(key);
        auto const status = answer->status;
        auto const max_age = max_age_of(*answer);
        response_ptr stored = std::make_shared<http::client_response const>(std::move(*answer));
        if (caches(req) && cache.cacheable(req.method, status)) {
          if (auto kept = cache.put(req.method, url, *stored, req.cache)) stored = std::move(kept);
        }
        if (status >= 200 && status < 300) {
          notify(req.method, target, status, tries, latency, nullptr);
          maintenance = false;
          // A POST answer is never reused, whatever its header says.
          auto const fresh_for = req.method == http::verb::get ? max_age : std::chrono::seconds{0};
          co_return outcome(std::move(stored), fresh_for, false, target);
        }
        e = error_from_response(status, stored->body, target, stored->header("retry-after"));
        notify(req.method, target, status, tries, latency, &e);
        if (e.kind == error_kind::maintenance) maintenance = true;
        // The keys were made for another address: make keys for this one and try again, once.
        if (e.kind == error_kind::invalid_ip && options.portal && !rekeyed) {
          rekeyed = true;
          auto made = co_await provision();
          if (!made) co_return failure(made.error());
          continue;
        }
      }

      auto delay = options.retry.next_delay(++attempt, req.method, e);
      if (!delay) co_return failure(std::move(e));
      ++retries;
      co_await sleep(*delay);
    }
  }
};

client::client(client_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
client::~client() = default;

client::call client::send(raw_request req) {
  auto mine = impl_->ioc.get_executor();
  if (mine.running_in_this_thread()) co_return co_await impl_->perform(std::move(req));
  // Hop to the client's thread and back: the HTTP client, the limiter's timers and the flights'
  // leaders all live there.
  auto op = asio::co_spawn(mine, impl_->perform(std::move(req)), asio::use_awaitable);
  co_return co_await std::move(op);
}

client::call client::get_raw(std::string path, query_params query, cache_mode mode) {
  raw_request req;
  req.path = std::move(path);
  req.query = std::move(query);
  req.cache = mode;
  return send(std::move(req));
}

api_result<raw_response> client::wait(call op) {
  if (impl_->ioc.get_executor().running_in_this_thread()) {
    throw std::logic_error("coc::client::wait called on the client's own thread");
  }
  auto future = asio::co_spawn(impl_->ioc, std::move(op), asio::use_future);
  return future.get();
}

asio::awaitable<api_result<key_provision>> client::refresh_keys() {
  if (!impl_->options.portal) {
    co_return api_result<key_provision>{boost::system::in_place_error,
                                        decode_error("/login", "the client has no developer-portal accounts", 0)};
  }
  auto mine = impl_->ioc.get_executor();
  if (mine.running_in_this_thread()) co_return co_await impl_->provision();
  auto op = asio::co_spawn(mine, impl_->provision(), asio::use_awaitable);
  co_return co_await std::move(op);
}

metrics_snapshot client::metrics() const {
  return impl_->measured.snapshot(impl_->limiter.keys(), impl_->limiter.states());
}

std::string client::prometheus_text(std::string_view prefix) const { return impl_->measured.render(metrics(), prefix); }

client::stats client::statistics() const noexcept {
  auto const& i = *impl_;
  return {i.calls.load(),   i.sent.load(),     i.cache_hits.load(), i.flights.statistics().joined,
          i.retries.load(), i.throttled.load()};
}

response_cache::stats client::cache_statistics() const { return impl_->cache.statistics(); }
std::vector<std::string> client::keys() const { return impl_->limiter.keys(); }
std::vector<key_limiter::key_state> client::key_states() const { return impl_->limiter.states(); }
bool client::in_maintenance() const noexcept { return impl_->maintenance.load(); }
void client::clear_cache() { impl_->cache.clear(); }
client_options const& client::options() const noexcept { return impl_->options; }
boost::asio::any_io_executor client::executor() const noexcept { return impl_->ioc.get_executor(); }

void append_paging(query_params& query, paging const& page) {
  if (page.limit) query.emplace_back("limit", std::to_string(*page.limit));
  if (!page.after.empty()) query.emplace_back("after", page.after);
  if (!page.before.empty()) query.emplace_back("before", page.before);
}

std::string encode_query(query_params const& query) {
  std::string out;
  for (auto const& [name, value] : query) {
    out += out.empty() ? '?' : '&';
    out += http::percent_encode(name);
    out += '=';
    out += http::percent_encode(value);
  }
  return out;
}

}  // namespace overworld::coc
