#include "coc_render.hpp"

#include "table.hpp"

#include <vector>

namespace overworld::cli::coc_render {
namespace {

std::string role_name(std::string_view role) {
  if (role == "leader") return "Leader";
  if (role == "coLeader") return "Co-leader";
  if (role == "admin") return "Elder";
  if (role == "member") return "Member";
  return std::string{role};
}

// "x (best y)" when there is a best, the value alone otherwise.
std::string with_best(json root, std::string_view value, std::string_view best) {
  std::string out = text(root, value);
  std::string const b = text(root, best);
  if (!out.empty() && !b.empty()) out += " (best " + b + ")";
  return out;
}

// "name (#tag)", or whichever of the two there is.
std::string named(json root, std::string_view prefix) {
  std::string const name = text(root, std::string{prefix} + "/name");
  std::string tag = text(root, std::string{prefix} + "/tag");
  if (name.empty()) return tag;
  return tag.empty() ? name : name + " (" + tag + ")";
}

// The new league tiers (2025) replaced "league" on players; older answers still have it.
std::string league_of(json e) {
  std::string tier = text(e, "/leagueTier/name");
  return tier.empty() ? text(e, "/league/name") : tier;
}

// The API's enumerated values in words.
std::string words_for(std::string_view value) {
  static constexpr std::pair<std::string_view, std::string_view> names[] = {
      {"inWar", "In war"},
      {"preparation", "Preparation"},
      {"warEnded", "Ended"},
      {"notInWar", "Not in war"},
      {"ongoing", "Ongoing"},
      {"ended", "Ended"},
      {"groupNotFound", "Not in a league group"},
      {"always", "Always"},
      {"moreThanOncePerWeek", "More than once a week"},
      {"oncePerWeek", "Once a week"},
      {"lessThanOncePerWeek", "Less than once a week"},
      {"never", "Never"},
      {"unknown", "Unknown"},
      {"open", "Anyone can join"},
      {"inviteOnly", "Invite only"},
      {"closed", "Closed"},
      {"in", "In"},
      {"out", "Out"},
      {"win", "Win"},
      {"lose", "Loss"},
      {"tie", "Tie"},
      {"home", "Home village"},
      {"builderBase", "Builder base"},
  };
  for (auto const& [raw, shown] : names) {
    if (value == raw) return std::string{shown};
  }
  return std::string{value};
}

// A percentage field with one decimal ("72.5%").
std::string percent_of(json e, std::string_view pointer) { return format_percent(number(e, pointer)); }

style state_style(std::string_view state) {
  if (state == "inWar" || state == "ongoing") return style::green;
  if (state == "preparation") return style::yellow;
  if (state == "notInWar") return style::dim;
  return style::plain;
}

style result_style(std::string_view result) {
  if (result == "win") return style::green;
  if (result == "lose") return style::red;
  if (result == "tie") return style::yellow;
  return style::plain;
}

// "113-135": ours, then theirs (percentages with one decimal).
std::string versus(json e, std::string_view field, bool percent = false) {
  auto const value = [&](char const* side) {
    std::string const pointer = std::string{side} + std::string{field};
    return percent ? percent_of(e, pointer) : text(e, pointer);
  };
  std::string const ours = value("/clan/");
  std::string const theirs = value("/opponent/");
  if (ours.empty() && theirs.empty()) return {};
  return ours + " - " + theirs;
}

table member_table() {
  return table{{{"#", align::right},
                {"Tag", align::left, true},
                {"Name"},
                {"Role"},
                {"TH", align::right},
                {"Level", align::right},
                {"Trophies", align::right},
                {"League"},
                {"Donated", align::right},
                {"Received", align::right}}};
}

void add_member(table& t, json m) {
  t.add_row({text(m, "/clanRank"),
             text(m, "/tag"),
             {text(m, "/name"), style::bold},
             role_name(text(m, "/role")),
             text(m, "/townHallLevel"),
             text(m, "/expLevel"),
             text(m, "/trophies"),
             league_of(m),
             text(m, "/donations"),
             text(m, "/donationsReceived")});
}

std::string id_name_list(json root, bool color) {
  table t{{{"ID", align::right}, {"Name"}}};
  for (json item : array(root, "/items")) t.add_row({text(item, "/id"), text(item, "/name")});
  return t.render(color);
}

}  // namespace

std::string player(json root, bool color) {
  details d;
  d.add("Name", {text(root, "/name"), style::bold});
  d.add("Tag", text(root, "/tag"));
  std::string th = text(root, "/townHallLevel");
  if (auto const weapon = text(root, "/townHallWeaponLevel"); !weapon.empty()) th += " (weapon " + weapon + ")";
  d.add("Town hall", th);
  d.add("Experience level", text(root, "/expLevel"));
  d.add("Trophies", with_best(root, "/trophies", "/bestTrophies"));
  d.add("League", league_of(root));
  d.add("War stars", text(root, "/warStars"));
  d.add("Attacks won", text(root, "/attackWins"));
  d.add("Defenses won", text(root, "/defenseWins"));
  d.add("Builder hall", text(root, "/builderHallLevel"));
  d.add("Builder trophies", with_best(root, "/builderBaseTrophies", "/bestBuilderBaseTrophies"));
  d.add("Clan", named(root, "/clan"));
  if (at(root, "/clan")) d.add("Role", role_name(text(root, "/role")));
  d.add("War preference", words_for(text(root, "/warPreference")));
  d.add("Donated", text(root, "/donations"));
  d.add("Received", text(root, "/donationsReceived"));
  d.add("Capital gold", text(root, "/clanCapitalContributions"));
  std::string out = d.render(color);
  table heroes{{{"Hero"}, {"Level", align::right}, {"Max", align::right}, {"Village"}}};
  for (json h : array(root, "/heroes")) {
    heroes.add_row({text(h, "/name"), text(h, "/level"), text(h, "/maxLevel"), words_for(text(h, "/village"))});
  }
  if (!heroes.empty()) out += heading("Heroes", color) + heroes.render(color);
  return out;
}

std::string clan(json root, bool color) {
  details d;
  d.add("Name", {text(root, "/name"), style::bold});
  d.add("Tag", text(root, "/tag"));
  d.add("Level", text(root, "/clanLevel"));
  d.add("Members", text(root, "/members"));
  d.add("Type", words_for(text(root, "/type")));
  d.add("Location", text(root, "/location/name"));
  d.add("Points", text(root, "/clanPoints"));
  d.add("Builder points", text(root, "/clanBuilderBasePoints"));
  d.add("Capital points", text(root, "/clanCapitalPoints"));
  d.add("Required trophies", text(root, "/requiredTrophies"));
  d.add("Required town hall", text(root, "/requiredTownhallLevel"));
  d.add("War frequency", words_for(text(root, "/warFrequency")));
  d.add("War wins", text(root, "/warWins"));
  d.add("War win streak", text(root, "/warWinStreak"));
  d.add("War ties", text(root, "/warTies"));
  d.add("War losses", text(root, "/warLosses"));
  d.add("War log public", text(root, "/isWarLogPublic"));
  d.add("War league", text(root, "/warLeague/name"));
  d.add("Capital league", text(root, "/capitalLeague/name"));
  d.add("Description", text(root, "/description"));
  std::string out = d.render(color);
  auto t = member_table();
  for (json m : array(root, "/memberList")) add_member(t, m);
  if (!t.empty()) out += heading("Members (" + std::to_string(t.size()) + ")", color) + t.render(color);
  return out;
}

std::string members(json root, bool color) {
  auto t = member_table();
  for (json m : array(root, "/items")) add_member(t, m);
  return t.render(color);
}

std::string war(json root, bool color, unsigned cwl_round) {
  details d;
  std::string const state = text(root, "/state");
  d.add("State", {words_for(state), state_style(state)});
  if (cwl_round > 0) d.add("Clan War League", "round " + std::to_string(cwl_round));
  d.add("War tag", text(root, "/tag"));
  d.add("Team size", text(root, "/teamSize"));
  d.add("Attacks per member", text(root, "/attacksPerMember"));
  d.add("Modifier", text(root, "/battleModifier"));
  d.add("Preparation", coc_time(text(root, "/preparationStartTime")));
  d.add("Start", coc_time(text(root, "/startTime")));
  d.add("End", coc_time(text(root, "/endTime")));
  std::string out = d.render(color);
  table sides{{{"Side"},
               {"Name"},
               {"Tag", align::left, true},
               {"Level", align::right},
               {"Stars", align::right},
               {"Destruction", align::right},
               {"Attacks", align::right}}};
  for (auto const* side : {"/clan", "/opponent"}) {
    if (text(root, std::string{side} + "/tag").empty()) continue;
    auto const e = *at(root, side);
    sides.add_row({side + 1,
                   {text(e, "/name"), style::bold},
                   text(e, "/tag"),
                   text(e, "/clanLevel"),
                   text(e, "/stars"),
                   percent_of(e, "/destructionPercentage"),
                   text(e, "/attacks")});
  }
  if (!sides.empty()) out += "\n" + sides.render(color);
  return out;
}

std::string league_group(json root, bool color) {
  details d;
  d.add("Season", text(root, "/season"));
  std::string const state = text(root, "/state");
  d.add("State", {words_for(state), state_style(state)});
  std::string out = d.render(color);
  table clans{{{"Name"}, {"Tag", align::left, true}, {"Level", align::right}, {"Members", align::right}}};
  for (json c : array(root, "/clans")) {
    clans.add_row({{text(c, "/name"), style::bold},
                   text(c, "/tag"),
                   text(c, "/clanLevel"),
                   std::to_string(array(c, "/members").size())});
  }
  if (!clans.empty()) out += heading("Clans", color) + clans.render(color);
  table rounds{{{"Round", align::right}, {"War tags"}}};
  std::size_t n = 0;
  for (json r : array(root, "/rounds")) {
    std::string tags;
    for (json tag : array(r, "/warTags")) {
      if (text(tag) != "#0") tags += (tags.empty() ? "" : " ") + text(tag);
    }
    if (tags.empty()) tags = "not drawn yet";
    rounds.add_row({std::to_string(++n), tags});
  }
  if (!rounds.empty()) out += heading("Rounds", color) + rounds.render(color);
  return out;
}

std::string war_log(json root, bool color) {
  table t{{{"End"},
           {"Result"},
           {"Opponent"},
           {"Tag", align::left, true},
           {"Size", align::right},
           {"Stars", align::right},
           {"Destruction", align::right}}};
  for (json w : array(root, "/items")) {
    std::string const result = text(w, "/result");
    t.add_row({coc_time(text(w, "/endTime")),
               {words_for(result), result_style(result)},
               text(w, "/opponent/name"),
               text(w, "/opponent/tag"),
               text(w, "/teamSize"),
               versus(w, "stars"),
               versus(w, "destructionPercentage", true)});
  }
  return t.render(color);
}

std::string raids(json root, bool color) {
  table t{{{"Start"},
           {"End"},
           {"State"},
           {"Loot", align::right},
           {"Raids", align::right},
           {"Attacks", align::right},
           {"Districts", align::right},
           {"Offense", align::right},
           {"Defense", align::right}}};
  for (json r : array(root, "/items")) {
    std::string const state = text(r, "/state");
    t.add_row({coc_time(text(r, "/startTime")),
               coc_time(text(r, "/endTime")),
               {words_for(state), state_style(state)},
               text(r, "/capitalTotalLoot"),
               text(r, "/raidsCompleted"),
               text(r, "/totalAttacks"),
               text(r, "/enemyDistrictsDestroyed"),
               text(r, "/offensiveReward"),
               text(r, "/defensiveReward")});
  }
  return t.render(color);
}

std::string clan_list(json root, bool color) {
  table t{{{"Tag", align::left, true},
           {"Name"},
           {"Level", align::right},
           {"Members", align::right},
           {"Points", align::right},
           {"Location"},
           {"War league"},
           {"Type"}}};
  for (json c : array(root, "/items")) {
    t.add_row({text(c, "/tag"),
               {text(c, "/name"), style::bold},
               text(c, "/clanLevel"),
               text(c, "/members"),
               text(c, "/clanPoints"),
               text(c, "/location/name"),
               text(c, "/warLeague/name"),
               words_for(text(c, "/type"))});
  }
  return t.render(color);
}

std::string rankings(json root, std::string_view kind, bool color) {
  bool const players = kind == "players" || kind == "builder-players";
  std::string const points = kind == "players"           ? "/trophies"
                             : kind == "builder-players" ? "/builderBaseTrophies"
                             : kind == "builder-clans"   ? "/clanBuilderBasePoints"
                             : kind == "capitals"        ? "/clanCapitalPoints"
                                                         : "/clanPoints";
  std::vector<column> columns{
      {"Rank", align::right}, {"Prev", align::right}, {"Tag", align::left, true}, {"Name"}, {"Level", align::right}};
  if (players) {
    columns.push_back({"Trophies", align::right});
    columns.push_back({"Clan"});
  } else {
    columns.push_back({"Members", align::right});
    columns.push_back({"Points", align::right});
    columns.push_back({"Location"});
  }
  table t{std::move(columns)};
  for (json e : array(root, "/items")) {
    // A previous rank of -1 (or none) means the entry is new to the list.
    auto const previous = integer(e, "/previousRank");
    std::string const prev = previous && *previous > 0 ? std::to_string(*previous) : "new";
    std::vector<cell> row{text(e, "/rank"), prev, text(e, "/tag"), {text(e, "/name"), style::bold}};
    if (players) {
      row.insert(row.end(), {text(e, "/expLevel"), text(e, points), text(e, "/clan/name")});
    } else {
      row.insert(row.end(), {text(e, "/clanLevel"), text(e, "/members"), text(e, points), text(e, "/location/name")});
    }
    t.add_row(std::move(row));
  }
  return t.render(color);
}

std::string locations(json root, bool color) {
  table t{{{"ID", align::right}, {"Name"}, {"Country"}, {"Code"}}};
  for (json l : array(root, "/items")) {
    t.add_row({text(l, "/id"), text(l, "/name"), text(l, "/isCountry"), text(l, "/countryCode")});
  }
  return t.render(color);
}

std::string location(json root, bool color) {
  details d;
  d.add("ID", text(root, "/id"));
  d.add("Name", {text(root, "/name"), style::bold});
  d.add("Country", text(root, "/isCountry"));
  d.add("Code", text(root, "/countryCode"));
  return d.render(color);
}

std::string leagues(json root, bool color) { return id_name_list(root, color); }

std::string league(json root, bool color) {
  details d;
  d.add("ID", text(root, "/id"));
  d.add("Name", {text(root, "/name"), style::bold});
  return d.render(color);
}

std::string gold_pass(json root, bool color) {
  details d;
  d.add("Start", coc_time(text(root, "/startTime")));
  d.add("End", coc_time(text(root, "/endTime")));
  return d.render(color);
}

std::string operations(json root, bool color) {
  table t{{{"Operation"}, {"Method"}, {"Path"}, {"Command"}}};
  for (json o : array(root, "/items")) {
    t.add_row({{text(o, "/operation"), style::bold}, text(o, "/method"), text(o, "/path"), text(o, "/command")});
  }
  return t.render(color);
}

namespace {

bool plain(json e) { return !e.is_object() && !e.is_array() && !e.is_null(); }

// The plain fields of `e`, in its order, at most `most` of them.
std::vector<std::string> plain_fields(json e, std::size_t most) {
  std::vector<std::string> out;
  simdjson::dom::object fields;
  if (e.get(fields) != simdjson::SUCCESS) return out;
  for (auto field : fields) {
    if (out.size() < most && plain(field.value)) out.emplace_back(field.key);
  }
  return out;
}

}  // namespace

namespace {

// A table of the plain fields of `items` (those of the first one, at most eight).
std::string items_table(std::vector<json> const& items, bool color) {
  if (items.empty()) return {};
  auto const names = plain_fields(items.front(), 8);
  std::vector<column> columns;
  for (auto const& name : names) columns.push_back({name});
  table t{std::move(columns)};
  for (json item : items) {
    std::vector<cell> row;
    for (auto const& name : names) row.emplace_back(text(item, "/" + name));
    t.add_row(std::move(row));
  }
  return t.render(color);
}

}  // namespace

std::string fields(json root, bool color) {
  if (at(root, "/items")) return items_table(array(root, "/items"), color);
  details d;
  for (auto const& name : plain_fields(root, 64)) d.add(name, text(root, "/" + name));
  std::string out = d.render(color);
  // Then each list in the answer, under its name.
  simdjson::dom::object members;
  if (root.get(members) != simdjson::SUCCESS) return out;
  for (auto member : members) {
    auto const items = array(member.value, "");
    if (items.empty() || !items.front().is_object()) continue;
    out += heading(std::string{member.key} + " (" + std::to_string(items.size()) + ")", color);
    out += items_table(items, color);
  }
  return out;
}

}  // namespace overworld::cli::coc_render
