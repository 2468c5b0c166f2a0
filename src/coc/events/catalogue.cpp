// The event catalogue: names, what each kind is about, and an event as a line or as JSON.
#include <overworld/coc/events.hpp>
#include <overworld/core/log.hpp>

#include <array>
#include <utility>

namespace overworld::coc::events {
namespace {

struct entry {
  kind k;
  std::string_view name;
  std::string_view subject;
};

constexpr std::array catalogue{
    entry{kind::member_join, "member_join", "clan"},
    entry{kind::member_leave, "member_leave", "clan"},
    entry{kind::member_role, "member_role", "clan"},
    entry{kind::member_donations, "member_donations", "clan"},
    entry{kind::member_received, "member_received", "clan"},
    entry{kind::clan_level, "clan_level", "clan"},
    entry{kind::clan_name, "clan_name", "clan"},
    entry{kind::clan_description, "clan_description", "clan"},
    entry{kind::clan_badge, "clan_badge", "clan"},
    entry{kind::clan_type, "clan_type", "clan"},
    entry{kind::clan_location, "clan_location", "clan"},
    entry{kind::clan_war_log, "clan_war_log", "clan"},
    entry{kind::player_trophies, "player_trophies", "player"},
    entry{kind::player_town_hall, "player_town_hall", "player"},
    entry{kind::player_builder_hall, "player_builder_hall", "player"},
    entry{kind::player_league, "player_league", "player"},
    entry{kind::player_name, "player_name", "player"},
    entry{kind::player_clan, "player_clan", "player"},
    entry{kind::player_hero, "player_hero", "player"},
    entry{kind::player_troop, "player_troop", "player"},
    entry{kind::player_spell, "player_spell", "player"},
    entry{kind::player_achievement, "player_achievement", "player"},
    entry{kind::war_new, "war_new", "war"},
    entry{kind::war_state, "war_state", "war"},
    entry{kind::war_attack, "war_attack", "war"},
    entry{kind::cwl_round_start, "cwl_round_start", "war"},
    entry{kind::cwl_round_end, "cwl_round_end", "war"},
    entry{kind::cwl_group_state, "cwl_group_state", "cwl"},
    entry{kind::cwl_round_drawn, "cwl_round_drawn", "cwl"},
    entry{kind::raid_weekend_start, "raid_weekend_start", "raids"},
    entry{kind::raid_attack, "raid_attack", "raids"},
    entry{kind::raid_weekend_end, "raid_weekend_end", "raids"},
    entry{kind::maintenance_start, "maintenance_start", "api"},
    entry{kind::maintenance_end, "maintenance_end", "api"},
    entry{kind::season_end, "season_end", "api"},
};

constexpr auto kinds = [] {
  std::array<kind, catalogue.size()> out{};
  for (std::size_t i = 0; i < catalogue.size(); ++i) out[i] = catalogue[i].k;
  return out;
}();

entry const& entry_of(kind k) noexcept { return catalogue[static_cast<std::size_t>(k)]; }

static_assert([] {
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (static_cast<std::size_t>(catalogue[i].k) != i) return false;
  }
  return true;
}());

std::string quoted(std::string_view text) {
  std::string out{"\""};
  append_json_escaped(out, text);
  out += '"';
  return out;
}

class json_line {
 public:
  void text(std::string_view key, std::string_view value) {
    if (!value.empty()) raw(key, quoted(value));
  }
  void number(std::string_view key, std::int64_t value) { raw(key, std::to_string(value)); }
  void raw(std::string_view key, std::string_view value) {
    out_ += out_.size() > 1 ? "," : "";
    out_ += quoted(key);
    out_ += ':';
    out_ += value;
  }
  std::string done() { return std::move(out_) + "}"; }

 private:
  std::string out_{"{"};
};

std::string who(event const& e) {
  if (e.name.empty()) return e.tag;
  return e.tag.empty() ? e.name : e.tag + " " + e.name;
}

std::string from_to(event const& e) { return e.before + " -> " + e.after; }

std::string what_happened(event const& e) {
  switch (e.kind) {
    case kind::member_join:
      return who(e) + " joined";
    case kind::member_leave:
      return who(e) + " left";
    case kind::war_new:
      return "new war against " + who(e) + (e.round ? " (CWL round " + std::to_string(e.round) + ")" : "");
    case kind::war_attack:
      return (e.team == "clan" ? "attack " : "defense ") + who(e) + " on " + e.defender + ": " +
             std::to_string(e.stars) + " stars, " + std::to_string(e.destruction) + "%";
    case kind::cwl_round_start:
      return "CWL round " + std::to_string(e.round) + " started (" + e.war_tag + ")";
    case kind::cwl_round_end:
      return "CWL round " + std::to_string(e.round) + " ended (" + e.war_tag + ")";
    case kind::cwl_round_drawn:
      return "CWL round " + std::to_string(e.round) + " drawn";
    case kind::raid_weekend_start:
      return "raid weekend started (" + e.item + ")";
    case kind::raid_attack:
      return who(e) + " raided: attacks " + from_to(e) + ", " + std::to_string(e.loot) + " looted";
    case kind::raid_weekend_end:
      return "raid weekend ended, " + std::to_string(e.loot) + " looted";
    case kind::maintenance_start:
      return "the API went into maintenance";
    case kind::maintenance_end:
      return "the API is back from maintenance";
    case kind::season_end:
      return "season " + e.item + " ended";
    case kind::player_clan:
      return from_to(e) + (e.name.empty() ? "" : " (" + e.name + ")");
    default:
      break;
  }
  std::string out;
  if (!e.tag.empty() && subject_of(e.kind) == "clan") out = who(e) + ": ";
  if (!e.item.empty()) out += e.item + " ";
  return out + from_to(e);
}

}  // namespace

std::span<kind const> all_kinds() noexcept { return kinds; }
std::string_view name_of(kind k) noexcept { return entry_of(k).name; }
std::string_view subject_of(kind k) noexcept { return entry_of(k).subject; }

std::optional<kind> kind_named(std::string_view name) noexcept {
  for (auto const& e : catalogue) {
    if (e.name == name) return e.k;
  }
  return std::nullopt;
}

std::string describe(event const& e) {
  std::string out{name_of(e.kind)};
  if (!e.watched.empty()) out += " " + e.watched;
  return out + ": " + what_happened(e);
}

std::string to_json(event const& e) {
  json_line j;
  j.text("event", name_of(e.kind));
  j.text("watched", e.watched);
  j.text("tag", e.tag);
  j.text("name", e.name);
  j.text("item", e.item);
  if (!e.before.empty() || !e.after.empty()) {
    j.raw("before", e.numeric ? e.before : quoted(e.before));
    j.raw("after", e.numeric ? e.after : quoted(e.after));
  }
  if (e.kind == kind::war_attack) {
    j.text("defender", e.defender);
    j.text("team", e.team);
    j.number("stars", e.stars);
    j.number("destruction", e.destruction);
    j.number("order", e.order);
  }
  if (e.kind == kind::player_achievement) j.number("stars", e.stars);
  if (e.kind == kind::raid_attack || e.kind == kind::raid_weekend_end) j.number("loot", e.loot);
  j.text("war_tag", e.war_tag);
  if (e.round) j.number("round", e.round);
  j.number("seen", unix_millis(e.seen));
  j.number("lag_ms", e.lag.count());
  return j.done();
}

}  // namespace overworld::coc::events
