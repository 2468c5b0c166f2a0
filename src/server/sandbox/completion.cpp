// Completes a world of recorded answers: every clan and player they mention gets what the API
// would serve about it. Recordings made at different times do not agree with each other (a
// member list from 2025 beside a war from 2023), so what was recorded decides first and the rest
// fits around it: a player belongs to the first clan that lists it, a clan whose members were
// recorded takes no one else, and the pieces between are made up from the seed.
#include "build.hpp"
#include "calendar.hpp"
#include "changes_detail.hpp"
#include "entities.hpp"
#include "reference.hpp"
#include "schedule.hpp"
#include "wars.hpp"

#include <algorithm>
#include <chrono>
#include <set>

namespace overworld::sandbox {

using namespace detail;

namespace {

using edit::parse_object;

json::array const& array_in(json::object const& o, std::string_view key) {
  static json::array const none;
  auto const* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : none;
}

json::object const& object_in(json::object const& o, std::string_view key) {
  static json::object const none;
  auto const* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : none;
}

std::vector<json::object> items_of(paged_list const& list) {
  std::vector<json::object> out;
  for (auto const& item : list.items) {
    if (auto o = parse_object(std::string_view{item})) out.push_back(std::move(*o));
  }
  return out;
}

/// Gathers what the recorded answers say about clans and players.
class gatherer {
 public:
  gatherer(dataset& data, world_builder& builder) : data_(data), b_(builder) {}

  /// A clan as a reference names it (tag, name, clanLevel or level, badgeUrls).
  clan_facts* clan(json::object const& ref) {
    auto const tag = string_of(ref, "tag");
    if (!normalize_tag(tag)) return nullptr;
    auto& c = b_.clan(tag);
    if (c.name.empty()) c.name = string_of(ref, "name");
    if (c.level <= 0) c.level = int_of(ref, "clanLevel", int_of(ref, "level"));
    if (!c.badge) {
      if (auto const* badge = ref.if_contains("badgeUrls"); badge && badge->is_object()) c.badge = badge->get_object();
    }
    return &c;
  }
  /// A player as a list names it; joins `clan` when it has none yet and there is room.
  player_facts* player(json::object const& ref, std::string const& clan = {}, char const* tag_key = "tag",
                       char const* name_key = "name") {
    auto const tag = string_of(ref, tag_key);
    if (!normalize_tag(tag)) return nullptr;
    auto& p = b_.player(tag);
    if (p.name.empty()) p.name = string_of(ref, name_key);
    if (p.town_hall <= 0) p.town_hall = int_of(ref, "townHallLevel", int_of(ref, "townhallLevel"));
    if (p.exp_level <= 0) p.exp_level = int_of(ref, "expLevel");
    auto const number = [&](std::optional<std::int64_t>& field, char const* key) {
      if (!field && ref.contains(key)) field = int_of(ref, key);
    };
    number(p.trophies, "trophies");
    number(p.builder_base_trophies, "builderBaseTrophies");
    number(p.donations, "donations");
    number(p.donations_received, "donationsReceived");
    number(p.attack_wins, "attackWins");
    number(p.defense_wins, "defenseWins");
    if (!clan.empty()) b_.assign(clan, tag, string_of(ref, "role"));
    return &b_.player(tag);
  }

  void recorded_players() {
    for (auto const& tag : *data_.player_order) {
      auto profile = parse_object(data_.player(tag)->profile);
      if (!profile) continue;
      auto const& ref = object_in(*profile, "clan");
      auto* c = ref.empty() ? nullptr : clan(ref);
      player(*profile, c ? c->tag : std::string{});
    }
  }

  void recorded_clans() {
    for (auto const& [tag, entry] : data_.clans) {
      if (entry.profile) {
        auto profile = parse_object(entry.profile);
        if (!profile) continue;
        auto* c = clan(*profile);
        c->closed = true;
        for (auto const& m : array_in(*profile, "memberList")) player(m.as_object(), tag);
      }
    }
    // Member lists recorded without the clan's profile: the profile is made for them.
    for (auto const& [tag, entry] : data_.clans) {
      if (entry.profile || !entry.members->whole) continue;
      auto& c = b_.clan(tag);
      for (auto const& m : items_of(*entry.members)) player(m, tag);
      c.wanted = static_cast<std::int64_t>(c.members.size());
      c.closed = true;
      recorded_lists_.emplace_back(tag, entry.members);
    }
  }

  /// Both sides of a war and their members.
  void war(json::object const& war, bool public_logs) {
    for (char const* side : {"clan", "opponent"}) {
      auto const& s = object_in(war, side);
      auto* c = clan(s);
      if (!c) continue;
      if (public_logs) c->war_log_public = true;
      for (auto const& m : array_in(s, "members")) player(m.as_object(), c->tag);
      fixed_.insert(c->tag);
    }
  }

