#include <overworld/server/sandbox/sandbox_service.hpp>

#include "handlers.hpp"

#include <overworld/server/common/rate_limit.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace overworld::sandbox {

result<void> key_registry::add(api_key key) {
  return add_limited(std::move(key), std::numeric_limits<std::size_t>::max());
}

result<void> key_registry::add_limited(api_key key, std::size_t max_per_developer) {
  key.networks.clear();
  for (auto const& cidr : key.cidrs) {
    auto network = http::ip_network::parse(cidr);
    if (!network) return errc::bad_config;
    key.networks.push_back(*network);
  }
  std::lock_guard lock{mutex_};
  auto const held =
      std::count_if(keys_.begin(), keys_.end(), [&](api_key const& k) { return k.developer_id == key.developer_id; });
  if (static_cast<std::size_t>(held) >= max_per_developer) return errc::too_large;
  keys_.push_back(std::move(key));
  return {};
}

bool key_registry::revoke(std::string_view id) {
  std::lock_guard lock{mutex_};
  auto const before = keys_.size();
  std::erase_if(keys_, [id](api_key const& k) { return k.id == id; });
  return keys_.size() != before;
}

std::optional<api_key> key_registry::find(std::string_view key) const {
  std::lock_guard lock{mutex_};
  for (auto const& k : keys_) {
    if (k.key == key) return k;
  }
  return std::nullopt;
}

key_registry::access key_registry::check(std::string_view key, std::string_view client) const {
  std::lock_guard lock{mutex_};
  for (auto const& k : keys_) {
    if (k.key != key) continue;
    if (k.networks.empty()) return access::allowed;
    auto const address = http::ip_address::parse(client);
    bool const allowed = address && std::any_of(k.networks.begin(), k.networks.end(),
                                                [&](http::ip_network const& n) { return n.contains(*address); });
    return allowed ? access::allowed : access::wrong_address;
  }
  return access::unknown_key;
}

std::vector<api_key> key_registry::list(std::string_view developer_id) const {
  std::lock_guard lock{mutex_};
  std::vector<api_key> out;
  for (auto const& k : keys_) {
    if (developer_id.empty() || k.developer_id == developer_id) out.push_back(k);
  }
  return out;
}

std::size_t key_registry::size() const {
  std::lock_guard lock{mutex_};
  return keys_.size();
}

std::string mint_key(std::string const& developer_id, std::vector<std::string> const& cidrs) {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("no randomness for a sandbox key");
  std::string jti;
  for (unsigned char b : raw) jti += "0123456789abcdef"[b & 15];
  std::string payload = R"({"iss":"supercell","aud":"supercell:gameapi","jti":")" + jti.substr(0, 16) +
                        R"(","sub":"developer/)" + developer_id +
                        R"(","scopes":["clash"],"limits":[{"tier":"developer/silver","type":"throttling"},{"cidrs":[)";
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    if (i) payload += ',';
    payload += "\"" + cidrs[i] + "\"";
  }
  payload += R"(],"type":"client"}]})";
  return base64url_encode(R"({"typ":"JWT","alg":"HS512","kid":"28a318f7-0000-a1eb-7fa1-2c7433c6cca5"})") + "." +
         base64url_encode(payload) + "." +
         base64url_encode(std::string_view{reinterpret_cast<char const*>(raw), sizeof raw});
}

