#include <overworld/toon/models.hpp>

#include <overworld/http/message.hpp>

#include <algorithm>
#include <array>

namespace overworld::toon {
namespace {

struct named_cog {
  std::string_view name;
  department dept;
};

// The 32 cogs by department (TTR's spelling), then spellings seen in trackers and other games.
constexpr std::array<named_cog, 36> cogs{{
    {"Flunky", department::bossbot},           {"Pencil Pusher", department::bossbot},
    {"Yesman", department::bossbot},           {"Micromanager", department::bossbot},
    {"Downsizer", department::bossbot},        {"Head Hunter", department::bossbot},
    {"Corporate Raider", department::bossbot}, {"The Big Cheese", department::bossbot},
    {"Bottom Feeder", department::lawbot},     {"Bloodsucker", department::lawbot},
    {"Double Talker", department::lawbot},     {"Ambulance Chaser", department::lawbot},
    {"Back Stabber", department::lawbot},      {"Spin Doctor", department::lawbot},
    {"Legal Eagle", department::lawbot},       {"Big Wig", department::lawbot},
    {"Short Change", department::cashbot},     {"Penny Pincher", department::cashbot},
    {"Tightwad", department::cashbot},         {"Bean Counter", department::cashbot},
    {"Number Cruncher", department::cashbot},  {"Money Bags", department::cashbot},
    {"Loan Shark", department::cashbot},       {"Robber Baron", department::cashbot},
    {"Cold Caller", department::sellbot},      {"Telemarketer", department::sellbot},
    {"Name Dropper", department::sellbot},     {"Glad Hander", department::sellbot},
    {"Mover & Shaker", department::sellbot},   {"Two-Face", department::sellbot},
    {"The Mingler", department::sellbot},      {"Mr. Hollywood", department::sellbot},
    {"Backstabber", department::lawbot},       {"Yes Man", department::bossbot},
    {"Mover and Shaker", department::sellbot}, {"Big Cheese", department::bossbot},
}};

constexpr std::string_view v2_prefix = "Version 2.0 ";
constexpr std::string_view skelecog_suffix = " (Skelecog)";

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ends_with_icase(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && http::iequals(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

std::string_view to_string(department d) noexcept {
  switch (d) {
    case department::bossbot:
      return "bossbot";
    case department::lawbot:
      return "lawbot";
    case department::cashbot:
      return "cashbot";
    case department::sellbot:
      return "sellbot";
    case department::unknown:
      break;
  }
  return "unknown";
}

department department_from_string(std::string_view s) noexcept {
  s = trim(s);
  for (auto d : {department::bossbot, department::lawbot, department::cashbot, department::sellbot}) {
    if (http::iequals(s, to_string(d))) return d;
  }
  // SuitDNA's department letters: c(orporate) for bossbots, l(egal), m(oney), s(ales).
  if (s.size() == 1) {
    switch (s[0] | 0x20) {
      case 'c':
        return department::bossbot;
      case 'l':
        return department::lawbot;
      case 'm':
        return department::cashbot;
      case 's':
        return department::sellbot;
      default:
        break;
    }
  }
  return department::unknown;
}

department department_of(std::string_view cog) noexcept {
  cog = trim(cog);
  for (auto const& c : cogs) {
    if (http::iequals(c.name, cog)) return c.dept;
  }
  return department::unknown;
}

std::string strip_soft_breaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != '\x03') out.push_back(c);
  }
  return out;
}

cog_type parse_cog(std::string_view type) {
  std::string const clean = strip_soft_breaks(type);
  std::string_view name = trim(clean);
  cog_type out;
  if (name.size() > v2_prefix.size() && http::iequals(name.substr(0, v2_prefix.size()), v2_prefix)) {
    out.v2 = true;
    name = trim(name.substr(v2_prefix.size()));
  }
  if (ends_with_icase(name, skelecog_suffix)) {
    out.skelecog = true;
    name = trim(name.substr(0, name.size() - skelecog_suffix.size()));
  }
  out.name = std::string{name};
  out.dept = department_of(out.name);
  return out;
}

std::string_view to_string(district_status s) noexcept {
  switch (s) {
    case district_status::online:
      return "online";
    case district_status::offline:
      return "offline";
    case district_status::draining:
      return "draining";
    case district_status::closed:
      return "closed";
    case district_status::unknown:
      break;
  }
  return "unknown";
}

district_status district_status_from_string(std::string_view s) noexcept {
  s = trim(s);
  for (auto v :
       {district_status::online, district_status::offline, district_status::draining, district_status::closed}) {
    if (http::iequals(s, to_string(v))) return v;
  }
  return district_status::unknown;
}

std::int64_t invasion::remaining() const noexcept {
  if (mega || !total) return 0;
  return std::max<std::int64_t>(0, *total - defeated);
}

std::optional<double> invasion::fraction() const noexcept {
  if (mega || !total || *total <= 0) return std::nullopt;
  return std::clamp(static_cast<double>(defeated) / static_cast<double>(*total), 0.0, 1.0);
}

std::string_view to_string(silly_state s) noexcept {
  switch (s) {
    case silly_state::active:
      return "Active";
    case silly_state::reward:
      return "Reward";
    case silly_state::inactive:
      return "Inactive";
    case silly_state::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(login_state s) noexcept {
  switch (s) {
    case login_state::failure:
      return "false";
    case login_state::success:
      return "true";
    case login_state::partial:
      return "partial";
    case login_state::delayed:
      return "delayed";
  }
  return "unknown";
}

std::string_view to_string(login_reason r) noexcept {
  switch (r) {
    case login_reason::success:
      return "success";
    case login_reason::terminated:
      return "account terminated";
    case login_reason::banned:
      return "account banned";
    case login_reason::maintenance:
      return "maintenance";
    case login_reason::invalid_credentials:
      return "invalid credentials";
    case login_reason::rate_limited:
      return "rate limited";
    case login_reason::unknown:
      break;
  }
  return "unknown";
}

}  // namespace overworld::toon
