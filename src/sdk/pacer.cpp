#include <overworld/sdk/pacer.hpp>

#include <algorithm>

namespace overworld::sdk {
namespace {

std::chrono::milliseconds until(clock::steady_time t, clock::steady_time now) {
  return t > now ? std::chrono::ceil<std::chrono::milliseconds>(t - now) : std::chrono::milliseconds{0};
}

}  // namespace

request_pacer::request_pacer(pacer_options options, clock const& time) : options_(std::move(options)), clock_(time) {}

request_pacer::state& request_pacer::at(std::string_view url) {
  if (auto it = urls_.find(std::string{url}); it != urls_.end()) return it->second;
  if (urls_.size() >= options_.max_urls) {
    // Forget the URLs that may be asked again already (nothing to hold back), then, if that was
    // not enough, the one that has been free the longest.
    auto const now = clock_.steady_now();
    std::erase_if(urls_, [now](auto const& e) { return e.second.not_before <= now && e.second.failures == 0; });
    if (urls_.size() >= options_.max_urls) {
      auto oldest = std::min_element(urls_.begin(), urls_.end(), [](auto const& a, auto const& b) {
        return a.second.not_before < b.second.not_before;
      });
      urls_.erase(oldest);
    }
  }
  return urls_[std::string{url}];
}

std::chrono::milliseconds request_pacer::wait_before(std::string_view url) const {
  if (urls_.empty()) return std::chrono::milliseconds{0};
  auto it = urls_.find(std::string{url});
  if (it == urls_.end()) return std::chrono::milliseconds{0};
  return until(it->second.not_before, clock_.steady_now());
}

void request_pacer::succeeded(std::string_view url) {
  if (options_.min_interval.count() <= 0) {
    if (!urls_.empty()) {
      if (auto it = urls_.find(std::string{url}); it != urls_.end()) urls_.erase(it);
    }
    return;
  }
  auto& s = at(url);
  s.failures = 0;
  s.not_before = clock_.steady_now() + options_.min_interval;
}

std::chrono::milliseconds request_pacer::failed(std::string_view url, unsigned attempt,
                                                std::optional<std::chrono::seconds> retry_after) {
  std::chrono::milliseconds delay{0};
  if (options_.remember_failures) {
    auto& s = at(url);
    ++s.failures;
    delay = options_.backoff.delay(s.failures);
    if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
    s.not_before = clock_.steady_now() + delay;
  } else {
    delay = options_.backoff.delay(std::max(attempt, 1u));
    if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
  }
  return delay;
}

}  // namespace overworld::sdk