std::vector<config_key> sandbox_config_keys() {
  std::vector<config_key> keys{
      {"sandbox.dataset", "", "folder of recorded CoC responses to serve (empty: the seed with --demo, else none)"},
      {"sandbox.keys.*", "",
       "API keys and where they may be used from: [sandbox.keys] \"KEY\" = \"127.0.0.1,10.0.0.0/8\""},
      {"sandbox.check_keys", "true", "answer 403 to requests without a known key"},
      {"sandbox.maintenance", "false", "answer every /v1 request with 503 inMaintenance"},
      {"sandbox.generate_clans", "0", "made-up clans (with their members) to add to the dataset"},
      {"sandbox.members_per_clan", "20", "members of each made-up clan"},
      {"sandbox.portal_accounts.*", "",
       "developer-portal logins: [sandbox.portal_accounts] \"me@example.com\" = \"password\""},
      {"sandbox.admin_key", "",
       "key of the sandbox admin API /sandbox/admin/v1 (empty: one kept in <data>/sandbox-admin-key)"},
      {"sandbox.fault.latency_ms", "0", "milliseconds added before every /v1 answer"},
      {"sandbox.fault.error_status", "500", "status of injected errors: 500, 502, 503 or 504"},
      {"sandbox.fault.error_every", "0", "answer every Nth /v1 request with sandbox.fault.error_status (0: never)"},
      {"sandbox.fault.error_probability", "0", "or each /v1 request with this probability (0 to 1)"},
      {"sandbox.fault.drop_every", "0", "close the connection of every Nth /v1 request without an answer (0: never)"},
      {"sandbox.fault.drop_probability", "0", "or of each /v1 request with this probability (0 to 1)"},
  };
  for (auto& k : server::rate_limit_config_keys("sandbox", "30", "1s")) keys.push_back(std::move(k));
  return keys;
}

result<sandbox_options> sandbox_options_from(config const& cfg, std::string& why) {
  sandbox_options o;
  auto throttle = server::rate_limit_from_config(cfg, "sandbox", why);
  if (!throttle) return throttle.error();
  o.throttle = *throttle;
  auto check = cfg.get_bool("sandbox.check_keys");
  auto maintenance = cfg.get_bool("sandbox.maintenance");
  if (!check || !maintenance) {
    why = "sandbox.check_keys / sandbox.maintenance: expected true or false";
    return errc::bad_config;
  }
  o.check_keys = *check;
  o.maintenance = *maintenance;
  auto clans = cfg.get_int("sandbox.generate_clans");
  auto members = cfg.get_int("sandbox.members_per_clan");
  if (!clans || *clans < 0 || !members || *members < 1 || *members > 50) {
    why = "sandbox.generate_clans / sandbox.members_per_clan: expected a count, and 1 to 50 members";
    return errc::bad_config;
  }
  o.generate.clans = static_cast<std::size_t>(*clans);
  o.generate.members_per_clan = static_cast<std::size_t>(*members);
  o.dataset = cfg.get("sandbox.dataset");
  auto const latency = cfg.get_int("sandbox.fault.latency_ms");
  auto const status = cfg.get_int("sandbox.fault.error_status");
  auto const error_every = cfg.get_int("sandbox.fault.error_every");
  auto const drop_every = cfg.get_int("sandbox.fault.drop_every");
  auto const probability = [&cfg](char const* key) -> std::optional<double> {
    auto const text = cfg.get(key);
    double p = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return p;
  };
  auto const error_probability = probability("sandbox.fault.error_probability");
  auto const drop_probability = probability("sandbox.fault.drop_probability");
  if (!latency || !status || !error_every || *error_every < 0 || !drop_every || *drop_every < 0 || !error_probability ||
      !drop_probability) {
    why = "sandbox.fault.*: expected counts, a status and probabilities";
    return errc::bad_config;
  }
  o.faults.latency = std::chrono::milliseconds{*latency};
  o.faults.error_status = static_cast<unsigned>(std::clamp<std::int64_t>(*status, 0, 999));
  o.faults.error_every = static_cast<std::uint64_t>(*error_every);
  o.faults.drop_every = static_cast<std::uint64_t>(*drop_every);
  o.faults.error_probability = *error_probability;
  o.faults.drop_probability = *drop_probability;
  if (auto problem = o.faults.problem()) {
    why = "sandbox.fault.*: " + *problem;
    return errc::bad_config;
  }
  for (auto const& [key, cidrs] : cfg.get_table("sandbox.keys")) {
    std::vector<std::string> list;
    std::string_view rest = cidrs;
    while (!rest.empty()) {
      auto const comma = rest.find(',');
      auto part = rest.substr(0, comma);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) {
        if (!http::ip_network::parse(part)) {
          why = "sandbox.keys: '" + std::string{part} + "' is not an address or CIDR";
          return errc::bad_config;
        }
        list.emplace_back(part);
      }
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    o.keys[key] = std::move(list);
  }
  return o;
}

