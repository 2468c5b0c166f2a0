// The world service's side of shared district reports (shared_reports.hpp): reports stored in
// Redis before they are acknowledged, and each tick applying what the other nodes accepted.
#include <overworld/server/world/world_service.hpp>

#include "json_error.hpp"

#include <overworld/core/log.hpp>

namespace overworld::world {

void world_service::share(std::shared_ptr<shared_reports> reports) { shared_ = std::move(reports); }

boost::asio::awaitable<http::response> world_service::accept_shared(http::request req) {
  std::string const name{req.param("name")};
  auto checked = check_report(name, req);
  if (!checked.report) co_return std::move(checked.refusal);
  auto const at = clock_.now();
  auto const at_ms = unix_millis(at);
  shared_report report{name, at_ms, std::string{req.body}, {}};
  auto stored = co_await shared_->put(std::move(report));
  if (!stored) {
    // Not stored, so not acknowledged: the district server sends it again, here or elsewhere.
    reports_rejected_.inc();
    auto r = json_error(503, "district reports cannot be shared now; send it again");
    r.header("Retry-After", "5");
    co_return r;
  }
  if (stored->empty()) co_return too_many_districts();
  {
    std::lock_guard lock{shared_mutex_};
    applied_[name] = std::move(*stored);  // this node applies it now, not again at the tick
  }
  co_return applied(name, *checked.report, at);
}

boost::asio::awaitable<bool> world_service::pull_shared() {
  auto const forget_before = unix_millis(clock_.now()) - options_.tracking.drop_after.count();
  auto stamps = co_await shared_->stamps(forget_before);
  if (!stamps) co_return false;
  std::vector<std::string> changed;
  {
    std::lock_guard lock{shared_mutex_};
    std::map<std::string, std::string, std::less<>> listed;  // what Redis holds: the rest is forgotten
    for (auto& s : *stamps) {
      auto const it = applied_.find(s.district);
      std::string seen = it == applied_.end() ? std::string{} : std::move(it->second);
      if (seen != s.version) changed.push_back(s.district);
      listed.emplace(std::move(s.district), std::move(seen));
    }
    applied_ = std::move(listed);
  }
  auto reports = co_await shared_->fetch(std::move(changed));
  if (!reports) co_return false;
  for (auto const& r : *reports) {
    {
      std::lock_guard lock{shared_mutex_};
      auto& seen = applied_[r.district];
      if (seen == r.version) continue;  // applied meanwhile (accepted here)
      seen = r.version;
    }
    std::string why;
    auto parsed = parse_report(r.body, options_.limits, r.at_ms / 1000, why);
    if (!parsed) {
      // Another node accepted what this one refuses: their world.* limits differ.
      spdlog::warn("world: a shared report of {} does not pass this node's limits: {}", r.district, why);
      continue;
    }
    apply(r.district, *parsed, clock::wall_time{std::chrono::milliseconds{r.at_ms}});
  }
  co_return true;
}

boost::asio::awaitable<void> world_service::refresh() {
  if (shared_) {
    bool const reached = co_await pull_shared();
    bool const was_stale = stale_.exchange(!reached);
    if (!reached) {
      if (!was_stale)
        spdlog::warn(
            "world: district reports in Redis cannot be reached; serving the last snapshot, "
            "marked stale");
      publish_stale();
      co_return;
    }
    if (was_stale) spdlog::info("world: district reports in Redis reached again");
  }
  publish();
}

void world_service::publish_stale() {
  // The districts as last seen, the time they were seen; only the stale marker and max-age change.
  auto const previous = current();
  auto const taken = previous ? previous->taken : clock_.now();
  swap_in(build_snapshot(last_views_, options_.game, taken, clock_.steady_now() + options_.tick, previous.get(),
                         silly_.json(), true));
}

}  // namespace overworld::world
