// What both histories share: which invasions ended, the row an end makes, and a page as JSON.
#include <overworld/server/world/history.hpp>

#include <overworld/core/log.hpp>

#include <map>

namespace overworld::world {

std::vector<ended_invasion> invasion_ends::update(std::vector<district_view> const& previous,
                                                  std::vector<district_view> const& current, std::int64_t now_unix) {
  std::map<std::string_view, district_view const*> now;
  for (auto const& d : current) now.emplace(d.name, &d);
  std::vector<ended_invasion> out;
  // Districts that were silent with an invasion: settled once they are heard from again or dropped.
  for (auto it = silenced_.begin(); it != silenced_.end();) {
    auto const found = now.find(it->first);
    if (found != now.end() && found->second->silent) {
      ++it;
      continue;
    }
    if (found == now.end() || found->second->invasion_id != it->second.invasion_id) {
      out.push_back({it->second, it->second.last_report});
    }
    it = silenced_.erase(it);
  }
  for (auto const& d : previous) {
    if (!d.current) continue;
    auto const found = now.find(d.name);
    if (found != now.end() && found->second->silent) {
      silenced_.insert_or_assign(d.name, d);
    } else if (found == now.end() || found->second->invasion_id != d.invasion_id) {
      out.push_back({d, now_unix});
    }
  }
  return out;
}

stored_invasion stored_from(ended_invasion const& ended) {
  auto const& d = ended.district;
  auto const& inv = *d.current;
  return stored_invasion{0,
                         d.invasion_id,
                         d.name,
                         d.id,
                         inv.cog,
                         std::string{to_string(inv.dept)},
                         inv.skelecog,
                         inv.v2,
                         inv.mega,
                         static_cast<std::int64_t>(inv.defeated),
                         static_cast<std::int64_t>(inv.total),
                         static_cast<std::int64_t>(inv.started_at),
                         ended.ended_at};
}

namespace {
void append_string(std::string& out, char const* key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":\"";
  append_json_escaped(out, value);
  out += '"';
}

void append_bool(std::string& out, char const* key, bool value) {
  out += ",\"";
  out += key;
  out += value ? "\":true" : "\":false";
}

void append_number(std::string& out, char const* key, std::int64_t value) {
  out += ",\"";
  out += key;
  out += "\":" + std::to_string(value);
}
}  // namespace

std::string to_json(history_page const& page) {
  std::string out = "{\"invasions\":[";
  bool first = true;
  for (auto const& i : page.invasions) {
    if (!first) out += ',';
    first = false;
    out += "{\"id\":" + std::to_string(i.id);
    append_string(out, "invasionId", i.invasion_id);
    append_string(out, "district", i.district);
    append_string(out, "districtId", i.district_id);
    append_string(out, "cog", i.cog);
    append_string(out, "department", i.department);
    append_bool(out, "skelecog", i.skelecog);
    append_bool(out, "v2", i.v2);
    append_bool(out, "mega", i.mega);
    append_number(out, "defeated", i.defeated);
    if (i.mega)
      out += ",\"total\":null";
    else
      append_number(out, "total", i.total);
    append_number(out, "startedAt", i.started_at);
    append_number(out, "endedAt", i.ended_at);
    out += '}';
  }
  out += "],\"next\":";
  out += page.more && !page.invasions.empty() ? "\"" + std::to_string(page.invasions.back().id) + "\""
                                              : std::string{"null"};
  out += "}";
  return out;
}

}  // namespace overworld::world
