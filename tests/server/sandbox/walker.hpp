// Test support: a client that walks the sandbox's world over the wire the way a client library
// does (clan → members → players → their clans, wars, leagues, raids, battles), from every entry
// point (clan search, locations and their rankings of every kind, Legend League seasons), and
// notes every tag that does not resolve and every place where the world disagrees with itself.
#pragma once

#include "support.hpp"

#include <boost/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace overworld::sandbox::testing {

class world_walker {
 public:
  using json_value = boost::json::value;
  using json_object = boost::json::object;

  explicit world_walker(sandbox_server& s)
      : server_(s), connection_(std::make_unique<http::testing::raw_connection>(s.server.port())) {}

  /// Clans whose member lists are recorded: the members of their recorded wars and raids need not
  /// be members now (the recordings were made at different times).
  std::set<std::string> recorded_lists;

  std::vector<std::string> problems;
  std::size_t requests = 0;
  std::unordered_set<std::string> clans, players, wars, groups;

  void walk() {
    entry_points();
    while (!clan_queue_.empty() || !player_queue_.empty()) {
      if (!clan_queue_.empty()) {
        prefetch_next(clan_queue_,
                      {"", "/members", "/warlog", "/currentwar", "/currentwar/leaguegroup", "/capitalraidseasons"},
                      "/v1/clans/");
        auto const tag = clan_queue_.front();
        clan_queue_.pop_front();
        visit_clan(tag);
        continue;
      }
      prefetch_next(player_queue_, {"", "/battlelog", "/leaguehistory"}, "/v1/players/");
      auto const tag = player_queue_.front();
      player_queue_.pop_front();
      visit_player(tag);
    }
    check_memberships();
  }

 private:
  static std::string path_tag(std::string const& tag) { return "%23" + tag.substr(1); }
  static std::string text(json_value const& v, char const* key) {
    auto const* o = v.if_object();
    auto const* f = o ? o->if_contains(key) : nullptr;
    return f && f->is_string() ? std::string{f->get_string()} : std::string{};
  }
  static boost::json::array const& items(json_value const& v, char const* key = "items") {
    static boost::json::array const none;
    auto const* o = v.if_object();
    auto const* f = o ? o->if_contains(key) : nullptr;
    return f && f->is_array() ? f->get_array() : none;
  }

