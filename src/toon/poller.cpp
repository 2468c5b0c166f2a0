#include "answers.hpp"
#include "json_read.hpp"

#include <overworld/http/cache_control.hpp>
#include <overworld/http/message.hpp>
#include <overworld/toon/poller.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <thread>
#include <unordered_map>

namespace overworld::toon {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using response_ptr = std::shared_ptr<http::client_response const>;

double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>{0.0, 1.0}(engine);
}

milliseconds until(clock::steady_time t, clock::steady_time now) {
  return t > now ? std::chrono::ceil<milliseconds>(t - now) : milliseconds{0};
}

asio::awaitable<void> sleep_for(milliseconds d) {
  if (d.count() <= 0) co_return;
  asio::steady_timer timer{co_await asio::this_coro::executor};
  timer.expires_after(d);
  co_await timer.async_wait(asio::use_awaitable);
}

bool transient(unsigned status) { return status >= 500 || status == 408; }

std::string host_of(std::string_view url) {
  auto parts = http::parse_url(url);
  return parts ? parts->host + ':' + std::to_string(parts->port) : std::string{url};
}

// An io_context whose pending work can be destroyed while what that work refers to still exists.
class owned_context : public asio::io_context {
 public:
  using asio::io_context::io_context;
  void abandon_pending() { shutdown(); }
};

}  // namespace

// ---- io_thread ----

struct io_thread::impl {
  owned_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::thread thread;
  std::atomic<bool> stopped{false};

  impl() {
    thread = std::thread{[this] { ioc.run(); }};
  }
};

io_thread::io_thread() : impl_(std::make_unique<impl>()) {}
io_thread::~io_thread() { stop(); }

void io_thread::stop() {
  if (impl_->stopped.exchange(true)) return;
  impl_->work.reset();
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->ioc.abandon_pending();
}

asio::any_io_executor io_thread::executor() const { return impl_->ioc.get_executor(); }
bool io_thread::running_here() const noexcept { return impl_->ioc.get_executor().running_in_this_thread(); }

// ---- fetcher ----

struct fetcher::impl {
  struct entry {
    response_ptr last;  // the last 2xx answer to a GET
    std::string etag;
    std::string last_modified;
    clock::steady_time fresh_until{};
    clock::steady_time not_before{};  // min_interval, back-off, Retry-After
    unsigned failures = 0;
  };

  polling_options options;
  clock const& time;
  http::client http;
  std::optional<policy::sliding_window_limiter> limiter;
  std::unordered_map<std::string, std::shared_ptr<entry>> entries;
  std::atomic<std::uint64_t> requests{0}, from_memory{0}, not_modified{0}, retries{0}, throttled{0};

  impl(asio::any_io_executor ex, polling_options o)
      : options(std::move(o)),
        time(options.time ? *options.time : clock::system()),
        http(std::move(ex), detail::http_options(options)) {
    if (options.rate_limit) limiter.emplace(*options.rate_limit, time);
  }

  std::shared_ptr<entry> at(std::string const& url) {
    auto& e = entries[url];
    if (!e) e = std::make_shared<entry>();
    return e;
  }

  // Full jitter: uniform in [0, min(max, initial * multiplier^(failures-1))].
  milliseconds backoff(unsigned failures) const {
    double ceiling = static_cast<double>(options.initial_backoff.count());
    double const max = static_cast<double>(options.max_backoff.count());
    for (unsigned i = 1; i < failures && ceiling < max; ++i) ceiling *= std::max(options.multiplier, 1.0);
    double const r = std::clamp(options.random ? options.random() : default_random(), 0.0, 1.0);
    return milliseconds{static_cast<std::int64_t>(std::floor(r * std::min(ceiling, max)))};
  }

  // Waits for the URL's back-off and the client-side limit; an error when that is too long.
  asio::awaitable<std::optional<error>> clear_to_send(std::shared_ptr<entry> e, std::string url) {
    auto const wait = until(e->not_before, time.steady_now());
    if (wait > options.max_wait) {
      error out;
      out.kind = error_kind::rate_limited;
      out.message = "backing off for " + std::to_string(wait.count()) + " ms";
      out.url = url;
      out.retry_after = std::chrono::ceil<std::chrono::seconds>(wait);
      co_return out;
    }
    co_await sleep_for(wait);
    if (!limiter) co_return std::nullopt;
    auto const key = host_of(url);
    for (;;) {
      auto const d = limiter->check(key);
      if (d.allowed) co_return std::nullopt;
      if (d.retry_after > options.max_wait) {
        error out;
        out.kind = error_kind::rate_limited;
        out.message = "client-side limit of " + std::to_string(limiter->limit().limit) + " requests per " +
                      std::to_string(limiter->limit().window.count() / 1000) + " s reached";
        out.url = url;
        out.retry_after = std::chrono::ceil<std::chrono::seconds>(d.retry_after);
        co_return out;
      }
      co_await sleep_for(std::max(d.retry_after, milliseconds{1}));
    }
  }

  void remember(entry& e, http::client_response const& r, response_ptr stored) {
    auto const now = time.steady_now();
    if (stored) e.last = std::move(stored);
    if (auto etag = r.header("etag")) e.etag.assign(*etag);
    if (auto lm = r.header("last-modified")) e.last_modified.assign(*lm);
    std::chrono::seconds age{0};
    if (auto cc = r.header("cache-control")) age = http::parse_max_age(*cc).value_or(std::chrono::seconds{0});
    e.fresh_until = now + age;
    e.not_before = now + options.min_interval;
    e.failures = 0;
  }

