#include <overworld/server/world/tracker.hpp>

#include <algorithm>
#include <cstdio>

namespace overworld::world {

namespace {
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}
std::string hex(std::uint64_t v, int digits) {
  if (digits < 16) v &= (std::uint64_t{1} << (4 * digits)) - 1;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

std::string district_id(std::string_view name) { return "d-" + hex(fnv1a(name), 12); }

std::string invasion_id(std::string_view district, invasion const& inv) {
  std::string key{district};
  key += '\n';
  key += inv.ttr_type();
  key += '\n';
  key += std::to_string(inv.started_at);
  return "i-" + hex(fnv1a(key), 16);
}

tracker::tracker(tracker_options options, clock const& time) : options_(options), clock_(time) {}

bool tracker::apply(std::string const& name, district_report const& report) {
  return apply(name, report, clock_.now());
}

bool tracker::apply(std::string const& name, district_report const& report, clock::wall_time at) {
  auto const wall_now = clock_.now();
  auto const age = std::max(std::chrono::steady_clock::duration::zero(),
                            std::chrono::duration_cast<std::chrono::steady_clock::duration>(wall_now - at));
  auto const now = clock_.steady_now() - age;
  auto const now_unix = unix_seconds(std::min(at, wall_now));
  std::lock_guard lock{mutex_};
  auto found = districts_.find(name);
  if (found == districts_.end()) {
    if (districts_.size() >= options_.max_districts) return false;
    found = districts_.emplace(name, state{}).first;
  }
  auto& s = found->second;
  if (s.seen != clock::steady_time{} && now < s.seen) return true;  // older than what is shown
  bool const same_invasion = s.last.current && report.current && s.last.current->cog == report.current->cog &&
                             s.last.current->started_at == report.current->started_at &&
                             s.last.current->skelecog == report.current->skelecog &&
                             s.last.current->v2 == report.current->v2;
  if (!same_invasion) s.samples.clear();
  if (report.current) {
    s.samples.emplace_back(now, report.current->defeated);
    while (s.samples.size() > 2 && now - s.samples.front().first > options_.rate_window) s.samples.pop_front();
    s.last_defeated = report.current->defeated;
  }
  s.last = report;
  s.seen = now;
  s.seen_unix = now_unix;
  return true;
}

std::vector<district_view> tracker::collect() {
  auto const now = clock_.steady_now();
  auto const now_unix = unix_seconds(clock_.now());
  std::vector<district_view> out;
  std::lock_guard lock{mutex_};
  for (auto it = districts_.begin(); it != districts_.end();) {
    auto const& [name, s] = *it;
    auto const silence = now - s.seen;
    if (silence >= options_.drop_after) {
      it = districts_.erase(it);
      continue;
    }
    district_view v;
    v.name = name;
    v.id = district_id(name);
    v.population = s.last.population;
    v.status = s.last.status;
    v.last_report = s.seen_unix;
    v.last_defeated = s.last_defeated;
    if (silence >= options_.offline_after) {
      // A silent district's numbers are stale: show it offline, with no one in it and no invasion.
      v.silent = true;
      v.status = district_status::offline;
      v.population = 0;
    } else {
      v.field_offices = s.last.field_offices;
      v.doodles = s.last.doodles;
    }
    if (!v.silent && s.last.current) {
      auto const& inv = *s.last.current;
      v.current = inv;
      v.invasion_id = invasion_id(name, inv);
      if (s.samples.size() >= 2) {
        auto const& [t0, d0] = s.samples.front();
        auto const& [t1, d1] = s.samples.back();
        double const minutes = std::chrono::duration<double>(t1 - t0).count() / 60.0;
        if (minutes > 0 && d1 >= d0) v.defeat_rate = static_cast<double>(d1 - d0) / minutes;
      }
      if (inv.ends_at) {
        v.estimated_end = inv.ends_at;
      } else if (!inv.mega && v.defeat_rate > 0) {
        double const minutes_left = static_cast<double>(inv.total - inv.defeated) / v.defeat_rate;
        v.estimated_end = now_unix + static_cast<std::int64_t>(minutes_left * 60.0);
      }
    }
    out.push_back(std::move(v));
    ++it;
  }
  return out;
}

std::size_t tracker::size() const {
  std::lock_guard lock{mutex_};
  return districts_.size();
}

}  // namespace overworld::world