sandbox_service::sandbox_service(std::shared_ptr<dataset const> data, sandbox_options options, clock const& time)
    : data_(std::move(data)),
      options_(std::move(options)),
      clock_(time),
      maintenance_(options_.maintenance),
      faults_(options_.faults) {
  if (!data_) data_ = std::make_shared<dataset const>();
  if (options_.throttle) limiter_ = std::make_unique<policy::sliding_window_limiter>(*options_.throttle, time);
  std::size_t n = 0;
  for (auto const& [key, cidrs] : options_.keys) {
    api_key k;
    k.id = "configured-" + std::to_string(++n);
    k.name = "configured";
    k.key = key;
    k.cidrs = cidrs;
    if (!keys_.add(std::move(k))) throw std::invalid_argument("sandbox key with a bad CIDR");
  }
}

void sandbox_service::set_dataset(std::shared_ptr<dataset const> data) {
  std::lock_guard writer{change_mutex_};
  publish(std::move(data));
}

void sandbox_service::publish(std::shared_ptr<dataset const> data) {
  std::lock_guard lock{data_mutex_};
  data_ = std::move(data);
}

bool sandbox_service::change(std::function<bool(dataset&)> const& edit) {
  std::lock_guard writer{change_mutex_};
  auto copy = std::make_shared<dataset>(*data());
  if (!edit(*copy)) return false;
  publish(std::move(copy));
  return true;
}

std::shared_ptr<dataset const> sandbox_service::data() const {
  std::lock_guard lock{data_mutex_};
  return data_;
}

std::optional<http::response> sandbox_service::admit(http::request const& req) {
  std::string_view key_text;
  if (options_.check_keys) {
    auto const auth = req.header("Authorization");
    if (!auth || !auth->starts_with("Bearer ")) return detail::error(403, "accessDenied", "Invalid authorization");
    key_text = auth->substr(7);
    switch (keys_.check(key_text, req.client_address)) {
      case key_registry::access::unknown_key:
        return detail::error(403, "accessDenied", "Invalid authorization");
      case key_registry::access::wrong_address:
        return detail::error(
            403, "accessDenied.invalidIp",
            "Invalid authorization: API key does not allow access from IP " + std::string{req.client_address});
      case key_registry::access::allowed:
        break;
    }
  } else {
    key_text = req.header("Authorization").value_or(req.client_address);
  }
  if (limiter_ && !limiter_->check(key_text).allowed) {
    return detail::error(429, "requestThrottled",
                         "Request was throttled, because amount of requests was above the threshold defined for the "
                         "used API token.");
  }
  if (maintenance_) {
    return detail::error(503, "inMaintenance", "Service is temporarily unavailable because of maintenance.");
  }
  return std::nullopt;
}

http::response sandbox_service::serve(http::response (*handler)(detail::call const&), http::request const& req) {
  auto const fault = faults_.next();
  auto answer = [&]() -> http::response {
    if (fault.drop) {
      http::response dropped;
      dropped.drop = true;
      return dropped;
    }
    if (fault.error_status) return fault_response(fault.error_status);
    if (auto early = admit(req)) return std::move(*early);
    auto const snapshot = data();
    return handler(detail::call{*snapshot, req, clock_});
  }();
  answer.delay = fault.latency;  // the session holds the answer back; the io thread stays free
  return answer;
}