  // A failure another try may fix: pushes the URL back and says how long, or nullopt to give up.
  std::optional<milliseconds> defer(entry& e, unsigned attempt, std::optional<std::chrono::seconds> retry_after) {
    ++e.failures;
    milliseconds delay = backoff(e.failures);
    if (retry_after) delay = std::max<milliseconds>(delay, *retry_after);
    e.not_before = time.steady_now() + delay;
    if (attempt >= options.max_attempts || delay > options.max_wait) return std::nullopt;
    return delay;
  }

  asio::awaitable<api_result<fetched>> get(std::string url, fetch_mode mode,
                                           std::vector<std::pair<std::string, std::string>> headers) {
    auto e = at(url);
    for (unsigned attempt = 1;; ++attempt) {
      auto const now = time.steady_now();
      if (mode == fetch_mode::polite && options.honour_max_age && e->last && now < e->fresh_until) {
        ++from_memory;
        co_return fetched{e->last, true, false, until(e->fresh_until, now)};
      }
      if (auto refused = co_await clear_to_send(e, url)) co_return detail::failure<fetched>(std::move(*refused));

      http::client_request req;
      req.method = http::verb::get;
      req.url = url;
      req.headers = headers;
      req.headers.emplace_back("Accept", "application/json");
      if (e->last) {
        if (!e->etag.empty()) req.headers.emplace_back("If-None-Match", e->etag);
        if (!e->last_modified.empty()) req.headers.emplace_back("If-Modified-Since", e->last_modified);
      }
      ++requests;
      auto answer = co_await http.request(std::move(req));

      error failed;
      if (!answer) {
        failed = detail::error_from_transport(answer.error(), url);
        if (answer.error() == errc::tls_error || answer.error() == errc::too_large ||
            answer.error() == errc::invalid_argument) {
          co_return detail::failure<fetched>(std::move(failed));
        }
      } else if (answer->status == 304 && e->last) {
        ++not_modified;
        remember(*e, *answer, nullptr);
        co_return fetched{e->last, false, true, until(e->fresh_until, time.steady_now())};
      } else if (answer->status >= 200 && answer->status < 300) {
        auto stored = std::make_shared<http::client_response const>(std::move(*answer));
        remember(*e, *stored, stored);
        co_return fetched{stored, false, false, until(e->fresh_until, time.steady_now())};
      } else {
        failed = detail::error_from_answer(answer->status, answer->body, url, answer->header("retry-after"));
        if (answer->status == 429) {
          ++throttled;
        } else if (!transient(answer->status)) {
          e->not_before = time.steady_now() + options.min_interval;
          co_return detail::failure<fetched>(std::move(failed));
        }
      }
      auto const delay = defer(*e, attempt, failed.retry_after);
      if (!delay) co_return detail::failure<fetched>(std::move(failed));
      ++retries;
      co_await sleep_for(*delay);
    }
  }

  asio::awaitable<api_result<http::client_response>> post(std::string url, std::string content_type, std::string body,
                                                          std::vector<std::pair<std::string, std::string>> headers) {
    auto e = at(url);
    if (auto refused = co_await clear_to_send(e, url)) {
      co_return detail::failure<http::client_response>(std::move(*refused));
    }
    http::client_request req;
    req.method = http::verb::post;
    req.url = url;
    req.headers = std::move(headers);
    req.headers.emplace_back("Content-Type", std::move(content_type));
    req.headers.emplace_back("Accept", "application/json");
    req.body = std::move(body);
    ++requests;
    auto answer = co_await http.request(std::move(req));
    if (!answer) co_return detail::failure<http::client_response>(detail::error_from_transport(answer.error(), url));
    if (answer->status == 429) {
      ++throttled;
      (void)defer(*e, options.max_attempts, detail::retry_after_seconds(answer->header("retry-after").value_or("")));
    } else {
      e->failures = 0;
    }
    co_return std::move(*answer);
  }
};

fetcher::fetcher(asio::any_io_executor executor, polling_options options)
    : impl_(std::make_unique<impl>(std::move(executor), std::move(options))) {}
fetcher::~fetcher() = default;

asio::awaitable<api_result<fetched>> fetcher::get(std::string url, fetch_mode mode,
                                                  std::vector<std::pair<std::string, std::string>> headers) {
  return impl_->get(std::move(url), mode, std::move(headers));
}

asio::awaitable<api_result<http::client_response>> fetcher::post(
    std::string url, std::string content_type, std::string body,
    std::vector<std::pair<std::string, std::string>> headers) {
  return impl_->post(std::move(url), std::move(content_type), std::move(body), std::move(headers));
}

std::chrono::milliseconds fetcher::wait_before(std::string_view url) const {
  auto const it = impl_->entries.find(std::string{url});
  if (it == impl_->entries.end()) return milliseconds{0};
  auto const now = impl_->time.steady_now();
  auto const& e = *it->second;
  auto const fresh = impl_->options.honour_max_age && e.last ? e.fresh_until : clock::steady_time{};
  return until(std::max(fresh, e.not_before), now);
}

void fetcher::clear() { impl_->entries.clear(); }

fetcher::stats fetcher::statistics() const noexcept {
  auto const& i = *impl_;
  return {i.requests.load(), i.from_memory.load(), i.not_modified.load(), i.retries.load(), i.throttled.load()};
}

polling_options const& fetcher::options() const noexcept { return impl_->options; }
http::client& fetcher::http() noexcept { return impl_->http; }

}  // namespace overworld::toon
