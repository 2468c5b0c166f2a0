#include <overworld/server/world/silly_meter.hpp>

#include <overworld/core/log.hpp>
#include <overworld/http/message.hpp>

#include <algorithm>

namespace overworld::world {

std::vector<silly_team> default_silly_teams() {
  return {
      {"Overjoyed Laff Meters", "Your Laff Meter regenerates faster."},
      {"Decreased Fish Rarity", "Rare fish bite more often."},
      {"Double Jellybeans", "Earn twice the jellybeans from every activity."},
      {"Speedy Garden Growth", "Gardens grow twice as fast."},
      {"Double Racing Tickets", "Earn twice the tickets from kart races."},
      {"Global Teleport Access", "Teleport to every playground, visited or not."},
      {"Doodle Trick Boost", "Doodles learn their tricks faster."},
  };
}

std::string_view to_string(silly_state s) noexcept {
  switch (s) {
    case silly_state::active:
      return "Active";
    case silly_state::reward:
      return "Reward";
    case silly_state::inactive:
      return "Inactive";
  }
  return "Inactive";
}

std::optional<silly_state> silly_state_from_string(std::string_view s) noexcept {
  for (auto v : {silly_state::active, silly_state::reward, silly_state::inactive}) {
    if (http::iequals(s, to_string(v))) return v;
  }
  return std::nullopt;
}

silly_meter::silly_meter(silly_meter_options options, clock const& time)
    : options_(std::move(options)), clock_(time), rng_(options_.seed ? options_.seed : std::random_device{}()) {
  if (options_.teams.size() < 3) options_.teams = default_silly_teams();
  reroll();
  auto const now = unix_seconds(clock_.now());
  as_of_ = now;
  next_update_ = now + options_.tally.count();
}

void silly_meter::reroll() {
  std::vector<std::size_t> order(options_.teams.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng_);
  for (std::size_t i = 0; i < 3; ++i) teams_[i] = options_.teams[order[i]];
}

std::optional<std::size_t> silly_meter::team_index(std::string_view name) const {
  for (std::size_t i = 0; i < 3; ++i) {
    if (teams_[i].name == name) return i;
  }
  return std::nullopt;
}

void silly_meter::report(std::string const& district, std::vector<silly_points> const& totals) {
  if (totals.empty()) return;  // most reports: nothing to count, no lock taken
  auto const now = clock_.steady_now();
  std::lock_guard lock{mutex_};
  auto& d = districts_[district];
  d.seen = now;
  for (auto const& p : totals) {
    auto [it, fresh] = d.totals.try_emplace(p.team, 0);
    std::int64_t const grown = p.points >= it->second ? p.points - it->second : p.points;
    it->second = p.points;
    auto const team = team_index(p.team);
    // A district seen for the first time brings its history: only growth from now on counts.
    if (fresh || !team || state_ != silly_state::active) continue;
    pending_[*team] = std::min(options_.max_hp, pending_[*team] + grown);
  }
}

void silly_meter::tally(std::int64_t now_unix) {
  for (std::size_t i = 0; i < 3; ++i) {
    points_[i] = std::min(options_.max_hp, points_[i] + pending_[i]);
    hp_ = std::min(options_.max_hp, hp_ + pending_[i]);
    pending_[i] = 0;
  }
  as_of_ = now_unix;
  next_update_ = now_unix + options_.tally.count();
  if (hp_ >= options_.max_hp) enter_locked(silly_state::reward, now_unix, std::nullopt);
}

void silly_meter::enter_locked(silly_state state, std::int64_t now_unix, std::optional<std::size_t> winner) {
  if (state == silly_state::reward && state_ == silly_state::inactive) {
    // A reward straight after a cool-down is the reward of the teams in play, with no points yet.
    points_ = {};
  }
  if (state_ == silly_state::reward && state != silly_state::reward) reroll();  // TTR: on leaving Reward
  state_ = state;
  as_of_ = now_unix;
  pending_ = {};
  switch (state) {
    case silly_state::active:
      hp_ = 0;
      points_ = {};
      winner_.reset();
      next_update_ = now_unix + options_.tally.count();
      break;
    case silly_state::reward:
      hp_ = options_.max_hp;
      winner_ = winner ? *winner
                       : static_cast<std::size_t>(std::max_element(points_.begin(), points_.end()) - points_.begin());
      next_update_ = now_unix + options_.reward.count();
      break;
    case silly_state::inactive:
      hp_ = 0;
      points_ = {};
      winner_.reset();
      next_update_ = now_unix + options_.inactive.count();
      break;
  }
}

void silly_meter::advance() {
  auto const now = unix_seconds(clock_.now());
  auto const steady = clock_.steady_now();
  std::lock_guard lock{mutex_};
  // Districts that stopped reporting are forgotten, so the map holds only live reporters.
  std::erase_if(districts_, [&](auto const& d) { return steady - d.second.seen > options_.forget_after; });
  // Each step moves next_update_ past its own start, so at most three steps are ever due at once.
  for (int step = 0; step < 3 && now >= next_update_; ++step) {
    switch (state_) {
      case silly_state::active:
        tally(now);  // one tally for a long gap: points are not multiplied by missed tallies
        break;
      case silly_state::reward:
        enter_locked(silly_state::inactive, next_update_, std::nullopt);
        break;
      case silly_state::inactive:
        enter_locked(silly_state::active, next_update_, std::nullopt);
        break;
    }
  }
}

result<void> silly_meter::add_points(std::string_view team, std::int64_t points) {
  auto const now = unix_seconds(clock_.now());
  std::lock_guard lock{mutex_};
  if (points < 1 || points > options_.max_hp) return errc::invalid_argument;
  auto const i = team_index(team);
  if (!i) return errc::not_found;
  if (state_ != silly_state::active) return errc::unsupported;
  pending_[*i] = std::min(options_.max_hp, pending_[*i] + points);
  auto const due = next_update_;
  tally(now);
  if (state_ == silly_state::active) next_update_ = due;  // the regular tally stays on its schedule
  return {};
}

result<void> silly_meter::enter(silly_state state, std::optional<std::string> winner) {
  auto const now = unix_seconds(clock_.now());
  std::lock_guard lock{mutex_};
  std::optional<std::size_t> index;
  if (winner) {
    if (state != silly_state::reward) return errc::invalid_argument;
    index = team_index(*winner);
    if (!index) return errc::not_found;
  }
  enter_locked(state, now, index);
  return {};
}

silly_saved silly_meter::saved() const {
  std::lock_guard lock{mutex_};
  silly_saved out;
  out.state = state_;
  out.hp = hp_;
  for (std::size_t i = 0; i < 3; ++i) out.teams[i] = teams_[i].name;
  out.points = points_;
  out.winner = winner_;
  out.next_update = next_update_;
  out.as_of = as_of_;
  return out;
}

bool silly_meter::restore(silly_saved const& saved) {
  std::lock_guard lock{mutex_};
  std::array<silly_team, 3> teams;
  for (std::size_t i = 0; i < 3; ++i) {
    auto const it = std::find_if(options_.teams.begin(), options_.teams.end(),
                                 [&](silly_team const& t) { return t.name == saved.teams[i]; });
    if (it == options_.teams.end()) return false;
    teams[i] = *it;
  }
  bool const in_range = saved.hp >= 0 && saved.hp <= options_.max_hp && (!saved.winner || *saved.winner < 3) &&
                        std::all_of(saved.points.begin(), saved.points.end(),
                                    [this](std::int64_t p) { return p >= 0 && p <= options_.max_hp; });
  if (!in_range) return false;
  teams_ = std::move(teams);
  state_ = saved.state;
  hp_ = saved.hp;
  points_ = saved.points;
  pending_ = {};
  winner_ = saved.state == silly_state::reward ? saved.winner : std::nullopt;
  next_update_ = saved.next_update;
  as_of_ = saved.as_of;
  return true;
}

silly_state silly_meter::state() const {
  std::lock_guard lock{mutex_};
  return state_;
}

std::int64_t silly_meter::hp() const {
  std::lock_guard lock{mutex_};
  return hp_;
}

std::array<std::string, 3> silly_meter::teams() const {
  std::lock_guard lock{mutex_};
  return {teams_[0].name, teams_[1].name, teams_[2].name};
}

std::string silly_meter::json() const {
  std::lock_guard lock{mutex_};
  auto const strings = [this](std::string& out, std::string silly_team::*field) {
    out += '[';
    for (std::size_t i = 0; i < 3; ++i) {
      if (i) out += ',';
      out += '"';
      append_json_escaped(out, teams_[i].*field);
      out += '"';
    }
    out += ']';
  };
  std::string out = "{\"state\":\"";
  out += to_string(state_);
  out += "\",\"hp\":" + std::to_string(hp_) + ",\"rewards\":";
  strings(out, &silly_team::name);
  out += ",\"rewardDescriptions\":";
  strings(out, &silly_team::description);
  out += ",\"winner\":";
  if (winner_) {
    out += '"';
    append_json_escaped(out, teams_[*winner_].name);
    out += '"';
  } else {
    out += "null";
  }
  // Points per team while a reward runs; otherwise three nulls (what TTR's clients read).
  out += ",\"rewardPoints\":[";
  for (std::size_t i = 0; i < 3; ++i) {
    if (i) out += ',';
    out += state_ == silly_state::reward ? std::to_string(points_[i]) : std::string{"null"};
  }
  out += "],\"nextUpdateTimestamp\":" + std::to_string(next_update_) + ",\"asOf\":" + std::to_string(as_of_) + "}";
  return out;
}

}  // namespace overworld::world
