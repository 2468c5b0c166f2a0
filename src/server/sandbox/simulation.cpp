#include "simulation.hpp"

#include "build.hpp"
#include "calendar.hpp"
#include "changes_detail.hpp"
#include "league.hpp"
#include "schedule.hpp"

#include <algorithm>

namespace overworld::sandbox::detail {

namespace {

bool in_league(world_plan const& plan, std::size_t a) {
  auto const b = plan.clans[a].partner;
  return plan.clans[a].cwl_group != world_plan::none ||
         (b != world_plan::none && plan.clans[b].cwl_group != world_plan::none);
}

std::size_t member_count(dataset const& data, std::string const& tag) {
  json::object clan;
  if (edit::load_clan(data, tag, clan)) return 0;
  return edit::member_list(clan).size();
}

}  // namespace

bool simulation::step(dataset& data, std::int64_t from, std::int64_t to) {
  prepare(data);
  bool changed = regular_wars(data, from, to);
  changed = league(data, from, to) || changed;
  changed = raid_weekends(data, from, to) || changed;
  changed = daily_life(data, from, to) || changed;
  changed = seasons(data, from, to) || changed;
  return changed;
}

void simulation::prepare(dataset const& data) {
  auto const& plan = *data.plan;
  if (!refs_) {
    refs_ = std::make_unique<references>(data);
    clanless_ = plan.clanless;
  }
  if (planned_ == plan.clans.size()) return;
  planned_ = plan.clans.size();
  pairs_.resize(planned_);
  phase_.resize(planned_);
  for (std::size_t i = 0; i < planned_; ++i) {
    phase_[i] = stream(data.seed, "routine", plan.clans[i].tag).between(0, 24 * 60 - 1);
  }
}

bool simulation::regular_wars(dataset& data, std::int64_t from, std::int64_t to) {
  bool changed = false;
  auto const plan = data.plan;
  for (std::size_t i = 0; i < plan->clans.size(); ++i) {
    auto const partner = plan->clans[i].partner;
    if (partner == world_plan::none || partner < i) continue;
    auto& state = pairs_[i];
    if (state.next != 0 && state.next > to) continue;
    changed = war_events(data, i, from, to) || changed;
    auto const& tag = plan->clans[i].tag;
    state.next = war_next_change(data.seed, tag, in_league(*plan, i), to);
    for (auto const& a : state.attacks) {
      if (a.at > to) {
        state.next = std::min(state.next, a.at);
        break;
      }
    }
  }
  return changed;
}

bool simulation::war_events(dataset& data, std::size_t first, std::int64_t from, std::int64_t to) {
  auto const& plan = *data.plan;
  auto const& tag = plan.clans[first].tag;
  auto const& other = plan.clans[plan.clans[first].partner].tag;
  bool const cwl = in_league(plan, first);
  auto const now = war_at(data.seed, tag, cwl, to);
  auto& state = pairs_[first];
  bool changed = false;
  auto const apply = [&](change_result const& r) { changed = changed || !r.has_value(); };
  auto const ours = [&] {
    auto war = edit::current_war(data, tag);
    return war && string_of(*war, "preparationStartTime") == calendar::api_time(now.cycle.preparation) ? war
                                                                                                       : std::nullopt;
  };
  if (now.phase == war_phase::none) {
    if (auto war = edit::current_war(data, tag); war && string_of(*war, "state") == "warEnded") {
      apply(set_war_state(data, tag, "notInWar", {}, to));
    }
    return changed;
  }
  // A new war: both clans field their strongest, up to fifteen a side.
  if (between(now.cycle.preparation, from, to) && !ours()) {
    war_setup setup;
    setup.team_size = static_cast<std::int64_t>(
        std::min<std::size_t>(regular_team_cap, std::min(member_count(data, tag), member_count(data, other)) / 5 * 5));
    setup.opponent_tag = other;
    if (setup.team_size >= 5) apply(set_war_state(data, tag, "preparation", setup, now.cycle.preparation));
  }
  auto war = ours();
  if (!war) return changed;
  if (state.cycle != now.cycle.index) {
    state.cycle = now.cycle.index;
    state.attacks = regular_attacks(data.seed, tag, now.cycle, static_cast<std::size_t>(int_of(*war, "teamSize")));
  }
  if (between(now.cycle.start, from, to)) apply(set_war_state(data, tag, "inWar", {}, now.cycle.start));
  std::vector<planned_attack> due;
  for (auto const& a : state.attacks) {
    if (between(a.at, from, std::min(to, now.cycle.end))) due.push_back(a);
  }
  if (!due.empty()) apply(edit::apply_planned_attacks(data, tag, due));
  if (between(now.cycle.end, from, to)) apply(set_war_state(data, tag, "warEnded", {}, now.cycle.end));
  return changed;
}

bool simulation::league(dataset& data, std::int64_t from, std::int64_t to) {
  auto const plan = data.plan;
  if (plan->cwl_groups.empty()) return false;
  auto const month = calendar::month_start(to);
  auto const week = calendar::cwl_of(month);
  if (from >= week.gone) return false;  // (from, to] is a minute at most: within one month's week
  bool changed = false;
  auto const groups = plan->cwl_groups.size();
  auto const update_groups = [&](std::int64_t at) {
    for (std::size_t g = 0; g < groups; ++g) {
      auto group = cwl_group_formed(data, g, month);
      if (auto const* stored = data.cwl_groups.find(plan->clans[plan->cwl_groups[g][0]].tag)) {
        if (auto parsed = edit::parse_object(*stored);
            parsed && string_of(*parsed, "season") == string_of(group, "season")) {
          group = std::move(*parsed);
        }
      }
      cwl_group_at(group, g, month, at);
      store_cwl_group(data, g, group);
    }
    changed = true;
  };
  if (between(week.formed, from, to)) {
    league_plans_.clear();
    update_groups(week.formed);
  }
  for (int r = 1; r <= calendar::cwl_rounds; ++r) {
    auto const for_wars = [&](auto&& fn) {
      for (std::size_t g = 0; g < groups; ++g) {
        for (std::size_t w = 0; w < 4; ++w) fn(g, w, cwl_war_tag(month, g, r, w));
      }
    };
    if (between(week.preparation(r), from, to)) {
      update_groups(week.preparation(r));
      for_wars([&](std::size_t g, std::size_t w, std::string const& tag) {
        if (auto war = cwl_war_new(data, g, month, r, w)) data.cwl_wars[tag] = share(compact(*war));
      });
    }
    auto const move = [&](char const* state) {
      for_wars([&](std::size_t, std::size_t, std::string const& tag) {
        auto const* stored = data.cwl_wars.find(tag);
        auto war = stored ? edit::parse_object(*stored) : std::nullopt;
        if (!war) return;
        (*war)["state"] = state;
        data.cwl_wars[tag] = share(compact(*war));
        changed = true;
      });
    };
    if (between(week.battle(r), from, to)) move("inWar");
    if (week.battle(r) < to && from < week.end(r)) {
      for_wars([&](std::size_t, std::size_t, std::string const& tag) {
        changed = league_attacks(data, tag, week.battle(r), from, std::min(to, week.end(r))) || changed;
      });
    }
    if (between(week.end(r), from, to)) move("warEnded");
  }
  if (between(week.ended, from, to)) update_groups(week.ended);
  if (between(week.gone, from, to)) {
    for (std::size_t g = 0; g < groups; ++g) remove_cwl_group(data, g, month);
    league_plans_.clear();
    changed = true;
  }
  return changed;
}

bool simulation::league_attacks(dataset& data, std::string const& tag, std::int64_t battle, std::int64_t from,
                                std::int64_t to) {
  auto [it, fresh] = league_plans_.try_emplace(tag);
  if (fresh) it->second = cwl_attacks(data.seed, tag, battle);
  std::vector<planned_attack const*> due;
  for (auto const& a : it->second) {
    if (between(a.at, from, to)) due.push_back(&a);
  }
  if (due.empty()) return false;
  auto const* stored = data.cwl_wars.find(tag);
  auto war = stored ? edit::parse_object(*stored) : std::nullopt;
  if (!war) return false;
  for (auto const* a : due) apply_planned(*war, *a);
  data.cwl_wars[tag] = share(compact(*war));
  return true;
}

}  // namespace overworld::sandbox::detail
