#include <overworld/sdk/pipeline.hpp>
#include <overworld/sdk/single_flight.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <stdexcept>

namespace overworld::sdk {
namespace {

namespace asio = boost::asio;
using response_ptr = std::shared_ptr<http::client_response const>;
using std::chrono::milliseconds;

std::string trimmed_base(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.empty() && !http::parse_url(base)) throw std::invalid_argument("unusable base URL \"" + base + "\"");
  return base;
}

http::client_options http_options(pipeline_options const& o) {
  auto h = o.http;
  if (!o.user_agent.empty()) h.user_agent = o.user_agent;
  return h;
}

pacer_options pacing_of(pipeline_options const& o) {
  pacer_options p;
  p.min_interval = o.min_interval;
  p.remember_failures = o.remember_failures;
  p.backoff = o.backoff;
  return p;
}

bool is_success(unsigned status) noexcept { return status >= 200 && status < 300; }

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
  if (d.count() <= 0) co_return;
  asio::steady_timer timer{co_await asio::this_coro::executor};
  timer.expires_after(d);
  co_await timer.async_wait(asio::use_awaitable);
}

error held_back(std::string_view path, std::string message, milliseconds wait) {
  error e;
  e.kind = error_kind::throttled;
  e.message = std::move(message);
  e.path = std::string{path};
  e.retry_after = std::chrono::ceil<std::chrono::seconds>(wait);
  return e;
}

}  // namespace

struct pipeline::impl {
  asio::any_io_executor executor;
  pipeline_options options;
  error_mapper map;
  std::string base;
  clock const& time;
  http::client http;
  response_cache cache;
  key_limiter limiter;
  request_pacer pacer;
  std::optional<policy::sliding_window_limiter> window;
  single_flight<api_result<response>> flights;
  client_metrics measured;
  bool const use_keys;
  std::atomic<std::uint64_t> calls{0}, sent{0}, cache_hits{0}, not_modified{0}, retries{0}, throttled{0};

  impl(asio::any_io_executor ex, pipeline_options o, error_mapper m)
      : executor(std::move(ex)),
        options(std::move(o)),
        map(std::move(m)),
        base(trimmed_base(options.base_url)),
        time(options.time ? *options.time : clock::system()),
        http(executor, http_options(options)),
        cache(options.cache, time),
        limiter(options.keys, options.limiter, time),
        pacer(pacing_of(options), time),
        use_keys(!limiter.keys().empty() || options.keys_required) {
    if (options.request_limit) window.emplace(*options.request_limit, time);
  }

  bool caches(request const& req, cache_mode mode) const noexcept {
    return options.cache_enabled && req.method == http::verb::get && mode != cache_mode::bypass && !req.any_status;
  }

  void notify(http::verb method, std::string_view path, unsigned status, unsigned attempt,
              std::chrono::nanoseconds latency, error const* failure) {
    if (options.on_response.empty()) return;
    response_event ev{method, path, status, attempt, attempt == 0, latency, failure};
    for (auto const& hook : options.on_response) hook(ev);
  }

  // A stored answer (from the cache, or just stored) as the outcome of a call.
  api_result<response> outcome(response_ptr r, std::chrono::seconds max_age, bool from_cache, std::string_view path) {
    if (is_success(r->status)) return response{r->status, std::move(r), max_age, from_cache, false};
    return failure<response>(map(*r, path));
  }

  call perform(request req) {
    ++calls;
    measured.call();
    auto r = co_await lookup(std::move(req));
    if (!r) measured.failed(r.error().kind);
    co_return r;
  }

  call lookup(request req) {
    auto mode = req.cache;
    if (!options.honour_max_age && mode == cache_mode::use) mode = cache_mode::refresh;
    bool const cached = caches(req, mode);
    std::string url = base + req.target;
    if (cached && mode == cache_mode::use) {
      if (auto hit = cache.get(url)) {
        ++cache_hits;
        measured.cache_hit();
        auto r = outcome(hit->response, hit->expires_in, true, req.target);
        if (!options.on_response.empty()) {
          std::optional<error> failed;
          if (!r) failed = r.error();
          notify(req.method, req.target, hit->response->status, 0, {}, failed ? &*failed : nullptr);
        }
        co_return r;
      }
      measured.cache_miss();
    }
    if (req.method != http::verb::get) co_return co_await fetch(std::move(req), std::move(url), cached);
    // Run once, by the call that leads the flight: the request and URL move on into fetch.
    auto work = [this, req = std::move(req), target = url, cached]() mutable {
      return fetch(std::move(req), std::move(target), cached);
    };
    auto op = flights.run(std::move(url), std::move(work));
    co_return co_await std::move(op);
  }