  void recorded_wars() {
    for (auto const& [tag, entry] : data_.clans) {
      if (auto w = parse_object(entry.current_war)) wars_.push_back(std::move(*w));
    }
    for (auto const& w : wars_) war(w, true);
    std::set<std::string> groups;
    for (auto const& [tag, body] : data_.cwl_groups) {
      if (!groups.insert(*body).second) continue;
      auto group = parse_object(body);
      if (!group) continue;
      for (auto const& c : array_in(*group, "clans")) {
        auto* facts = clan(c.as_object());
        if (!facts) continue;
        fixed_.insert(facts->tag);
        for (auto const& m : array_in(c.as_object(), "members")) player(m.as_object(), facts->tag);
        facts->wanted =
            std::max<std::int64_t>(facts->wanted.value_or(0), static_cast<std::int64_t>(facts->members.size()));
      }
    }
    std::set<std::string> seen;
    for (auto const& [tag, body] : data_.cwl_wars) {
      if (!seen.insert(*body).second) continue;
      if (auto w = parse_object(body)) war(*w, false);
    }
  }

  void logs() {
    for (auto const& [tag, entry] : data_.clans) {
      for (auto const& item : items_of(*entry.warlog)) {
        auto const& opponent = object_in(item, "opponent");
        if (opponent.contains("tag") && clan(opponent)) logged_.emplace_back(tag, item);
      }
      for (auto const& season : items_of(*entry.raid_seasons)) raids(tag, season);
    }
  }

  void raids(std::string const& tag, json::object const& season) {
    for (auto const& m : array_in(season, "members")) player(m.as_object(), tag);
    for (auto const& raid : array_in(season, "attackLog")) {
      clan(object_in(raid.as_object(), "defender"));
      for (auto const& d : array_in(raid.as_object(), "districts")) {
        for (auto const& a : array_in(d.as_object(), "attacks")) player(object_in(a.as_object(), "attacker"), tag);
      }
    }
    for (auto const& raid : array_in(season, "defenseLog")) {
      auto* raider = clan(object_in(raid.as_object(), "attacker"));
      for (auto const& d : array_in(raid.as_object(), "districts")) {
        for (auto const& a : array_in(d.as_object(), "attacks")) {
          player(object_in(a.as_object(), "attacker"), raider ? raider->tag : std::string{});
        }
      }
    }
  }

  void searches() {
    for (auto const& tag : *data_.search_order) {
      auto const* entry = data_.clan(tag);
      if (!entry || entry->profile || !entry->summary) continue;
      auto item = parse_object(std::string_view{entry->summary->json});
      if (!item) continue;
      auto* c = clan(*item);
      c->known = *item;
      if (auto const* loc = item->if_contains("location"); loc && loc->is_object()) c->location = loc->get_object();
      c->wanted = std::max<std::int64_t>(c->wanted.value_or(0), int_of(*item, "members"));
    }
  }

  void rankings() {
    for (auto const& [id, r] : *data_.rankings) {
      for (auto const* list : {&r.clans, &r.clans_builder_base, &r.capitals}) {
        for (auto const& item : items_of(*list)) {
          auto* c = clan(item);
          if (!c) continue;
          if (!c->location && item.contains("location")) c->location = object_in(item, "location");
          if (!c->wanted && item.contains("members")) c->wanted = int_of(item, "members");
        }
      }
      for (auto const* list : {&r.players, &r.players_builder_base}) ranked_players(*list);
    }
    for (auto const& [id, list] : *data_.season_rankings) ranked_players(list);
  }

  void ranked_players(paged_list const& list) {
    for (auto const& item : items_of(list)) {
      auto const& ref = object_in(item, "clan");
      auto* c = ref.empty() ? nullptr : clan(ref);
      player(item, c ? c->tag : std::string{});
    }
  }

  void league_groups_and_battles() {
    for (auto const& [tag, body] : data_.ranked_groups) {
      auto group = parse_object(body);
      if (!group) continue;
      for (auto const& m : array_in(*group, "members")) {
        auto const& o = m.as_object();
        std::string clan_tag;
        if (o.contains("clanTag")) {
          auto* c =
              clan(json::object{{"tag", o.at("clanTag")}, {"name", o.contains("clanName") ? o.at("clanName") : ""}});
          if (c) clan_tag = c->tag;
        }
        player(o, clan_tag, "playerTag", "playerName");
      }
      for (char const* log : {"attackLogs", "defenseLogs"}) {
        for (auto const& e : array_in(*group, log)) player(e.as_object(), {}, "opponentPlayerTag", "opponentName");
      }
    }
    for (auto const& tag : *data_.player_order) {
      auto const* p = data_.player(tag);
      if (!p->battlelog) continue;
      if (auto log = parse_object(p->battlelog)) {
        for (auto const& e : array_in(*log, "items")) player(e.as_object(), {}, "opponentPlayerTag", "opponentName");
      }
    }
  }

  std::vector<std::pair<std::string, cow<paged_list>>> recorded_lists_;
  std::vector<json::object> wars_;
  std::vector<std::pair<std::string, json::object>> logged_;  ///< war log entries, by the clan that logged them
  std::set<std::string> fixed_;                               ///< clans in recorded wars or leagues

