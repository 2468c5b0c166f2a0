// The facts kept of each resource, and their diffs.
#include "snapshots.hpp"

#include <overworld/coc/tags.hpp>

#include <algorithm>
#include <unordered_map>

namespace overworld::coc::events::detail {
namespace {

template <class T>
T const* find_by(std::vector<T> const& list, std::string T::*field, std::string const& value) {
  auto it = std::find_if(list.begin(), list.end(), [&](T const& x) { return x.*field == value; });
  return it == list.end() ? nullptr : &*it;
}

event make(kind k, std::string tag = {}, std::string name = {}) {
  event e;
  e.kind = k;
  e.tag = std::move(tag);
  e.name = std::move(name);
  return e;
}

event change(kind k, std::string before, std::string after) {
  event e = make(k);
  e.before = std::move(before);
  e.after = std::move(after);
  return e;
}

event count(kind k, std::int64_t before, std::int64_t after) {
  event e = change(k, std::to_string(before), std::to_string(after));
  e.numeric = true;
  return e;
}

void text_change(kind k, std::string const& a, std::string const& b, std::vector<event>& out) {
  if (a != b) out.push_back(change(k, a, b));
}

void number_change(kind k, std::int64_t a, std::int64_t b, std::vector<event>& out) {
  if (a != b) out.push_back(count(k, a, b));
}

void diff_members(clan_facts const& a, clan_facts const& b, std::vector<event>& out) {
  for (auto const& m : b.members) {
    auto const* old = find_by(a.members, &member_facts::tag, m.tag);
    if (!old) {
      out.push_back(make(kind::member_join, m.tag, m.name));
      continue;
    }
    auto with_member = [&](event e) {
      e.tag = m.tag;
      e.name = m.name;
      out.push_back(std::move(e));
    };
    if (old->role != m.role) with_member(change(kind::member_role, old->role, m.role));
    if (m.donations > old->donations) with_member(count(kind::member_donations, old->donations, m.donations));
    if (m.received > old->received) with_member(count(kind::member_received, old->received, m.received));
  }
  for (auto const& m : a.members) {
    if (!find_by(b.members, &member_facts::tag, m.tag)) out.push_back(make(kind::member_leave, m.tag, m.name));
  }
}

void diff_items(kind k, std::vector<item_facts> const& a, std::vector<item_facts> const& b, std::vector<event>& out) {
  for (auto const& item : b) {
    auto const* old = find_by(a, &item_facts::key, item.key);
    std::int64_t const before = old ? old->value : 0;
    if (old && old->value == item.value && old->stars == item.stars) continue;
    event e = count(k, before, item.value);
    e.item = item.name;
    e.stars = item.stars;
    out.push_back(std::move(e));
  }
}

std::vector<item_facts> items_of(std::optional<std::vector<player_item>> const& list) {
  std::vector<item_facts> out;
  if (!list) return out;
  for (auto const& i : *list) out.push_back({std::string{to_string(i.village)} + "/" + i.name, i.name, i.level, 0});
  return out;
}

std::string side_tag(std::optional<war_clan> const& side) { return side && side->tag ? *side->tag : std::string{}; }

void attacks_of(std::optional<war_clan> const& side, std::string const& team, std::vector<attack_facts>& out) {
  if (!side || !side->members) return;
  for (auto const& m : *side->members) {
    if (!m.attacks) continue;
    for (auto const& a : *m.attacks) {
      out.push_back({a.attacker_tag, m.name, a.defender_tag, team, a.stars, a.destruction_percentage, a.order});
    }
  }
}

void round_events(war_facts const& a, war_facts const& b, war_memory& memory, std::vector<event>& out) {
  auto round_event = [&](kind k, war_facts const& w) {
    event e = make(k);
    e.round = w.round;
    e.war_tag = w.war_tag;
    out.push_back(std::move(e));
  };
  // The round before is over once the clan's war is a later round's (or that war ended).
  if (a.round > 0 && a.round > memory.last_round_ended && (b.round != a.round || b.state == "warEnded")) {
    memory.last_round_ended = a.round;
    round_event(kind::cwl_round_end, a);
  }
  if (b.round > 0 && b.round != a.round && b.round > memory.last_round_started) {
    memory.last_round_started = b.round;
    round_event(kind::cwl_round_start, b);
  }
  // A new league week: its rounds count from 1 again.
  if (b.round == 0 && a.round == 0) memory = war_memory{};
}

}  // namespace

clan_facts facts_of(coc::clan const& c) {
  clan_facts f;
  f.name = c.name;
  f.description = c.description.value_or("");
  f.badge = c.badge_urls && c.badge_urls->medium ? c.badge_urls->medium->str() : std::string{};
  f.type = std::string{to_string(c.type)};
  f.location = c.location ? c.location->name : std::string{};
  f.war_log_public = c.is_war_log_public.value_or(false);
  f.level = c.clan_level;
  if (c.member_list) {
    f.members.reserve(c.member_list->size());
    for (auto const& m : *c.member_list) {
      f.members.push_back({m.tag, m.name, std::string{to_string(m.role)}, m.donations, m.donations_received});
    }
  }
  return f;
}

player_facts facts_of(coc::player const& p) {
  player_facts f;
  f.name = p.name;
  f.league = p.league_tier ? p.league_tier->name : p.league ? p.league->name : std::string{};
  if (p.clan) {
    f.clan_tag = p.clan->tag;
    f.clan_name = p.clan->name;
  }
  f.trophies = p.trophies;
  f.town_hall = p.town_hall_level;
  f.builder_hall = p.builder_hall_level.value_or(0);
  f.heroes = items_of(p.heroes);
  f.troops = items_of(p.troops);
  f.spells = items_of(p.spells);
  if (p.achievements) {
    for (auto const& a : *p.achievements) {
      f.achievements.push_back(
          {std::string{to_string(a.village)} + "/" + a.name.str(), a.name.str(), a.value, a.stars});
    }
  }
  return f;
}

war_facts facts_of(war_now const& w, std::string_view clan_tag) {
  war_facts f;
  f.state = w.war ? std::string{to_string(w.war->state)} : std::string{to_string(w.state)};
  f.round = w.round;
  f.war_tag = w.war_tag;
  if (!w.war || w.source == war_source::none) return f;
  auto const& war = *w.war;
  // The API puts the asked clan first for /currentwar; a CWL war may have it as the opponent.
  bool const flipped = !war.clan || normalize_tag(side_tag(war.clan)) != normalize_tag(clan_tag);
  auto const& ours = flipped ? war.opponent : war.clan;
  auto const& theirs = flipped ? war.clan : war.opponent;
  f.opponent = side_tag(theirs);
  f.opponent_name = theirs && theirs->name ? *theirs->name : std::string{};
  f.identity = w.war_tag.empty() ? war.preparation_start_time.value_or("") + " " + f.opponent : w.war_tag;
  attacks_of(ours, "clan", f.attacks);
  attacks_of(theirs, "opponent", f.attacks);
  std::sort(f.attacks.begin(), f.attacks.end(), [](auto const& x, auto const& y) { return x.order < y.order; });
  return f;
}

group_facts facts_of(war_league_group const* g) {
  group_facts f;
  if (!g) return f;
  f.state = std::string{to_string(g->state)};
  f.season = g->season.value_or("");
  if (g->rounds) {
    for (auto const& r : *g->rounds) {
      bool const drawn = r.war_tags && std::any_of(r.war_tags->begin(), r.war_tags->end(),
                                                   [](auto const& t) { return !t.empty() && t != "#0"; });
      f.drawn.push_back(drawn);
    }
  }
  return f;
}

raid_facts facts_of(raid_season const* s) {
  raid_facts f;
  if (!s) return f;
  f.start = s->start_time;
  f.state = std::string{to_string(s->state)};
  f.total_loot = s->capital_total_loot.value_or(0);
  if (s->members) {
    for (auto const& m : *s->members) f.members.push_back({m.tag, m.name, m.attacks, m.capital_resources_looted});
  }
  return f;
}

void diff(clan_facts const& a, clan_facts const& b, std::vector<event>& out) {
  diff_members(a, b, out);
  number_change(kind::clan_level, a.level, b.level, out);
  text_change(kind::clan_name, a.name, b.name, out);
  text_change(kind::clan_description, a.description, b.description, out);
  text_change(kind::clan_badge, a.badge, b.badge, out);
  text_change(kind::clan_type, a.type, b.type, out);
  text_change(kind::clan_location, a.location, b.location, out);
  if (a.war_log_public != b.war_log_public) {
    out.push_back(change(kind::clan_war_log, a.war_log_public ? "true" : "false", b.war_log_public ? "true" : "false"));
  }
}

void diff(player_facts const& a, player_facts const& b, std::vector<event>& out) {
  number_change(kind::player_trophies, a.trophies, b.trophies, out);
  number_change(kind::player_town_hall, a.town_hall, b.town_hall, out);
  number_change(kind::player_builder_hall, a.builder_hall, b.builder_hall, out);
  text_change(kind::player_league, a.league, b.league, out);
  text_change(kind::player_name, a.name, b.name, out);
  if (a.clan_tag != b.clan_tag) {
    event e = change(kind::player_clan, a.clan_tag, b.clan_tag);
    e.name = b.clan_tag.empty() ? a.clan_name : b.clan_name;
    out.push_back(std::move(e));
  }
  diff_items(kind::player_hero, a.heroes, b.heroes, out);
  diff_items(kind::player_troop, a.troops, b.troops, out);
  diff_items(kind::player_spell, a.spells, b.spells, out);
  diff_items(kind::player_achievement, a.achievements, b.achievements, out);
}

void diff(war_facts const& a, war_facts const& b, war_memory& memory, std::vector<event>& out) {
  bool const new_war = !b.identity.empty() && b.identity != a.identity;
  if (new_war) {
    event e = make(kind::war_new, b.opponent, b.opponent_name);
    e.war_tag = b.war_tag;
    e.round = b.round;
    out.push_back(std::move(e));
  }
  round_events(a, b, memory, out);
  if (a.state != b.state) out.push_back(change(kind::war_state, a.state, b.state));
  for (auto const& x : b.attacks) {
    bool const seen = !new_war && std::any_of(a.attacks.begin(), a.attacks.end(),
                                              [&](attack_facts const& y) { return y.order == x.order; });
    if (seen) continue;
    event e = make(kind::war_attack, x.attacker, x.attacker_name);
    e.defender = x.defender;
    e.team = x.team;
    e.stars = x.stars;
    e.destruction = x.destruction;
    e.order = x.order;
    e.war_tag = b.war_tag;
    e.round = b.round;
    out.push_back(std::move(e));
  }
}

void diff(group_facts const& a, group_facts const& b, std::vector<event>& out) {
  bool const new_season = a.season != b.season;
  text_change(kind::cwl_group_state, a.state, b.state, out);
  for (std::size_t r = 0; r < b.drawn.size(); ++r) {
    bool const was = !new_season && r < a.drawn.size() && a.drawn[r];
    if (!b.drawn[r] || was) continue;
    event e = make(kind::cwl_round_drawn);
    e.round = static_cast<unsigned>(r + 1);
    out.push_back(std::move(e));
  }
}

void diff(raid_facts const& a, raid_facts const& b, std::vector<event>& out) {
  bool const same = a.start == b.start;
  if (!b.start.empty() && !same && b.state == "ongoing") {
    event e = make(kind::raid_weekend_start);
    e.item = b.start;
    out.push_back(std::move(e));
  }
  if (b.start.empty()) return;
  for (auto const& m : b.members) {
    auto const* old = same ? find_by(a.members, &raid_member_facts::tag, m.tag) : nullptr;
    int const before = old ? old->attacks : 0;
    if (m.attacks <= before) continue;
    event e = count(kind::raid_attack, before, m.attacks);
    e.tag = m.tag;
    e.name = m.name;
    e.loot = m.looted - (old ? old->looted : 0);
    out.push_back(std::move(e));
  }
  // Ended: seen ending, or a season that ended between two polls (not the first one ever seen).
  if (b.state == "ended" && ((same && a.state != "ended") || (!same && !a.start.empty()))) {
    event e = make(kind::raid_weekend_end);
    e.item = b.start;
    e.loot = b.total_loot;
    out.push_back(std::move(e));
  }
}

}  // namespace overworld::coc::events::detail
