#include <overworld/toon/watcher.hpp>

#include <algorithm>
#include <cmath>

namespace overworld::toon {
namespace {

bool same_invasion(invasion const& before, invasion const& now) {
  if (!before.id.empty() && !now.id.empty()) return before.id == now.id;
  return before.type == now.type && before.mega == now.mega && before.total == now.total &&
         now.defeated >= before.defeated;
}

bool known(district_status s) { return s != district_status::unknown; }

event district_event(district const& d, district_status status, std::int64_t at) {
  event e;
  e.kind = status == district_status::online ? event_kind::district_online : event_kind::district_offline;
  e.district = d.name;
  e.status = status;
  e.at = at;
  return e;
}

event invasion_event(event_kind kind, district const& d, invasion const& inv, std::int64_t at) {
  event e;
  e.kind = kind;
  e.district = d.name;
  e.status = d.status;
  e.invasion = inv;
  e.at = at;
  return e;
}

}  // namespace

std::string_view to_string(event_kind k) noexcept {
  switch (k) {
    case event_kind::invasion_started:
      return "invasion.started";
    case event_kind::invasion_progress:
      return "invasion.progress";
    case event_kind::invasion_ended:
      return "invasion.ended";
    case event_kind::district_online:
      return "district.online";
    case event_kind::district_offline:
      return "district.offline";
  }
  return "unknown";
}

snapshot_differ::snapshot_differ(differ_options options) : options_(options) {}

// The rate over the samples of the last rate_window, and the end it points to. A measured rate
// replaces one the API sent; without a measurement the API's figures stay.
void snapshot_differ::measure(invasion& inv, std::vector<sample>& samples) const {
  if (samples.size() >= 2) {
    auto const newest = samples.back().at;
    auto first = std::find_if(samples.begin(), samples.end(),
                              [&](sample const& s) { return newest - s.at <= options_.rate_window.count(); });
    if (first == std::prev(samples.end()) && first != samples.begin()) --first;  // keep two points
    samples.erase(samples.begin(), first);
    auto const dt = samples.back().at - samples.front().at;
    auto const dd = samples.back().defeated - samples.front().defeated;
    if (dt > 0 && dd >= 0) inv.defeat_rate = static_cast<double>(dd) * 60.0 / static_cast<double>(dt);
  }
  if (inv.mega) {
    inv.estimated_end.reset();
    return;
  }
  std::optional<std::int64_t> by_rate;
  if (inv.defeat_rate && *inv.defeat_rate > 0 && inv.total) {
    auto const seconds = static_cast<double>(inv.remaining()) * 60.0 / *inv.defeat_rate;
    by_rate = inv.as_of + static_cast<std::int64_t>(std::ceil(seconds));
  }
  if (by_rate && inv.ends_at)
    inv.estimated_end = std::min(*by_rate, *inv.ends_at);
  else if (by_rate)
    inv.estimated_end = by_rate;
  else if (inv.ends_at)
    inv.estimated_end = inv.ends_at;
}

std::vector<event> snapshot_differ::update(snapshot const& next_in) {
  snapshot next = next_in;
  std::vector<event> out;
  bool const silent = first_ && !options_.initial_events;
  std::map<std::string_view, district const*> before;
  for (auto const& d : current_.districts) before.emplace(d.name, &d);
  auto const at = next.taken;

  for (auto& d : next.districts) {
    auto const it = before.find(d.name);
    district const* old = it == before.end() ? nullptr : it->second;
    if (old) before.erase(it);

    if (!old ? known(d.status) : (old->status != d.status && known(d.status)))
      out.push_back(district_event(d, d.status, at));

    invasion const* had = old && old->invasion ? &*old->invasion : nullptr;
    if (!d.invasion) {
      if (had) out.push_back(invasion_event(event_kind::invasion_ended, d, *had, at));
      samples_.erase(d.name);
      continue;
    }
    auto& inv = *d.invasion;
    if (inv.district.empty()) inv.district = d.name;
    auto const when = inv.as_of > 0 ? inv.as_of : at;
    auto& samples = samples_[d.name];
    if (had && same_invasion(*had, inv)) {
      if (samples.empty() || when > samples.back().at)
        samples.push_back({when, inv.defeated});
      else
        samples.back().defeated = std::max(samples.back().defeated, inv.defeated);
      if (!inv.defeat_rate && had->defeat_rate) inv.defeat_rate = had->defeat_rate;
      measure(inv, samples);
      if (inv.defeated != had->defeated) out.push_back(invasion_event(event_kind::invasion_progress, d, inv, at));
    } else {
      if (had) out.push_back(invasion_event(event_kind::invasion_ended, d, *had, at));
      samples.assign(1, sample{when, inv.defeated});
      measure(inv, samples);
      out.push_back(invasion_event(event_kind::invasion_started, d, inv, at));
    }
  }
  // Districts that are no longer listed: gone offline.
  for (auto const& [name, old] : before) {
    if (old->invasion) out.push_back(invasion_event(event_kind::invasion_ended, *old, *old->invasion, at));
    out.push_back(district_event(*old, district_status::offline, at));
    if (auto const s = samples_.find(name); s != samples_.end()) samples_.erase(s);
  }
  first_ = false;
  current_ = std::move(next);
  if (silent) out.clear();
  return out;
}

}  // namespace overworld::toon