void sandbox_service::install(http::router& routes) {
  routes.set_error_format("/v1/", [](unsigned status, std::string_view message) {
    char const* reason = status == 404 || status == 405 ? "notFound" : status < 500 ? "badRequest" : "unknownException";
    return detail::error(status, reason, message);
  });
  struct entry {
    http::verb method;
    char const* pattern;
    detail::handler_fn fn;
  };
  using http::verb;
  static constexpr entry table[] = {
      {verb::get, "/v1/clans", detail::search_clans},
      {verb::get, "/v1/clans/{clanTag}", detail::get_clan},
      {verb::get, "/v1/clans/{clanTag}/members", detail::get_members},
      {verb::get, "/v1/clans/{clanTag}/warlog", detail::get_warlog},
      {verb::get, "/v1/clans/{clanTag}/currentwar", detail::get_current_war},
      {verb::get, "/v1/clans/{clanTag}/currentwar/leaguegroup", detail::get_league_group},
      {verb::get, "/v1/clanwarleagues/wars/{warTag}", detail::get_cwl_war},
      {verb::get, "/v1/clans/{clanTag}/capitalraidseasons", detail::get_raid_seasons},
      {verb::get, "/v1/players/{playerTag}", detail::get_player},
      {verb::post, "/v1/players/{playerTag}/verifytoken", detail::verify_token},
      {verb::get, "/v1/players/{playerTag}/battlelog", detail::get_battlelog},
      {verb::get, "/v1/players/{playerTag}/leaguehistory", detail::get_league_history},
      {verb::get, "/v1/leaguetiers", detail::list_league_tiers},
      {verb::get, "/v1/leaguetiers/{leagueTierId}", detail::get_league_tier},
      {verb::get, "/v1/leagues", detail::list_leagues},
      {verb::get, "/v1/leagues/{leagueId}", detail::get_league},
      {verb::get, "/v1/leagues/{leagueId}/seasons", detail::list_league_seasons},
      {verb::get, "/v1/leagues/{leagueId}/seasons/{seasonId}", detail::get_league_season},
      {verb::get, "/v1/leaguegroup/{leagueGroupTag}/{leagueSeasonId}", detail::get_ranked_group},
      {verb::get, "/v1/warleagues", detail::list_war_leagues},
      {verb::get, "/v1/warleagues/{leagueId}", detail::get_war_league},
      {verb::get, "/v1/capitalleagues", detail::list_capital_leagues},
      {verb::get, "/v1/capitalleagues/{leagueId}", detail::get_capital_league},
      {verb::get, "/v1/builderbaseleagues", detail::list_builder_base_leagues},
      {verb::get, "/v1/builderbaseleagues/{leagueId}", detail::get_builder_base_league},
      {verb::get, "/v1/locations", detail::list_locations},
      {verb::get, "/v1/locations/{locationId}", detail::get_location},
      {verb::get, "/v1/locations/{locationId}/rankings/clans", detail::clan_rankings},
      {verb::get, "/v1/locations/{locationId}/rankings/players", detail::player_rankings},
      {verb::get, "/v1/locations/{locationId}/rankings/clans-builder-base", detail::clan_builder_base_rankings},
      {verb::get, "/v1/locations/{locationId}/rankings/players-builder-base", detail::player_builder_base_rankings},
      {verb::get, "/v1/locations/{locationId}/rankings/capitals", detail::capital_rankings},
      {verb::get, "/v1/goldpass/seasons/current", detail::gold_pass},
      {verb::get, "/v1/labels/clans", detail::clan_labels},
      {verb::get, "/v1/labels/players", detail::player_labels},
  };
  static_assert(std::size(table) == 35, "the CoC API has 35 operations");
  for (auto const& e : table) {
    http::route_options o;
    o.group = "coc";
    o.limits = routes.default_limits();
    o.limits->body_limit = e.method == verb::post ? 4 * 1024 : 0;
    // Faults first (a slow or broken network comes before the API), then keys and throttling.
    auto const fn = e.fn;
    routes.add(e.method, e.pattern, http::sync_handler{[this, fn](http::request const& req) { return serve(fn, req); }},
               o);
  }
}

}  // namespace overworld::sandbox
