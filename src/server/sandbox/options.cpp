// The sandbox's configuration keys (sandbox.*, ratelimit.sandbox.*) and what they mean.
#include <overworld/server/sandbox/sandbox_service.hpp>

#include "calendar.hpp"

#include <overworld/server/common/rate_limit.hpp>

#include <algorithm>
#include <charconv>

namespace overworld::sandbox {

std::vector<config_key> sandbox_config_keys() {
  std::vector<config_key> keys{
      {"sandbox.dataset", "", "folder of recorded CoC responses to serve (empty: the seed with --demo, else none)"},
      {"sandbox.keys.*", "",
       "API keys and where they may be used from: [sandbox.keys] \"KEY\" = \"127.0.0.1,10.0.0.0/8\""},
      {"sandbox.check_keys", "true", "answer 403 to requests without a known key"},
      {"sandbox.maintenance", "false", "answer every /v1 request with 503 inMaintenance"},
      {"sandbox.key_refresh", "1s",
       "with redis.url: how often each node refreshes its copy of the portal's keys (a revocation reaches every "
       "node within it)"},
      {"sandbox.key_lookups", "1000",
       "with redis.url: unknown keys a node looks up in Redis between two refreshes (beyond: 403 at once)"},
      {"sandbox.generate_clans", "0", "made-up clans (with their members) to add to the dataset, up to 20000"},
      {"sandbox.members_per_clan", "20", "members of each made-up clan"},
      {"sandbox.seed", "1", "seed of everything the sandbox makes up (the same seed and start time: the same world)"},
      {"sandbox.time_scale", "0",
       "world seconds per real second: 0 the world stands still, 1 real time, 60 an hour a minute"},
      {"sandbox.start_time", "",
       "world time the sandbox starts at: unix seconds or 2026-03-01T00:00:00Z (empty: when the server starts)"},
      {"sandbox.maintenance_every", "0", "world time between scheduled maintenance breaks, e.g. 168h (0: none)"},
      {"sandbox.maintenance_duration", "1h", "world time a scheduled maintenance break lasts"},
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

namespace {

/// sandbox.seed, sandbox.time_scale, sandbox.start_time and the maintenance schedule; the problem
/// with them, if any.
std::optional<std::string> time_from(config const& cfg, sandbox_options& o) {
  auto const seed = cfg.get_int("sandbox.seed");
  if (!seed || *seed < 0) return "sandbox.seed: expected a whole number, 0 or more";
  o.seed = static_cast<std::uint64_t>(*seed);
  o.generate.seed = o.seed;
  auto const scale_text = cfg.get("sandbox.time_scale");
  double scale = 0;
  auto const [end, ec] = std::from_chars(scale_text.data(), scale_text.data() + scale_text.size(), scale);
  if (scale_text.empty() || ec != std::errc{} || end != scale_text.data() + scale_text.size() || !(scale >= 0) ||
      scale > 1'000'000) {
    return "sandbox.time_scale: expected a number from 0 (the world stands still) to 1000000";
  }
  o.time.scale = scale;
  if (auto const text = cfg.get("sandbox.start_time"); !text.empty()) {
    auto const start = calendar::parse_time(text);
    if (!start || *start <= 0) return "sandbox.start_time: expected unix seconds or a time like 2026-03-01T00:00:00Z";
    o.time.start = *start;
    o.generate.start_time = *start;
  }
  auto const every = cfg.get_duration("sandbox.maintenance_every");
  auto const length = cfg.get_duration("sandbox.maintenance_duration");
  if (!every || !length) return "sandbox.maintenance_every / sandbox.maintenance_duration: expected durations";
  o.time.maintenance_every = std::chrono::duration_cast<std::chrono::seconds>(*every);
  o.time.maintenance_length = std::chrono::duration_cast<std::chrono::seconds>(*length);
  if (o.time.maintenance_every.count() > 0 && o.time.maintenance_length >= o.time.maintenance_every) {
    return "sandbox.maintenance_duration must be shorter than sandbox.maintenance_every";
  }
  return std::nullopt;
}

}  // namespace

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
  auto refresh = cfg.get_duration("sandbox.key_refresh");
  auto lookups = cfg.get_int("sandbox.key_lookups");
  if (!refresh || refresh->count() < 50 || refresh->count() > 60'000 || !lookups || *lookups < 0 ||
      *lookups > 1'000'000) {
    why = "sandbox.key_refresh / sandbox.key_lookups: expected 50ms to 60s, and 0 to 1000000 lookups";
    return errc::bad_config;
  }
  o.key_refresh = std::chrono::duration_cast<std::chrono::milliseconds>(*refresh);
  o.key_lookups = static_cast<std::size_t>(*lookups);
  auto clans = cfg.get_int("sandbox.generate_clans");
  auto members = cfg.get_int("sandbox.members_per_clan");
  // About 0.4 MB of memory per clan of 20: 20,000 clans is some 8 GB.
  if (!clans || *clans < 0 || *clans > 20'000 || !members || *members < 1 || *members > 50) {
    why = "sandbox.generate_clans / sandbox.members_per_clan: expected 0 to 20000 clans, and 1 to 50 members";
    return errc::bad_config;
  }
  o.generate.clans = static_cast<std::size_t>(*clans);
  o.generate.members_per_clan = static_cast<std::size_t>(*members);
  if (auto problem = time_from(cfg, o)) {
    why = *problem;
    return errc::bad_config;
  }
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

}  // namespace overworld::sandbox