  // Waits out the URL's pacing and the request limit; the error when that is longer than max_wait.
  // `url` and `path` belong to the caller, which awaits this at once.
  asio::awaitable<std::optional<error>> clear_to_send(std::string const& url, std::string const& path) {
    if (pacer.tracking()) {
      auto const wait = pacer.wait_before(url);
      if (wait > options.max_wait) {
        co_return held_back(path, "backing off for " + std::to_string(wait.count()) + " ms", wait);
      }
      co_await sleep_for(wait);
    }
    if (!window) co_return std::nullopt;
    for (;;) {
      auto const d = window->check("");
      if (d.allowed) co_return std::nullopt;
      if (d.retry_after > options.max_wait) {
        auto const& limit = window->limit();
        co_return held_back(path,
                            "client-side limit of " + std::to_string(limit.limit) + " requests per " +
                                std::to_string(limit.window.count() / 1000) + " s reached",
                            d.retry_after);
      }
      co_await sleep_for(std::max(d.retry_after, milliseconds{1}));
    }
  }

  // `path` belongs to the caller, which awaits this at once.
  asio::awaitable<api_result<std::string>> acquire_key(std::string const& path) {
    for (;;) {
      auto grant = limiter.acquire();
      if (grant) co_return std::move(grant.key);
      auto const wait = std::chrono::ceil<milliseconds>(grant.wait);
      if (wait > options.max_wait) {
        co_return failure<std::string>(held_back(path, "every key is parked or out of tokens", wait));
      }
      co_await sleep_for(std::clamp(grant.wait, std::chrono::nanoseconds{milliseconds{1}},
                                    std::chrono::nanoseconds{std::chrono::seconds{1}}));
    }
  }

  http::client_request outgoing(request const& req, std::string const& url, std::string const& key,
                                std::optional<response_cache::validators> const& stored) {
    http::client_request out;
    out.method = req.method;
    out.url = url;
    out.headers.reserve(req.headers.size() + 4);
    if (!key.empty()) out.headers.emplace_back("Authorization", "Bearer " + key);
    if (!options.accept.empty()) out.headers.emplace_back("Accept", options.accept);
    if (!req.content_type.empty()) out.headers.emplace_back("Content-Type", req.content_type);
    if (stored) {
      if (!stored->etag.empty()) out.headers.emplace_back("If-None-Match", stored->etag);
      if (!stored->last_modified.empty()) out.headers.emplace_back("If-Modified-Since", stored->last_modified);
    }
    out.headers.insert(out.headers.end(), req.headers.begin(), req.headers.end());
    out.body = req.body;
    for (auto const& hook : options.on_request) hook(out);
    return out;
  }

