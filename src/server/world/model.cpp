#include <overworld/server/world/model.hpp>

#include <overworld/core/text.hpp>

#include <array>

namespace overworld::world {
namespace {

constexpr std::array<cog_type, 32> cogs{{
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
}};

// TTR's field-office streets (api-doc field-offices.md, "Zone ID Lookup").
constexpr std::array<std::pair<int, std::string_view>, 11> zones{{
    {3100, "Walrus Way"},
    {3200, "Sleet Street"},
    {3300, "Polar Place"},
    {4100, "Alto Avenue"},
    {4200, "Baritone Boulevard"},
    {4300, "Tenor Terrace"},
    {5100, "Elm Street"},
    {5200, "Maple Street"},
    {5300, "Oak Street"},
    {9100, "Lullaby Lane"},
    {9200, "Pajama Place"},
}};

}  // namespace

std::span<std::pair<int, std::string_view> const> field_office_zones() noexcept { return zones; }

std::string_view street_of(int zone) noexcept {
  for (auto const& [id, street] : zones) {
    if (id == zone) return street;
  }
  return {};
}

std::string_view department_letter(department d) noexcept {
  switch (d) {
    case department::bossbot:
      return "c";
    case department::lawbot:
      return "l";
    case department::cashbot:
      return "m";
    case department::sellbot:
      return "s";
    case department::unknown:
      return "";
  }
  return "";
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
  }
  return "offline";
}

std::optional<district_status> status_from_string(std::string_view s) noexcept {
  for (auto v :
       {district_status::online, district_status::offline, district_status::draining, district_status::closed}) {
    if (to_string(v) == s) return v;
  }
  return std::nullopt;
}

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
      return "unknown";
  }
  return "unknown";
}

std::optional<department> department_from_string(std::string_view s) noexcept {
  // Full names and SuitDNA letters (c, l, m, s) are both in use.
  if (s == "bossbot" || s == "c") return department::bossbot;
  if (s == "lawbot" || s == "l") return department::lawbot;
  if (s == "cashbot" || s == "m") return department::cashbot;
  if (s == "sellbot" || s == "s") return department::sellbot;
  return std::nullopt;
}

std::span<cog_type const> cog_catalogue() noexcept { return cogs; }

std::optional<department> department_of(std::string_view cog) noexcept {
  for (auto const& c : cogs) {
    if (c.name == cog) return c.dept;
  }
  return std::nullopt;
}

std::string invasion::ttr_type() const {
  std::string out;
  if (v2) out += "Version 2.0 ";
  out += cog;
  if (skelecog) out += " (Skelecog)";
  return out;
}

std::string invasion::ttr_progress() const {
  if (mega) return "0/1000000";
  return std::to_string(defeated) + "/" + std::to_string(total);
}

bool valid_district_name(std::string_view name, std::size_t max_length) noexcept {
  if (check_name(name, max_length) != name_problem::ok) return false;
  if (name.front() == ' ' || name.back() == ' ') return false;
  return name.find_first_of("\"\\/") == std::string_view::npos;
}

std::string strip_soft_breaks(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c != '\x03') out += c;
  }
  return out;
}

}  // namespace overworld::world
