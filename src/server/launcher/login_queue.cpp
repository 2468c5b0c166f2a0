#include <overworld/server/launcher/login_queue.hpp>

#include <algorithm>

namespace overworld::launcher {
namespace {

policy::rate_limit admission_rate(login_queue_options const& o) {
  policy::rate_limit r;
  r.limit = std::max<std::size_t>(o.rate, 1);
  r.window = o.window;
  r.block_after = 0;  // the game's door, not a client: it never blocks
  r.max_tracked = 16;
  return r;
}

}  // namespace

login_queue::login_queue(login_queue_options options, clock const& time)
    : options_(options), clock_(time), admissions_(admission_rate(options_), time) {}

login_queue::place login_queue::enter(token_owner owner) {
  if (options_.rate == 0) return place{state::admitted, std::move(owner)};
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  advance(now);
  if (line_.empty() && admissions_.check("").allowed) return place{state::admitted, std::move(owner)};
  if (line_.size() >= options_.max_length) return place{state::full};
  place p{state::waiting};
  p.token = random_token();
  line_.push_back(ticket{token_digest(p.token), std::move(owner), now});
  p.position = line_.size();
  p.eta = eta(p.position);
  return p;
}

login_queue::place login_queue::poll(std::string_view token) {
  auto const hash = token_digest(token);
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  advance(now);
  if (auto it = admitted_.find(hash); it != admitted_.end()) {
    place p{state::admitted, std::move(it->second.owner)};
    admitted_.erase(it);
    return p;
  }
  auto const it = std::find_if(line_.begin(), line_.end(), [&](ticket const& t) { return t.hash == hash; });
  if (it == line_.end()) return place{state::unknown};
  it->last_seen = now;
  place p{state::waiting};
  p.token.assign(token);
  p.position = static_cast<std::size_t>(it - line_.begin()) + 1;
  p.eta = eta(p.position);
  return p;
}

std::size_t login_queue::waiting() {
  std::lock_guard lock{mutex_};
  advance(clock_.steady_now());
  return line_.size();
}

void login_queue::advance(clock::steady_time now) {
  std::erase_if(admitted_, [now](auto const& kv) { return now >= kv.second.deadline; });
  std::erase_if(line_, [&](ticket const& t) { return now - t.last_seen >= options_.ticket_lifetime; });
  while (!line_.empty() && admissions_.check("").allowed) {
    admitted_[line_.front().hash] = admission{std::move(line_.front().owner), now + options_.ticket_lifetime};
    line_.pop_front();
  }
}

std::int64_t login_queue::eta(std::size_t position) const noexcept {
  auto const per = options_.window.count() / static_cast<std::int64_t>(std::max<std::size_t>(options_.rate, 1));
  auto const ms = per * static_cast<std::int64_t>(position);
  return std::max<std::int64_t>(1, (ms + 999) / 1000);
}

}  // namespace overworld::launcher