  static std::string request_of(std::string const& target) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + test_key + "\r\n\r\n";
  }

  /// Asks for what the next entries of `queue` will need, pipelined on the connection (the walk
  /// makes some 100,000 requests; one round trip each would be most of its time).
  void prefetch_next(std::deque<std::string> const& queue, std::initializer_list<char const*> parts,
                     std::string const& prefix) {
    if (queue.empty() || prefetched_.contains(prefix + path_tag(queue.front()))) return;
    std::vector<std::string> targets;
    for (std::size_t i = 0; i < queue.size() && targets.size() < 96; ++i) {
      for (auto const* part : parts) targets.push_back(prefix + path_tag(queue[i]) + part);
    }
    std::string batch;
    for (auto const& t : targets) batch += request_of(t);
    connection_->send(batch);
    for (auto const& t : targets) {
      auto r = connection_->read();
      if (!r) return;  // fetch() asks again and reports it
      prefetched_.emplace(t, std::pair{r->result_int(), std::move(r->body())});
    }
  }

  /// GET `target`: its body when the status is one of `allowed`, else a problem and nullopt.
  std::optional<std::string> fetch(std::string const& target, std::initializer_list<unsigned> allowed,
                                   std::string const& why, unsigned* status = nullptr) {
    ++requests;
    std::pair<unsigned, std::string> answer;
    if (auto it = prefetched_.find(target); it != prefetched_.end()) {
      answer = std::move(it->second);
      prefetched_.erase(it);
    } else {
      connection_->send(request_of(target));
      auto r = connection_->read();
      if (!r) {
        problems.push_back(target + ": no answer (" + why + ")");
        connection_ = std::make_unique<http::testing::raw_connection>(server_.server.port());
        return std::nullopt;
      }
      answer = {r->result_int(), std::move(r->body())};
    }
    if (status) *status = answer.first;
    if (std::find(allowed.begin(), allowed.end(), answer.first) == allowed.end()) {
      problems.push_back(target + ": " + std::to_string(answer.first) + " " + answer.second + " (" + why + ")");
      return std::nullopt;
    }
    return std::move(answer.second);
  }
  /// As fetch, parsed.
  std::optional<json_value> get(std::string const& target, std::initializer_list<unsigned> allowed,
                                std::string const& why, unsigned* status = nullptr) {
    auto body = fetch(target, allowed, why, status);
    if (!body) return std::nullopt;
    boost::system::error_code ec;
    auto v = boost::json::parse(*body, ec);
    if (ec) problems.push_back(target + ": not JSON (" + why + ")");
    return v;
  }
  /// The values of `"field":"…"` in a body (tags carry no escapes), without parsing it all: the
  /// walk reads tens of thousands of battle logs.
  static std::vector<std::string> values_of(std::string const& body, std::string const& field) {
    std::vector<std::string> out;
    auto const key = "\"" + field + "\":\"";
    for (auto at = body.find(key); at != std::string::npos; at = body.find(key, at)) {
      at += key.size();
      auto const end = body.find('"', at);
      out.push_back(body.substr(at, end - at));
    }
    return out;
  }

  void clan(std::string const& tag, std::string const& why) {
    if (tag.empty() || tag == "#0") return;
    if (clans.insert(tag).second) {
      clan_queue_.push_back(tag);
      why_[tag] = why;
    }
  }
  void player(std::string const& tag, std::string const& why) {
    if (tag.empty()) return;
    if (players.insert(tag).second) {
      player_queue_.push_back(tag);
      why_[tag] = why;
    }
  }
  /// `member` must be in `clan`'s member list (checked once every clan is known).
  void member(std::string const& clan_tag, std::string const& player_tag, std::string const& why) {
    if (!recorded_lists.contains(clan_tag)) expected_members_.push_back({clan_tag, player_tag, why});
  }

  void entry_points() {
    if (auto found = get("/v1/clans?minMembers=0", {200}, "search")) {
      for (auto const& c : items(*found)) clan(text(c, "tag"), "search");
    }
    auto const locations = get("/v1/locations", {200}, "locations");
    std::vector<std::string> ranked{"global"};
    if (locations) {
      for (auto const& l : items(*locations)) {
        auto const id = std::to_string(l.at("id").as_int64());
        get("/v1/locations/" + id, {200}, "location");
        if (l.at("isCountry").as_bool()) ranked.push_back(id);
      }
    }
    for (auto const& id : ranked) {
      for (char const* kind : {"clans", "players", "clans-builder-base", "players-builder-base", "capitals"}) {
        auto const why = std::string{kind} + " rankings of " + id;
        auto const list = get("/v1/locations/" + id + "/rankings/" + kind, {200}, why);
        if (!list) continue;
        bool const of_players = std::string_view{kind}.starts_with("players");
        for (auto const& item : items(*list)) {
          if (of_players) {
            player(text(item, "tag"), why);
          } else {
            clan(text(item, "tag"), why);
          }
          if (item.as_object().contains("clan")) clan(text(item.at("clan"), "tag"), why);
        }
      }
    }
    if (auto seasons = get("/v1/leagues/29000022/seasons", {200}, "Legend League seasons")) {
      for (auto const& s : items(*seasons)) {
        auto const id = text(s, "id");
        auto const ranking = get("/v1/leagues/29000022/seasons/" + id + "?limit=20", {200}, "season " + id);
        if (!ranking) continue;
        for (auto const& item : items(*ranking)) {
          player(text(item, "tag"), "season " + id);
          if (item.as_object().contains("clan")) clan(text(item.at("clan"), "tag"), "season " + id);
        }
      }
    }
    for (char const* list : {"/v1/leaguetiers", "/v1/leagues", "/v1/warleagues", "/v1/capitalleagues",
                             "/v1/builderbaseleagues", "/v1/labels/clans", "/v1/labels/players"}) {
      get(list, {200}, "a list");
    }
    get("/v1/goldpass/seasons/current", {200}, "gold pass");
  }

  void visit_clan(std::string const& tag) {
    auto const why = "clan " + tag + " (from " + why_[tag] + ")";
    auto const base = "/v1/clans/" + path_tag(tag);
    auto const profile = get(base, {200}, why);
    if (!profile) return;
    auto& listed = members_[tag];
    for (auto const& m : items(*profile, "memberList")) {
      listed.insert(text(m, "tag"));
      player(text(m, "tag"), why);
    }
    if (profile->at("members").as_int64() != static_cast<std::int64_t>(listed.size())) {
      problems.push_back(why + ": members " + std::to_string(profile->at("members").as_int64()) + " but " +
                         std::to_string(listed.size()) + " in memberList");
    }
    if (auto list = get(base + "/members", {200}, why)) {
      std::set<std::string> tags;
      for (auto const& m : items(*list)) tags.insert(text(m, "tag"));
      if (tags != listed) problems.push_back(why + ": /members differs from memberList");
    }
    bool const open = profile->at("isWarLogPublic").as_bool();
    if (auto log = get(base + "/warlog", {open ? 200u : 403u}, why); log && open) {
      for (auto const& e : items(*log)) {
        if (e.at("opponent").as_object().contains("tag")) clan(text(e.at("opponent"), "tag"), why + " war log");
      }
    }
    auto const war = get(base + "/currentwar", {open ? 200u : 403u}, why);
    if (war && open && text(*war, "state") != "notInWar") {
      this->war(*war, why + " current war");
      if (war->as_object().contains("clan") && text(war->at("clan"), "tag") != tag) {
        problems.push_back(why + ": its current war is another clan's");
      }
    }
    unsigned status = 0;
    if (auto group = get(base + "/currentwar/leaguegroup", {200, 404}, why, &status); group && status == 200) {
      league_group(*group, why);
    }
    if (auto raids = get(base + "/capitalraidseasons", {200}, why)) {
      for (auto const& season : items(*raids)) {
        for (auto const& m : items(season, "members")) player(text(m, "tag"), why + " raids");
        for (auto const& raid : items(season, "attackLog")) {
          clan(text(raid.at("defender"), "tag"), why + " raids");
          for (auto const& d : items(raid, "districts")) {
            for (auto const& a : items(d, "attacks")) player(text(a.at("attacker"), "tag"), why + " raids");
          }
        }
        for (auto const& raid : items(season, "defenseLog")) {
          clan(text(raid.at("attacker"), "tag"), why + " raids");
          for (auto const& d : items(raid, "districts")) {
            for (auto const& a : items(d, "attacks")) player(text(a.at("attacker"), "tag"), why + " raids");
          }
        }
      }
    }
  }

  /// Both sides of a war are clans, and their members players who are members of them.
  void war(json_value const& w, std::string const& why) {
    for (char const* side : {"clan", "opponent"}) {
      auto const* s = w.is_object() ? w.as_object().if_contains(side) : nullptr;
      if (!s || !s->is_object()) {
        problems.push_back(why + ": a war without its " + side + ": " + boost::json::serialize(w).substr(0, 200));
        return;
      }
      auto const tag = text(*s, "tag");
      clan(tag, why);
      for (auto const& m : items(*s, "members")) {
        player(text(m, "tag"), why);
        member(tag, text(m, "tag"), why);
        for (auto const& a : items(m, "attacks")) {
          player(text(a, "attackerTag"), why);
          player(text(a, "defenderTag"), why);
        }
      }
    }
  }

  void league_group(json_value const& group, std::string const& why) {
    if (!groups.insert(boost::json::serialize(group.at("rounds"))).second) return;
    for (auto const& c : items(group, "clans")) {
      auto const tag = text(c, "tag");
      clan(tag, why + " league group");
      for (auto const& m : items(c, "members")) {
        player(text(m, "tag"), why + " league group");
        member(tag, text(m, "tag"), why + " league group");
      }
    }
    for (auto const& round : items(group, "rounds")) {
      for (auto const& t : items(round, "warTags")) {
        std::string const tag{t.as_string()};
        if (tag == "#0" || !wars.insert(tag).second) continue;
        if (auto w = get("/v1/clanwarleagues/wars/" + path_tag(tag), {200}, why + " league war " + tag)) {
          war(*w, why + " league war " + tag);
        }
      }
    }
  }

  void visit_player(std::string const& tag) {
    auto const why = "player " + tag + " (from " + why_[tag] + ")";
    auto const base = "/v1/players/" + path_tag(tag);
    auto const profile = get(base, {200}, why);
    if (!profile) return;
    if (profile->as_object().contains("clan")) {
      auto const clan_tag = text(profile->at("clan"), "tag");
      clan(clan_tag, why);
      expected_members_.push_back({clan_tag, tag, why + " names it as its clan"});
    }
    if (auto log = fetch(base + "/battlelog", {200}, why)) {
      for (auto const& opponent : values_of(*log, "opponentPlayerTag")) player(opponent, why + " battle log");
    }
    fetch(base + "/leaguehistory", {200}, why);
    auto const group = text(*profile, "currentLeagueGroupTag");
    if (group.empty() || !ranked_groups_.insert(group).second) return;
    auto const season = std::to_string(profile->at("currentLeagueSeasonId").as_int64());
    auto const target = "/v1/leaguegroup/" + path_tag(group) + "/" + season + "?playerTag=" + path_tag(tag);
    if (auto g = get(target, {200}, why + " league group")) {
      for (auto const& m : items(*g, "members")) {
        player(text(m, "playerTag"), why + " league group");
        if (m.as_object().contains("clanTag")) clan(text(m, "clanTag"), why + " league group");
      }
      for (char const* log : {"attackLogs", "defenseLogs"}) {
        for (auto const& e : items(*g, log)) player(text(e, "opponentPlayerTag"), why + " league group");
      }
    }
  }

  void check_memberships() {
    for (auto const& e : expected_members_) {
      auto it = members_.find(e.clan);
      if (it == members_.end()) continue;  // the clan did not answer: already a problem
      if (!it->second.contains(e.player)) {
        problems.push_back(e.player + " is not in the member list of " + e.clan + " (" + e.why + ")");
      }
    }
  }

  struct membership {
    std::string clan, player, why;
  };
  sandbox_server& server_;
  std::unique_ptr<http::testing::raw_connection> connection_;
  std::deque<std::string> clan_queue_, player_queue_;
  std::map<std::string, std::string> why_;
  std::map<std::string, std::set<std::string>> members_;
  std::vector<membership> expected_members_;
  std::unordered_set<std::string> ranked_groups_;
  std::unordered_map<std::string, std::pair<unsigned, std::string>> prefetched_;
};

}  // namespace overworld::sandbox::testing
