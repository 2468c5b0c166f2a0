#include "schedule.hpp"

#include "random.hpp"

namespace overworld::sandbox::detail {

namespace {

struct cycle_shape {
  std::int64_t anchor, period, gap;
};

cycle_shape shape_of(std::uint64_t seed, std::string const& clan) {
  auto rng = stream(seed, "war cycle", clan);
  cycle_shape s;
  s.gap = rng.between(1, 12) * calendar::hour;
  s.period = preparation_length + battle_length + s.gap;
  s.anchor = rng.between(0, s.period / calendar::minute - 1) * calendar::minute;
  return s;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

bool overlaps_cwl(std::int64_t from, std::int64_t to) {
  for (auto month : {calendar::month_start(from), calendar::month_start(to)}) {
    auto const week = calendar::cwl_of(month);
    if (from < week.gone && to > week.formed) return true;
  }
  return false;
}

war_cycle cycle_of(cycle_shape const& s, std::int64_t k) {
  war_cycle c;
  c.index = k;
  c.preparation = s.anchor + k * s.period;
  c.start = c.preparation + preparation_length;
  c.end = c.start + battle_length;
  return c;
}

bool valid(cycle_shape const& s, std::int64_t k, bool in_cwl) {
  if (!in_cwl) return true;
  auto const c = cycle_of(s, k);
  return !overlaps_cwl(c.preparation, c.end + s.gap);
}

/// The last valid cycle that started at or before `t`.
std::int64_t last_cycle(cycle_shape const& s, bool in_cwl, std::int64_t t) {
  std::int64_t k = floor_div(t - s.anchor, s.period);
  // A league week is ten days: a handful of cycles at most are skipped.
  for (int i = 0; i < 16 && !valid(s, k, in_cwl); ++i) --k;
  return k;
}

}  // namespace

war_moment war_at(std::uint64_t seed, std::string const& clan, bool in_cwl, std::int64_t t) {
  auto const s = shape_of(seed, clan);
  war_moment m;
  m.cycle = cycle_of(s, last_cycle(s, in_cwl, t));
  if (t < m.cycle.start) {
    m.phase = war_phase::preparation;
  } else if (t < m.cycle.end) {
    m.phase = war_phase::battle;
  } else {
    // Once a league week has begun, the clan is out of war until its next regular war.
    m.phase = in_cwl && calendar::month_start(t) > m.cycle.end ? war_phase::none : war_phase::ended;
  }
  return m;
}

std::int64_t war_next_change(std::uint64_t seed, std::string const& clan, bool in_cwl, std::int64_t t) {
  auto const s = shape_of(seed, clan);
  auto const now = war_at(seed, clan, in_cwl, t);
  if (now.phase == war_phase::preparation) return now.cycle.start;
  if (now.phase == war_phase::battle) return now.cycle.end;
  std::int64_t next = now.cycle.preparation;
  for (std::int64_t k = now.cycle.index + 1; k < now.cycle.index + 32; ++k) {
    if (!valid(s, k, in_cwl)) continue;
    next = cycle_of(s, k).preparation;
    break;
  }
  if (in_cwl && now.phase == war_phase::ended) next = std::min(next, calendar::add_months(calendar::month_start(t), 1));
  return std::max(next, t + 1);
}

std::vector<war_cycle> past_wars(std::uint64_t seed, std::string const& clan, bool in_cwl, std::int64_t t,
                                 std::size_t count) {
  auto const s = shape_of(seed, clan);
  std::vector<war_cycle> out;
  std::int64_t k = last_cycle(s, in_cwl, t) - 1;
  for (int guard = 0; out.size() < count && guard < 64; ++guard, --k) {
    if (valid(s, k, in_cwl)) out.push_back(cycle_of(s, k));
  }
  return out;
}

std::vector<planned_attack> regular_attacks(std::uint64_t seed, std::string const& clan, war_cycle const& c,
                                            std::size_t team) {
  return plan_attacks(stream(seed, "war attacks", clan, static_cast<std::uint64_t>(c.index)), team, 2, c.start);
}

std::array<std::pair<std::size_t, std::size_t>, 4> cwl_pairs(int round) {
  // The circle method: the first clan stays, the others turn one place a round.
  std::array<std::size_t, 8> p{};
  p[0] = 0;
  for (std::size_t i = 1; i < 8; ++i) p[i] = 1 + (i - 1 + static_cast<std::size_t>(round - 1)) % 7;
  return {{{p[0], p[7]}, {p[1], p[6]}, {p[2], p[5]}, {p[3], p[4]}}};
}

std::string cwl_war_tag(std::int64_t month, std::size_t group, int round, std::size_t war) {
  auto const index = static_cast<std::uint64_t>(calendar::month_index(month));
  return tag_from_id(0x7000'0000'0000ULL + ((index * 100000 + group) * 8 + static_cast<std::uint64_t>(round)) * 4 +
                     war);
}

std::vector<planned_attack> cwl_attacks(std::uint64_t seed, std::string const& war_tag, std::int64_t battle_start) {
  return plan_attacks(stream(seed, "cwl attacks", war_tag), static_cast<std::size_t>(cwl_team), 1, battle_start);
}

std::vector<std::size_t> raid_targets(std::size_t position, std::size_t clans, std::int64_t weekend) {
  std::vector<std::size_t> out;
  if (clans < 2) return out;
  auto const raids = std::min(raids_per_weekend, clans - 1);
  auto const turn = static_cast<std::size_t>(floor_div(weekend, calendar::week));
  for (std::size_t j = 0; j < raids; ++j) out.push_back((position + 1 + (turn + j) % (clans - 1)) % clans);
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> raided_by(std::size_t position, std::size_t clans,
                                                           std::int64_t weekend) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (clans < 2) return out;
  auto const raids = std::min(raids_per_weekend, clans - 1);
  auto const turn = static_cast<std::size_t>(floor_div(weekend, calendar::week));
  for (std::size_t j = 0; j < raids; ++j) {
    auto const offset = 1 + (turn + j) % (clans - 1);
    out.emplace_back((position + clans - offset) % clans, j);
  }
  return out;
}

}  // namespace overworld::sandbox::detail
