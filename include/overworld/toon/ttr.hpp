// The Toontown Rewritten client: the public world-status endpoints, news, release notes and the
// login flow (username and password, then a ToonGuard / authenticator code when the answer is
// `partial`, then the queue when it is `delayed`).
//
//   overworld::toon::ttr_client ttr;                                // https://www.toontownrewritten.com
//   auto inv = ttr.wait(ttr.invasions());                           // blocking, for scripts
//   for (auto const& i : inv.value().invasions) std::cout << i.district << ": " << i.cog.name << '\n';
//   auto r = co_await ttr.invasions();                              // from a coroutine, any executor
//
// The client owns one io thread where its requests run; coroutine calls can be awaited from any
// executor (the work hops to the client's thread and the result comes back). wait() blocks on a
// call and must not be used on the client's own thread. GETs go through the SDK's pipeline with
// the polite polling options (poller.hpp): fresh answers are reused, repeats are conditional,
// failures back off.
#pragma once

#include <overworld/sdk/runtime.hpp>
#include <overworld/toon/errors.hpp>
#include <overworld/toon/models.hpp>
#include <overworld/toon/poller.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace overworld::toon {

template <class T>
using call = boost::asio::awaitable<api_result<T>>;

struct ttr_options {
  /// Scheme and host (and port, and a path prefix behind a proxy); a trailing "/api" is
  /// dropped. overworld-server's URL works the same.
  std::string base_url = "https://www.toontownrewritten.com";
  polling_options polling;
  /// The shortest time between two polls of the login queue; TTR's `eta` is used when longer,
  /// and the poll never waits more than queue_max_interval (TTR asks for 30 s at most).
  std::chrono::milliseconds queue_min_interval{5'000};
  std::chrono::milliseconds queue_max_interval{30'000};
  /// How many `delayed` answers wait_in_queue() accepts before it gives up (errc::timeout).
  unsigned queue_max_polls = 240;
};

class ttr_client {
 public:
  /// Throws std::invalid_argument for a base URL that is not http(s)://host[:port].
  explicit ttr_client(ttr_options options = {});
  ~ttr_client();
  ttr_client(ttr_client const&) = delete;
  ttr_client& operator=(ttr_client const&) = delete;

  call<toon::invasion_list> invasions();  ///< GET /api/invasions
  call<toon::population> population();    ///< GET /api/population
  /// Population and invasions together, as one list of districts (two GETs).
  call<toon::district_list> districts();
  call<toon::game_status> status();                        ///< GET /api/status
  call<toon::field_office_list> field_offices();           ///< GET /api/fieldoffices
  call<toon::silly_meter> silly_meter();                   ///< GET /api/sillymeter
  call<toon::doodle_list> doodles();                       ///< GET /api/doodles
  call<toon::news_post> news();                            ///< GET /api/news: the newest post
  call<toon::news_post> news_post(std::int64_t id);        ///< GET /api/news/{id}; not_found for `null`
  call<toon::news_list> news_list();                       ///< GET /api/news/list (several MiB)
  call<toon::release_note_list> release_notes();           ///< GET /api/releasenotes
  call<toon::release_note> release_note(std::int64_t id);  ///< GET /api/releasenotes/{id}

  /// POST /api/login?format=json with username and password. Any of the four states is a
  /// success of the call; look at `state`.
  call<toon::ttr_login> login(std::string_view username, std::string_view password);
  /// The second step after `partial`: the code the user typed and the partial answer's
  /// responseToken.
  call<toon::ttr_login> login_2fa(std::string_view app_token, std::string_view auth_token);
  /// One poll of the queue after `delayed`.
  call<toon::ttr_login> login_queue(std::string_view queue_token);
  /// Polls the queue until the answer is no longer `delayed` (waiting between polls as
  /// ttr_options says, keeping the queue token when a later answer omits it). `first` is the
  /// `delayed` answer; any other state is returned as it is.
  call<toon::ttr_login> wait_in_queue(ttr_login first);

  /// Blocks until `op` (a call of this client) is done.
  template <class T>
  api_result<T> wait(call<T> op) {
    return io().wait(std::move(op));
  }

  ttr_options const& options() const noexcept;
  /// calls, sent, cache_hits, not_modified, joined, retries, throttled.
  sdk::pipeline::stats statistics() const;
  sdk::io_thread& io() noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace overworld::toon
