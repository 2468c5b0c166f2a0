// Clans, wars and players.
#include "handlers.hpp"
#include "views.hpp"

#include <overworld/core/log.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace overworld::sandbox::detail {

namespace {

/// The tag in a path parameter, or the 404 the real API gives for a tag it does not know.
std::optional<std::string> tag_param(call const& c, std::string_view name, http::response& missing) {
  auto const raw = c.req.param(name);
  auto tag = normalize_tag(raw);
  if (!tag) {
    std::string shown{raw};
    if (shown.starts_with('#')) shown.erase(0, 1);
    missing = not_found_tag(shown);
  }
  return tag;
}

/// The clan of the path, or the 404.
clan_entry const* find_clan(call const& c, http::response& missing) {
  auto tag = tag_param(c, "clanTag", missing);
  if (!tag) return nullptr;
  auto const* clan = c.data.clan(*tag);
  if (!clan || !clan->profile) missing = not_found_tag(tag->substr(1));
  return clan && clan->profile ? clan : nullptr;
}

player_entry const* find_player(call const& c, http::response& missing) {
  auto tag = tag_param(c, "playerTag", missing);
  if (!tag) return nullptr;
  auto const* player = c.data.player(*tag);
  if (!player || !player->profile) missing = not_found_tag(tag->substr(1));
  return player && player->profile ? player : nullptr;
}

std::optional<std::int64_t> integer(std::string const& text) {
  std::int64_t n = 0;
  auto const [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return n;
}

constexpr std::array<std::string_view, 7> war_frequencies{
    "unknown", "always", "moreThanOncePerWeek", "oncePerWeek", "lessThanOncePerWeek", "never", "any"};

}  // namespace

http::response search_clans(call const& c) {
  http::response bad;
  auto const page = paging(c.req, bad);
  if (!page) return bad;
  auto const name = c.req.query_param("name");
  auto const frequency = c.req.query_param("warFrequency");
  struct bound {
    char const* param;
    std::int64_t clan_summary::*field;
    bool at_least;
    std::optional<std::int64_t> value;
  };
  std::array<bound, 5> bounds{{{"locationId", &clan_summary::location_id, true, {}},
                               {"minMembers", &clan_summary::members, true, {}},
                               {"maxMembers", &clan_summary::members, false, {}},
                               {"minClanPoints", &clan_summary::clan_points, true, {}},
                               {"minClanLevel", &clan_summary::clan_level, true, {}}}};
  bool filtered = name || frequency;
  for (auto& b : bounds) {
    auto const text = c.req.query_param(b.param);
    if (!text) continue;
    b.value = integer(*text);
    if (!b.value) return unknown_parameter(b.param);
    filtered = true;
  }
  std::vector<std::int64_t> labels;
  if (auto const text = c.req.query_param("labelIds")) {
    filtered = true;
    std::string_view rest = *text;
    while (!rest.empty()) {
      auto const comma = rest.find(',');
      auto const id = integer(std::string{rest.substr(0, comma)});
      if (!id) return unknown_parameter("labelIds");
      labels.push_back(*id);
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  if (!filtered) return error(400, "badRequest", "At least one filtering parameter must exist");
  if (name && name->size() < 3) return error(400, "badRequest", "Name needs to be at least three characters long");
  if (frequency && std::find(war_frequencies.begin(), war_frequencies.end(), *frequency) == war_frequencies.end()) {
    return error(400, "badRequest", "Unknown value for parameter warFrequency");
  }
  // A search recorded from the real API answers its own query with the recorded bytes.
  if (name && !page->paged() && !frequency && labels.empty() &&
      std::none_of(bounds.begin(), bounds.end(), [](bound const& b) { return b.value.has_value(); })) {
    if (auto it = c.data.recorded_searches->find("name=" + *name); it != c.data.recorded_searches->end()) {
      return ok(c, it->second, 60);
    }
  }
  std::string needle = name.value_or("");
  for (auto& ch : needle) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::vector<clan_summary const*> found;
  for (auto const& tag : *c.data.search_order) {
    auto const* clan = c.data.clan(tag);
    if (!clan || !clan->summary) continue;
    auto const& s = *clan->summary;
    if (!needle.empty() && s.name_lower.find(needle) == std::string::npos) continue;
    if (frequency && *frequency != "any" && s.war_frequency != *frequency) continue;
    bool keep = true;
    for (auto const& b : bounds) {
      if (b.value && (b.at_least ? s.*b.field < *b.value : s.*b.field > *b.value)) keep = false;
    }
    if (bounds[0].value && s.location_id != *bounds[0].value) keep = false;
    for (auto id : labels) {
      if (std::find(s.label_ids.begin(), s.label_ids.end(), id) == s.label_ids.end()) keep = false;
    }
    if (keep) found.push_back(&s);
  }
  auto body = render_page(
      found.size(), [&](std::size_t i) -> std::string const& { return found[i]->json; }, *page);
  return ok(c, std::move(body), 60);
}

http::response get_clan(call const& c) {
  http::response missing;
  auto const* clan = find_clan(c, missing);
  if (!clan) return missing;
  return ok(c, clan->profile, 120);
}

http::response get_members(call const& c) {
  http::response missing;
  auto const* clan = find_clan(c, missing);
  if (!clan) return missing;
  return list(c, *clan->members, 120);
}

http::response get_warlog(call const& c) {
  http::response missing;
  auto const* clan = find_clan(c, missing);
  if (!clan) return missing;
  if (!clan->war_log_public) return error(403, "accessDenied", {}, "max-age=600");
  return list(c, *clan->warlog, 120);
}

http::response get_current_war(call const& c) {
  http::response missing;
  auto const* clan = find_clan(c, missing);
  if (!clan) return missing;
  if (!clan->war_log_public) return error(403, "accessDenied", {}, "max-age=120");
  return ok(c, clan->current_war ? clan->current_war : c.data.not_in_war, 120);
}

http::response get_league_group(call const& c) {
  http::response missing;
  auto tag = tag_param(c, "clanTag", missing);
  if (!tag) return missing;
  auto const* group = c.data.cwl_groups.find(*tag);
  if (!group) return error(404, "notFound");
  return ok(c, *group, 600);
}

http::response get_cwl_war(call const& c) {
  http::response missing;
  auto tag = tag_param(c, "warTag", missing);
  if (!tag) return missing;
  auto const* war = c.data.cwl_wars.find(*tag);
  if (!war) return not_found_tag(tag->substr(1));
  return ok(c, *war, 600);
}

http::response get_raid_seasons(call const& c) {
  http::response missing;
  auto const* clan = find_clan(c, missing);
  if (!clan) return missing;
  return list(c, *clan->raid_seasons, 120);
}

http::response get_player(call const& c) {
  http::response missing;
  auto const* player = find_player(c, missing);
  if (!player) return missing;
  return ok(c, player->profile, 60);
}

http::response verify_token(call const& c) {
  http::response missing;
  auto const* player = find_player(c, missing);
  if (!player) return missing;
  boost::system::error_code ec;
  auto const body = boost::json::parse(c.req.body, ec);
  auto const* token = !ec && body.is_object() ? body.get_object().if_contains("token") : nullptr;
  if (!token || !token->is_string()) return error(400, "badRequest", "Invalid request body");
  std::string_view const given = token->get_string();
  bool const valid = !player->verify_token.empty() && given == player->verify_token;
  std::string out = "{\"tag\":\"" + *normalize_tag(c.req.param("playerTag")) + "\",\"token\":\"";
  append_json_escaped(out, given);
  out += valid ? "\",\"status\":\"ok\"}" : "\",\"status\":\"invalid\"}";
  // Answered fresh every time, yet labelled like an error: clients must not cache it.
  auto r = http::response::json(200, std::move(out));
  r.content_type = "application/json; charset=utf-8";
  r.header("Cache-Control", error_cache_control);
  return r;
}

http::response get_battlelog(call const& c) {
  http::response missing;
  auto const* player = find_player(c, missing);
  if (!player) return missing;
  if (player->battlelog) return ok(c, player->battlelog, 60);
  return ok(c, battle_log(c.data, *normalize_tag(c.req.param("playerTag")), c.now), 60);
}

http::response get_league_history(call const& c) {
  http::response missing;
  auto const* player = find_player(c, missing);
  if (!player) return missing;
  if (player->league_history) return ok(c, player->league_history, 300);
  return ok(c, league_history(c.data, *normalize_tag(c.req.param("playerTag")), c.now), 300);
}

}  // namespace overworld::sandbox::detail