  call fetch(request req, std::string url, bool cached) {
    unsigned attempt = 0;
    unsigned throttles = 0;
    for (;;) {
      if (auto refused = co_await clear_to_send(url, req.target)) co_return failure<response>(std::move(*refused));
      std::string key;
      if (use_keys) {
        auto granted = co_await acquire_key(req.target);
        if (!granted) co_return failure<response>(granted.error());
        key = std::move(*granted);
      }
      std::optional<response_cache::validators> stored;
      if (cached && options.conditional_requests) stored = cache.revalidation(url);
      auto out = outgoing(req, url, key, stored);
      ++sent;
      auto const started = std::chrono::steady_clock::now();
      auto answer = co_await http.request(std::move(out));
      auto const latency = std::chrono::steady_clock::now() - started;
      measured.request(latency);
      unsigned const tries = attempt + throttles + 1;

      error e;
      if (!answer) {
        e = error_from_transport(answer.error(), req.target);
        notify(req.method, req.target, 0, tries, latency, &e);
      } else {
        auto const status = answer->status;
        if (status != 429 && !key.empty()) limiter.report_success(key);
        if (status == 304 && stored) {
          ++not_modified;
          pacer.succeeded(url);
          notify(req.method, req.target, status, tries, latency, nullptr);
          auto renewed = cache.refresh(url, *answer);
          if (renewed)
            co_return response{renewed->response->status, renewed->response, renewed->expires_in, false, true};
          co_return response{stored->response->status, stored->response, std::chrono::seconds{0}, false, true};
        }
        auto shared = http.share(std::move(*answer));
        if (status == 429) {
          ++throttled;
          e = map(*shared, req.target);
          if (!e.retry_after) e.retry_after = parse_retry_after(shared->header("Retry-After").value_or(""));
          if (!key.empty()) {
            std::optional<milliseconds> park;
            if (e.retry_after) park = *e.retry_after;
            limiter.report_throttled(key, park);
          }
          notify(req.method, req.target, status, tries, latency, &e);
          if (req.any_status) {
            (void)pacer.failed(url, options.retry.max_attempts, e.retry_after);
            co_return response{status, std::move(shared), std::chrono::seconds{0}, false, false};
          }
          if (!key.empty()) {
            if (++throttles <= options.throttle_retries) continue;
            co_return failure<response>(std::move(e));
          }
        } else if (is_success(status) || req.any_status) {
          pacer.succeeded(url);
          notify(req.method, req.target, status, tries, latency, nullptr);
          if (cached) (void)cache.put(req.method, url, shared, req.cache);
          // A POST answer is never reused, whatever its header says.
          auto max_age = std::chrono::seconds{0};
          if (req.method == http::verb::get && !req.any_status) {
            max_age = parse_max_age(shared->header("Cache-Control").value_or("")).value_or(std::chrono::seconds{0});
          }
          co_return response{status, std::move(shared), max_age, false, false};
        } else {
          if (cached) (void)cache.put(req.method, url, shared, req.cache);
          e = map(*shared, req.target);
          notify(req.method, req.target, status, tries, latency, &e);
        }
      }

      ++attempt;
      bool const throttled_without_keys = e.kind == error_kind::throttled && key.empty();
      bool const transient = is_retryable(e) || throttled_without_keys;
      bool const again = options.retry.allows(attempt, req.method, e) ||
                         (throttled_without_keys && attempt < options.retry.max_attempts && is_idempotent(req.method));
      if (!again || req.any_status) {
        if (transient) {
          (void)pacer.failed(url, attempt, e.retry_after);
        } else {
          pacer.refused(url);
        }
        co_return failure<response>(std::move(e));
      }
      auto const delay = pacer.failed(url, attempt, e.retry_after);
      if (delay > options.max_wait) co_return failure<response>(std::move(e));
      ++retries;
      co_await sleep_for(delay);
    }
  }
};

pipeline::pipeline(asio::any_io_executor executor, pipeline_options options, error_mapper map)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options), std::move(map))) {}

pipeline::~pipeline() = default;

pipeline::call pipeline::send(request req) { return impl_->perform(std::move(req)); }

std::string pipeline::url_of(std::string_view target) const { return impl_->base + std::string{target}; }

std::chrono::milliseconds pipeline::wait_before(std::string_view target) {
  auto& s = *impl_;
  auto const url = url_of(target);
  auto wait = s.pacer.wait_before(url);
  if (s.options.cache_enabled && s.options.honour_max_age) wait = std::max<milliseconds>(wait, s.cache.fresh_for(url));
  return wait;
}

pipeline::stats pipeline::statistics() const noexcept {
  auto const& i = *impl_;
  return {
      i.calls.load(),   i.sent.load(),     i.cache_hits.load(), i.not_modified.load(), i.flights.statistics().joined,
      i.retries.load(), i.throttled.load()};
}

metrics_snapshot pipeline::metrics() const {
  return impl_->measured.snapshot(impl_->limiter.keys(), impl_->limiter.states());
}

std::string pipeline::prometheus_text(std::string_view prefix) const {
  return impl_->measured.render(metrics(), prefix);
}

client_metrics& pipeline::recorder() noexcept { return impl_->measured; }
response_cache& pipeline::cache() noexcept { return impl_->cache; }
key_limiter& pipeline::keys() noexcept { return impl_->limiter; }
request_pacer& pipeline::pacer() noexcept { return impl_->pacer; }
http::client& pipeline::http() noexcept { return impl_->http; }
pipeline_options const& pipeline::options() const noexcept { return impl_->options; }
asio::any_io_executor pipeline::executor() const noexcept { return impl_->executor; }

}  // namespace overworld::sdk
