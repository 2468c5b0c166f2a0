// Polite polling, shared by the TTR and TTCC clients and the watcher. Per URL it remembers the last
// good answer with its ETag / Last-Modified and how long it stays fresh (Cache-Control max-age):
//  - a GET while the answer is fresh is answered from memory, no request sent;
//  - after that, the request is conditional (If-None-Match / If-Modified-Since) and a 304 reuses
//    the remembered body;
//  - failures (5xx, timeouts, dropped connections) and 429s push the URL's next request back
//    (exponential back-off with full jitter, or the server's Retry-After when longer); a call
//    waits that out and tries again, up to `max_attempts`, unless the wait is longer than
//    `max_wait`, in which case it returns the error at once;
//  - an optional client-side limit (TTCC documents 10 requests per 60 s) holds requests back
//    before the server has to refuse them;
//  - every request carries a descriptive User-Agent, as both games ask.
//
// The fetcher lives on one executor (the owning client's thread); it is not thread-safe.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/http/client.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/toon/errors.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace overworld::toon {

/// The User-Agent sent unless the options say otherwise.
inline constexpr std::string_view default_user_agent =
    "overworld-toon/0.1 (liboverworld Toontown SDK; +https://github.com/overworld/overworld)";

struct polling_options {
  std::string user_agent{default_user_agent};  ///< replaces http.user_agent
  http::client_options http;                   ///< timeouts, TLS, pool and size limits
  /// No two requests to one URL closer than this, whatever max-age says (TTCC asks 5 s for its
  /// districts). 0: only max-age counts.
  std::chrono::milliseconds min_interval{0};
  std::chrono::milliseconds initial_backoff{1'000};  ///< ceiling of the first back-off delay
  std::chrono::milliseconds max_backoff{300'000};    ///< no ceiling grows past this
  double multiplier = 2.0;
  unsigned max_attempts = 3;  ///< tries per call for GETs that failed transiently or got 429
  /// The longest a call sleeps (back-off, Retry-After, the client-side limit) before a try; a
  /// longer wait returns the error instead.
  std::chrono::milliseconds max_wait{30'000};
  /// A limit on every request this client sends to the API's host; nullopt: none.
  std::optional<policy::rate_limit> rate_limit;
  /// Answer fresh GETs from memory (conditional requests are made either way).
  bool honour_max_age = true;
  clock const* time = nullptr;     ///< nullptr: clock::system()
  std::function<double()> random;  ///< uniform in [0, 1) for the jitter; empty: a per-thread generator
};

/// How one GET uses what the fetcher remembers.
enum class fetch_mode {
  polite,      ///< fresh answer from memory, otherwise a conditional request
  revalidate,  ///< always a (conditional) request
};

/// A successful GET: the answer, or the remembered one after a 304 or while fresh.
struct fetched {
  std::shared_ptr<http::client_response const> response;  ///< status 200…299
  bool from_memory = false;                               ///< no request was sent: max-age had not run out
  bool not_modified = false;                              ///< a request was sent and the server answered 304
  std::chrono::milliseconds fresh_for{0};                 ///< what max-age says is left from now

  std::string_view body() const noexcept { return response ? std::string_view{response->body} : std::string_view{}; }
};

class fetcher {
 public:
  struct stats {
    std::uint64_t requests = 0;      ///< sent on the wire
    std::uint64_t from_memory = 0;   ///< answered without a request
    std::uint64_t not_modified = 0;  ///< 304s
    std::uint64_t retries = 0;
    std::uint64_t throttled = 0;  ///< 429s received
  };

  fetcher(boost::asio::any_io_executor executor, polling_options options);
  ~fetcher();
  fetcher(fetcher const&) = delete;
  fetcher& operator=(fetcher const&) = delete;

  /// A GET of an absolute URL, politely (see above). `headers` are added to the request.
  boost::asio::awaitable<api_result<fetched>> get(std::string url, fetch_mode mode = fetch_mode::polite,
                                                  std::vector<std::pair<std::string, std::string>> headers = {});
  /// A POST (never retried, never remembered). Any answer with a status comes back as a
  /// response, errors included: the caller knows how its API words them. Transport failures are
  /// errors. The client-side limit and a pending Retry-After for the URL still apply.
  boost::asio::awaitable<api_result<http::client_response>> post(
      std::string url, std::string content_type, std::string body,
      std::vector<std::pair<std::string, std::string>> headers = {});

  /// How long until a GET of `url` would send a request (0 when it would now): the rest of its
  /// max-age, the minimum interval, or a back-off after failures. What a poll loop sleeps.
  std::chrono::milliseconds wait_before(std::string_view url) const;
  /// Forgets what is remembered of every URL.
  void clear();
  stats statistics() const noexcept;
  polling_options const& options() const noexcept;
  http::client& http() noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One io_context thread owned by a client. Calls run there; wait() blocks another thread on one.
class io_thread {
 public:
  io_thread();
  ~io_thread();  ///< stops the loop; work still pending is abandoned
  io_thread(io_thread const&) = delete;
  io_thread& operator=(io_thread const&) = delete;

  boost::asio::any_io_executor executor() const;
  bool running_here() const noexcept;

  /// Runs `op` on the thread and blocks until it is done. Throws std::logic_error when called
  /// from the thread itself (it would wait for itself).
  template <class T>
  T wait(boost::asio::awaitable<T> op) {
    if (running_here()) throw std::logic_error("overworld::toon: wait() called on the client's own thread");
    return boost::asio::co_spawn(executor(), std::move(op), boost::asio::use_future).get();
  }

  /// Stops the loop and joins the thread (the destructor does it too). Pending work is abandoned.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::toon
