// Reads a folder of recorded CoC responses into a dataset. Each file keeps its bytes: a request
// for the whole resource gets exactly what was recorded.
#include "build.hpp"
#include "reference.hpp"

#include <boost/json/parse.hpp>

#include <array>
#include <fstream>
#include <sstream>
#include <tuple>

namespace overworld::sandbox {

namespace json = boost::json;
using namespace detail;

namespace {

struct document {
  bytes raw;
  json::value doc;
};

class folder_reader {
 public:
  explicit folder_reader(std::filesystem::path folder) : folder_(std::move(folder)) {}

  /// nullopt when the file is absent; an error when it is there but unreadable or not JSON.
  result<std::optional<document>> read(std::string const& name, std::string& why) const {
    auto const path = folder_ / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::optional<document>{};
    std::ifstream in{path, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
      why = "cannot read " + path.string();
      return errc::io_error;
    }
    document d;
    d.raw = share(std::move(text).str());
    boost::system::error_code jec;
    d.doc = json::parse(*d.raw, jec);
    if (jec) {
      why = path.string() + ": not JSON (" + jec.message() + ")";
      return errc::parse_error;
    }
    return std::optional<document>{std::move(d)};
  }

 private:
  std::filesystem::path folder_;
};

json::object const* object_of(json::value const& v) { return v.if_object(); }

/// The recorded request argument `key` of `file` in _responses.json ("clantag" -> "#29Y8PRCJR").
std::string recorded_arg(json::value const& responses, std::string const& file, std::string_view key) {
  auto const* all = responses.if_object();
  if (!all) return {};
  auto const* entry = all->if_contains(file);
  if (!entry || !entry->is_object()) return {};
  auto const* args = entry->get_object().if_contains("request_args");
  if (!args || !args->is_object()) return {};
  return string_of(args->get_object(), key);
}

void harvest_leagues(json::value const& v, std::map<std::int64_t, json::object>& found, int depth = 0) {
  if (depth > 6) return;
  if (auto const* o = v.if_object()) {
    if (auto const* league = o->if_contains("league"); league && league->is_object()) {
      auto const id = int_of(league->get_object(), "id");
      if (id >= 29000000 && id <= legend_league_id) {
        found.emplace(id, league->get_object());
      }
    }
    for (auto const& [k, child] : *o) {
      if (child.is_array() || child.is_object()) harvest_leagues(child, found, depth + 1);
    }
  } else if (auto const* a = v.if_array()) {
    for (auto const& child : *a) harvest_leagues(child, found, depth + 1);
  }
}

}  // namespace

result<std::shared_ptr<dataset>> load_dataset(std::filesystem::path const& folder, std::string& why, std::uint64_t seed,
                                              std::int64_t now) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    why = "sandbox dataset: " + folder.string() + " is not a folder";
    return errc::io_error;
  }
  folder_reader reader{folder};
  auto data = std::make_shared<dataset>();
  data->seed = seed;
  std::map<std::int64_t, json::object> leagues_seen;
  json::value responses;
  // Reads `name` into `out`; false (with why) only on a broken file.
  auto const load = [&](std::string const& name, std::optional<document>& out) -> bool {
    auto r = reader.read(name, why);
    if (!r) return false;
    out = std::move(*r);
    if (out) harvest_leagues(out->doc, leagues_seen);
    return true;
  };
  std::optional<document> d;
  if (!load("_responses.json", d)) return errc::parse_error;
  if (d) responses = std::move(d->doc);

  std::string player_tag, clan_tag;
  if (!load("player.json", d)) return errc::parse_error;
  if (d && object_of(d->doc)) {
    player_tag = string_of(d->doc.get_object(), "tag");
    add_player_profile(*data, player_tag, d->raw);
  }
  if (!load("clan.json", d)) return errc::parse_error;
  if (d && object_of(d->doc)) {
    clan_tag = string_of(d->doc.get_object(), "tag");
    add_clan_profile(*data, d->doc.get_object(), d->raw);
  }
  auto const player_of = [&](std::string const& file) {
    auto tag = recorded_arg(responses, file, "playertag");
    return tag.empty() ? player_tag : tag;
  };
  auto const clan_of = [&](std::string const& file) {
    auto tag = recorded_arg(responses, file, "clantag");
    return tag.empty() ? clan_tag : tag;
  };
  for (auto const& [file, member] : {std::pair{"battlelog.json", &player_entry::battlelog},
                                     std::pair{"leaguehistory.json", &player_entry::league_history}}) {
    if (!load(file, d)) return errc::parse_error;
    if (d && !player_of(file).empty()) data->players[player_of(file)].*member = d->raw;
  }
  if (!load("verifytoken_ok.json", d)) return errc::parse_error;
  if (d && object_of(d->doc)) {
    auto const tag = string_of(d->doc.get_object(), "tag");
    if (auto* player = data->players.find_for_edit(tag)) {
      player->verify_token = string_of(d->doc.get_object(), "token");
    }
  }
  for (auto const& [file, member] :
       {std::pair{"clan_members.json", &clan_entry::members}, std::pair{"warlog.json", &clan_entry::warlog},
        std::pair{"capitalraidseasons.json", &clan_entry::raid_seasons}}) {
    if (!load(file, d)) return errc::parse_error;
    if (d && !clan_of(file).empty()) data->clans[clan_of(file)].*member = make_list(d->doc, d->raw);
  }
  // The large search first: its order is the order results come back in.
  for (std::string const file : {"clan_search_large.json", "clan_search.json"}) {
    if (!load(file, d)) return errc::parse_error;
    if (!d) continue;
    if (auto const* o = d->doc.if_object(); o && o->contains("items") && o->at("items").is_array()) {
      for (auto const& item : o->at("items").get_array()) {
        if (item.is_object()) add_clan_summary(*data, item.get_object());
      }
    }
    if (auto name = recorded_arg(responses, file, "name"); !name.empty()) {
      data->recorded_searches.write()["name=" + name] = d->raw;
    }
  }
  // Later files win: a clan both at war and just out of one shows the war.
  for (std::string const file : {"currentwar_preparation.json", "currentwar_warended.json", "currentwar_inwar.json"}) {
    if (!load(file, d)) return errc::parse_error;
    if (!d || !object_of(d->doc)) continue;
    if (auto const* c = d->doc.get_object().if_contains("clan"); c && c->is_object()) {
      auto const tag = string_of(c->get_object(), "tag");
      if (!tag.empty()) data->clans[tag].current_war = d->raw;
    }
  }
  if (!load("currentwar_notinwar.json", d)) return errc::parse_error;
  data->not_in_war = d ? d->raw : share(R"({"state":"notInWar"})");

  // CWL: the group answers for each of its clans; the recorded wars take the tags of the group's
  // rounds (the last scheduled round is in preparation, the one before at war, every earlier one
  // ended), and the group answers for the clans of those wars too, as the real API does for every
  // clan whose CWL wars it serves.
  if (!load("cwl_leaguegroup.json", d)) return errc::parse_error;
  std::vector<std::string> round_tags;
  bytes group;
  if (d && object_of(d->doc)) {
    group = d->raw;
    auto const& g = d->doc.get_object();
    if (auto const* clans = g.if_contains("clans"); clans && clans->is_array()) {
      for (auto const& c : clans->get_array()) {
        if (c.is_object()) data->cwl_groups[string_of(c.get_object(), "tag")] = d->raw;
      }
    }
    if (auto const* rounds = g.if_contains("rounds"); rounds && rounds->is_array()) {
      for (auto const& r : rounds->get_array()) {
        auto const* tags = r.is_object() ? r.get_object().if_contains("warTags") : nullptr;
        if (!tags || !tags->is_array() || tags->get_array().empty()) continue;
        auto const& first = tags->get_array().front();
        if (first.is_string() && first.get_string() != "#0") round_tags.emplace_back(first.get_string());
      }
    }
  }
  std::size_t const n = round_tags.size();
  // [first, last) of the scheduled rounds, for each recorded war.
  for (auto const& [file, first, last] : {std::tuple{"cwl_war_ended.json", std::size_t{0}, n >= 2 ? n - 2 : n},
                                          std::tuple{"cwl_war_inwar.json", n >= 2 ? n - 2 : n, n >= 2 ? n - 1 : n},
                                          std::tuple{"cwl_war_preparation.json", n >= 1 ? n - 1 : n, n}}) {
    if (!load(file, d)) return errc::parse_error;
    if (!d || first >= last) continue;
    for (std::size_t i = first; i < last; ++i) data->cwl_wars[round_tags[i]] = d->raw;
    auto const* war = object_of(d->doc);
    if (!group || !war) continue;
    for (char const* side : {"clan", "opponent"}) {
      auto const* c = war->if_contains(side);
      auto const tag = c && c->is_object() ? string_of(c->get_object(), "tag") : std::string{};
      if (!tag.empty() && !data->cwl_groups.contains(tag)) data->cwl_groups[tag] = group;
    }
  }
  if (!load("ranked_leaguegroup_current.json", d)) return errc::parse_error;
  if (d && !player_tag.empty()) data->ranked_groups[player_tag] = d->raw;

  // Leagues, labels, locations and rankings.
  for (auto const& [file, table] :
       {std::pair{"leaguetiers.json", &dataset::league_tiers}, std::pair{"warleagues.json", &dataset::war_leagues},
        std::pair{"capitalleagues.json", &dataset::capital_leagues},
        std::pair{"builderbaseleagues.json", &dataset::builder_base_leagues},
        std::pair{"labels_clans.json", &dataset::clan_labels},
        std::pair{"labels_players.json", &dataset::player_labels}, std::pair{"locations.json", &dataset::locations}}) {
    if (!load(file, d)) return errc::parse_error;
    if (d) (*data).*table = make_id_table(d->doc, d->raw);
  }
  for (auto const& [id, item] : data->locations->by_id) {
    auto const parsed = json::parse(*item);
    auto const* c = parsed.get_object().if_contains("isCountry");
    data->location_is_country.write()[id] = c && c->is_bool() && c->get_bool();
  }
  if (!load("league_seasons.json", d)) return errc::parse_error;
  std::string latest_season;
  if (d) {
    data->legend_seasons = make_list(d->doc, d->raw);
    if (auto const* o = d->doc.if_object(); o && o->contains("items") && !o->at("items").get_array().empty()) {
      auto const& last = o->at("items").get_array().back();
      if (last.is_object()) latest_season = string_of(last.get_object(), "id");
    }
  }
  if (!load("league_season_rankings.json", d)) return errc::parse_error;
  if (d && !latest_season.empty()) data->season_rankings.write()[latest_season] = make_list(d->doc, d->raw);

  // A location recorded alone is served with its own bytes.
  for (char const* file : {"location_region.json", "location_country.json"}) {
    if (!load(file, d)) return errc::parse_error;
    if (!d || !object_of(d->doc)) continue;
    auto const id = int_of(d->doc.get_object(), "id");
    data->locations.write().by_id[id] = d->raw;
    auto const* c = d->doc.get_object().if_contains("isCountry");
    data->location_is_country.write()[id] = c && c->is_bool() && c->get_bool();
  }
  std::int64_t country = 0;
  if (!load("location_country.json", d)) return errc::parse_error;
  if (d && object_of(d->doc)) country = int_of(d->doc.get_object(), "id");
  location_rankings ranks;
  for (auto const& [file, member] :
       {std::pair{"rankings_clans.json", &location_rankings::clans},
        std::pair{"rankings_players.json", &location_rankings::players},
        std::pair{"rankings_clans_builder_base.json", &location_rankings::clans_builder_base},
        std::pair{"rankings_players_builder_base.json", &location_rankings::players_builder_base},
        std::pair{"rankings_capitals.json", &location_rankings::capitals}}) {
    if (!load(file, d)) return errc::parse_error;
    if (d) ranks.*member = make_list(d->doc, d->raw);
  }
  data->rankings.write()[0] = ranks;
  data->recorded_global_rankings = true;
  if (country != 0) data->rankings.write()[country] = std::move(ranks);

  if (!load("goldpass.json", d)) return errc::parse_error;
  if (d) data->gold_pass = d->raw;
  data->leagues = legacy_leagues(leagues_seen);
  complete_world(*data, now);
  return data;
}

}  // namespace overworld::sandbox
