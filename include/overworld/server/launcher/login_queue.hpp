// TTR's login queue: when logins come faster than the game lets players in (`rate` per `window`),
// a login that passed every check waits in line with a queue token and polls with it
// (`success":"delayed"`). The line is bounded (`max_length`); a place not polled for
// `ticket_lifetime` is given up, and so is an admission nobody collects in that time.
#pragma once

#include <overworld/core/clock.hpp>
#include <overworld/policy/rate_limiter.hpp>
#include <overworld/server/launcher/tokens.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace overworld::launcher {

struct login_queue_options {
  std::size_t rate = 0;  ///< logins let in per window; 0: no queue, every login is let in at once
  std::chrono::milliseconds window{1000};
  std::size_t max_length = 1000;                      ///< places in line; beyond, a login is refused
  std::chrono::milliseconds ticket_lifetime{60'000};  ///< a place (or an admission) not polled for this long is dropped
};

class login_queue {
 public:
  enum class state { admitted, waiting, full, unknown };
  struct place {
    state is = state::unknown;
    token_owner owner{};       ///< admitted
    std::string token{};       ///< waiting: the queue token to poll with
    std::size_t position = 0;  ///< waiting: 1 for the first in line
    std::int64_t eta = 0;      ///< waiting: seconds until it is let in, at the configured rate
  };

  explicit login_queue(login_queue_options options, clock const& time = clock::system());

  /// Admitted at once when nobody waits and the rate allows; else waiting with a new token; full
  /// when `max_length` wait already.
  place enter(token_owner owner);
  /// admitted (once), waiting (the same token), or unknown (never issued, given up, or collected).
  place poll(std::string_view token);
  std::size_t waiting();

 private:
  struct ticket {
    std::string hash;
    token_owner owner;
    clock::steady_time last_seen;
  };
  struct admission {
    token_owner owner;
    clock::steady_time deadline;
  };
  void advance(clock::steady_time now);  // mutex_ held: drops stale places, lets the first in as the rate allows
  std::int64_t eta(std::size_t position) const noexcept;

  login_queue_options options_;
  clock const& clock_;
  policy::sliding_window_limiter admissions_;
  std::mutex mutex_;
  std::deque<ticket> line_;
  std::unordered_map<std::string, admission> admitted_;  // by token hash
};

}  // namespace overworld::launcher