 private:
  dataset& data_;
  world_builder& b_;
};

/// The war log entry from the opponent's side.
json::object mirrored_entry(json::object entry) {
  auto const result = string_of(entry, "result");
  entry["result"] = result == "win" ? "lose" : result == "lose" ? "win" : result;
  auto ours = object_in(entry, "opponent");
  auto theirs = object_in(entry, "clan");
  theirs.erase("attacks");
  theirs.erase("expEarned");
  ours["attacks"] = 0;
  ours["expEarned"] = 0;
  entry["clan"] = std::move(ours);
  entry["opponent"] = std::move(theirs);
  return entry;
}

/// The wars of the recorded league group that were not recorded: each round's other pairs of
/// the group's clans, in the state of the round's recorded war, over the same days.
void complete_league(dataset& data) {
  std::set<std::string> done;
  for (auto const& [clan_tag, body] : data.cwl_groups) {
    if (!done.insert(*body).second) continue;
    auto group = parse_object(body);
    if (!group) continue;
    auto const& clans = array_in(*group, "clans");
    if (clans.size() != 8) continue;
    int round = 0;
    for (auto const& r : array_in(*group, "rounds")) {
      ++round;
      auto const& tags = array_in(r.as_object(), "warTags");
      auto const* recorded = tags.empty() ? nullptr : data.cwl_wars.find(std::string{tags[0].as_string()});
      auto const pattern = recorded ? parse_object(*recorded) : std::nullopt;
      if (!pattern) continue;
      auto const pairs = cwl_pairs(round);
      for (std::size_t w = 1; w < tags.size() && w < pairs.size(); ++w) {
        std::string const tag{tags[w].as_string()};
        if (tag == "#0" || data.cwl_wars.contains(tag)) continue;
        json::object a, b;
        if (edit::load_clan(data, string_of(clans[pairs[w].first].as_object(), "tag"), a) ||
            edit::load_clan(data, string_of(clans[pairs[w].second].as_object(), "tag"), b)) {
          continue;
        }
        auto war = new_war(war_side(a, cwl_team), war_side(b, cwl_team), cwl_team, 1, {}, true);
        for (char const* key : {"preparationStartTime", "startTime", "endTime", "warStartTime"}) {
          if (pattern->contains(key)) war[key] = pattern->at(key);
        }
        auto const state = string_of(*pattern, "state");
        if (state != "preparation") {
          war["state"] = "inWar";
          auto const start = calendar::parse_time(string_of(*pattern, "startTime")).value_or(0);
          for (auto const& attack : cwl_attacks(data.seed, tag, start)) {
            // Half the day has passed in a war at war; all of it in an ended one.
            if (state == "warEnded" || attack.at - start < calendar::day / 2) apply_planned(war, attack);
          }
          war["state"] = state;
        }
        data.cwl_wars[tag] = share(compact(war));
      }
    }
  }
}

}  // namespace

void complete_world(dataset& data, std::int64_t now) {
  if (now == 0) {
    now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  data.made_at = now;
  ensure_reference(data, 0);
  references const refs{data};
  world_builder builder{data, refs};
  gatherer g{data, builder};
  // What decides first: recorded profiles, recorded member lists, recorded wars and leagues.
  g.recorded_players();
  g.recorded_clans();
  g.recorded_wars();
  g.searches();
  g.logs();
  g.rankings();
  g.league_groups_and_battles();
  builder.write(now);
  for (auto const& [tag, list] : g.recorded_lists_) data.clans[tag].members = list;

  // The other side of each recorded war sees it too; the other side of each war log entry has it.
  for (auto const& war : g.wars_) {
    auto const opponent = side_tag(war, "opponent");
    if (auto const* c = data.clan(opponent); c && !c->current_war) {
      data.clans[opponent].current_war = share(compact(mirrored(war)));
    }
  }
  for (auto const& [tag, entry] : g.logged_) {
    auto const opponent = string_of(object_in(entry, "opponent"), "tag");
    auto& log = data.clans[opponent].warlog.write();
    log.items.push_back(compact(mirrored_entry(entry)));
    log.whole = nullptr;
  }
  complete_league(data);

  // Time moves the clans that hold nothing recorded: a part of the plan of their own.
  std::vector<std::string> moving;
  for (auto const& tag : builder.clan_order()) {
    auto const& c = builder.clan(tag);
    if (c.recorded || c.closed || g.fixed_.contains(tag)) continue;
    bool const holds_recorded = std::any_of(c.members.begin(), c.members.end(),
                                            [&](std::string const& m) { return builder.player(m).recorded; });
    if (!holds_recorded) moving.push_back(tag);
  }
  auto& plan = data.plan.write();
  auto const first = static_cast<std::uint32_t>(plan.clans.size());
  plan.parts.push_back({first, first + static_cast<std::uint32_t>(moving.size()), 0});
  for (auto const& tag : moving)
    plan.clans.push_back({tag, world_plan::none, world_plan::none, static_cast<std::uint32_t>(plan.parts.size() - 1)});
  for (auto i = first; i + 1 < plan.clans.size(); i += 2) {
    plan.clans[i].partner = i + 1;
    plan.clans[i + 1].partner = i;
  }
}

}  // namespace overworld::sandbox
