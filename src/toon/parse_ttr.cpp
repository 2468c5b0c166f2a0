// Toontown Rewritten's response shapes (api-doc and what clients have seen on the wire).
#include "json_read.hpp"

#include <overworld/http/message.hpp>
#include <overworld/toon/parse.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>

namespace overworld::toon {
namespace {

using namespace detail;

// "5939/7300" → defeated, total; the mega sentinel "0/1000000" sets `mega`.
bool read_progress(std::string_view progress, invasion& out) {
  auto const slash = progress.find('/');
  if (slash == std::string_view::npos) return false;
  std::int64_t defeated = 0;
  std::int64_t total = 0;
  if (!to_int(progress.substr(0, slash), defeated) || !to_int(progress.substr(slash + 1), total)) return false;
  if (defeated < 0 || total < 0) return false;
  out.defeated = defeated;
  if (total == mega_invasion_total) {
    out.mega = true;
    out.total.reset();
  } else {
    out.total = total;
  }
  return true;
}

bool read_invasion(od::value v, std::string district, invasion& out) {
  od::object o;
  if (v.get_object().get(o) != simdjson::SUCCESS) return false;
  out.district = std::move(district);
  bool has_type = false;
  bool has_progress = false;
  bool mega_field = false;
  for (auto f : o) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS)
      return false;
    if (key == "type") {
      if (read_string(field.value(), out.type) != read::ok) return false;
      has_type = true;
    } else if (key == "asOf") {
      if (read_int(field.value(), out.as_of) == read::bad) return false;
    } else if (key == "progress") {
      std::string progress;
      if (read_string(field.value(), progress) != read::ok || !read_progress(progress, out)) return false;
      has_progress = true;
    } else if (key == "mega") {  // TTR's local API has it; a future web API may too
      if (read_bool(field.value(), mega_field) == read::bad) return false;
    }
  }
  if (!has_type || !has_progress) return false;
  if (mega_field && !out.mega) {
    out.mega = true;
    out.total.reset();
  }
  out.cog = parse_cog(out.type);
  return true;
}

// {"error":"…"} with nothing else: the envelope TTR sends instead of data.
template <class T>
result<T> envelope_error(std::string const& message, std::string* api_error) {
  if (api_error) *api_error = message;
  return make_error_code(errc::not_found);
}

// "June 15, 2025" and friends: the month's number from its English name.
unsigned month_number(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 12> months{"january",   "february", "march",    "april",
                                                           "may",       "june",     "july",     "august",
                                                           "september", "october",  "november", "december"};
  for (unsigned i = 0; i < months.size(); ++i) {
    if (name.size() >= 3 && http::iequals(name, months[i].substr(0, std::min(name.size(), months[i].size())))) {
      if (name.size() == 3 || name.size() == months[i].size()) return i + 1;
    }
  }
  return 0;
}

}  // namespace

std::optional<std::int64_t> parse_ttr_date(std::string_view text) noexcept {
  // "%B %d, %Y at %I:%M %p"
  auto next_word = [&text]() {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    auto const end = std::min(text.find(' '), text.size());
    auto word = text.substr(0, end);
    text.remove_prefix(end);
    return word;
  };
  unsigned const month = month_number(next_word());
  auto day_word = next_word();
  if (!day_word.empty() && day_word.back() == ',') day_word.remove_suffix(1);
  std::int64_t day = 0, year = 0, hour = 0, minute = 0;
  if (month == 0 || !to_int(day_word, day) || !to_int(next_word(), year)) return std::nullopt;
  if (next_word() != "at") return std::nullopt;
  auto clock_word = next_word();
  auto const colon = clock_word.find(':');
  if (colon == std::string_view::npos || !to_int(clock_word.substr(0, colon), hour) ||
      !to_int(clock_word.substr(colon + 1), minute)) {
    return std::nullopt;
  }
  auto const half = next_word();
  if (hour < 1 || hour > 12 || minute < 0 || minute > 59) return std::nullopt;
  if (http::iequals(half, "PM"))
    hour = hour % 12 + 12;
  else if (http::iequals(half, "AM"))
    hour %= 12;
  else
    return std::nullopt;
  std::chrono::year_month_day const ymd{std::chrono::year{static_cast<int>(year)}, std::chrono::month{month},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  auto const days = std::chrono::sys_days{ymd}.time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(days).count() + hour * 3600 + minute * 60;
}

result<invasion_list> parse_ttr_invasions(std::string_view json, std::string* api_error) {
  json_doc d{json};
  od::object root;
  if (!d.open() || d.doc.get_object().get(root) != simdjson::SUCCESS) return parse_error();
  invasion_list out;
  std::optional<std::string> error;
  bool saw_data = false;
  bool saw_invasions = false;
  bool foreign = false;  // members that are neither TTR's envelope nor invasions
  for (auto f : root) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS)
      return parse_error();
    if (key == "error") {
      if (read_optional_string(field.value(), error) == read::bad) return parse_error();
    } else if (key == "lastUpdated") {
      if (read_int(field.value(), out.last_updated) == read::bad) return parse_error();
    } else if (key == "invasions") {
      saw_invasions = true;
      od::object districts;
      if (field.value().get_object().get(districts) != simdjson::SUCCESS) return parse_error();
      saw_data = true;
      for (auto g : districts) {
        od::field entry;
        std::string_view name;
        if (std::move(g).get(entry) != simdjson::SUCCESS || entry.unescaped_key().get(name) != simdjson::SUCCESS)
          return parse_error();
        invasion inv;
        if (!read_invasion(entry.value(), std::string{name}, inv)) return parse_error();
        out.invasions.push_back(std::move(inv));
      }
    } else {
      // The bare `invasions` object some libraries save: district names at the top.
      od::json_type t;
      if (field.value().type().get(t) != simdjson::SUCCESS) return parse_error();
      if (t != od::json_type::object) {
        foreign = true;
        continue;
      }
      std::string name{key};
      invasion inv;
      if (!read_invasion(field.value(), std::move(name), inv)) return parse_error();
      out.invasions.push_back(std::move(inv));
      saw_data = true;
    }
  }
  if (error && !saw_data) return envelope_error<invasion_list>(*error, api_error);
  if (foreign && !saw_invasions) return parse_error();  // another API's document, not an empty list
  out.json.assign(json);
  return out;
}

result<population> parse_ttr_population(std::string_view json, std::string* api_error) {
  json_doc d{json};
  od::object root;
  if (!d.open() || d.doc.get_object().get(root) != simdjson::SUCCESS) return parse_error();
  population out;
  std::optional<std::string> error;
  bool saw_data = false;
  std::vector<std::pair<std::string, district_status>> statuses;
  for (auto f : root) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS)
      return parse_error();
    if (key == "error") {
      if (read_optional_string(field.value(), error) == read::bad) return parse_error();
    } else if (key == "lastUpdated") {
      if (read_int(field.value(), out.last_updated) == read::bad) return parse_error();
    } else if (key == "totalPopulation") {
      if (read_int(field.value(), out.total) == read::bad) return parse_error();
      saw_data = true;
    } else if (key == "populationByDistrict" || key == "statusByDistrict") {
      bool const is_population = key == "populationByDistrict";
      od::object map;
      if (field.value().get_object().get(map) != simdjson::SUCCESS) return parse_error();
      saw_data = true;
      for (auto g : map) {
        od::field entry;
        std::string_view name_view;
        if (std::move(g).get(entry) != simdjson::SUCCESS || entry.unescaped_key().get(name_view) != simdjson::SUCCESS)
          return parse_error();
        std::string name{name_view};
        if (is_population) {
          std::int64_t n = 0;
          if (read_int(entry.value(), n) != read::ok) return parse_error();
          district dist;
          dist.name = std::move(name);
          dist.population = n;
          out.districts.push_back(std::move(dist));
        } else {
          std::string status;
          if (read_string(entry.value(), status) == read::bad) return parse_error();
          statuses.emplace_back(std::move(name), district_status_from_string(status));
        }
      }
    }
  }
  if (error && !saw_data) return envelope_error<population>(*error, api_error);
  // The two maps are joined by name, never by position: nothing promises the same key order.
  for (auto& entry : statuses) {
    auto const& name = entry.first;
    auto it =
        std::find_if(out.districts.begin(), out.districts.end(), [&](district const& x) { return x.name == name; });
    if (it != out.districts.end()) {
      it->status = entry.second;
    } else {
      district dist;
      dist.name = name;
      dist.status = entry.second;
      out.districts.push_back(std::move(dist));
    }
  }
  out.json.assign(json);
  return out;
}

result<game_status> parse_ttr_status(std::string_view json) {
  json_doc d{json};
  od::object root;
  if (!d.open() || d.doc.get_object().get(root) != simdjson::SUCCESS) return parse_error();
  game_status out;
  bool has_open = false;
  for (auto f : root) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS)
      return parse_error();
    if (key == "open") {
      if (read_bool(field.value(), out.open) != read::ok) return parse_error();
      has_open = true;
    } else if (key == "banner") {
      if (read_optional_string(field.value(), out.banner) == read::bad) return parse_error();
    }
  }
  if (!has_open) return parse_error();
  out.json.assign(json);
  return out;
}

std::string_view field_office_street(int zone) noexcept {
  switch (zone) {
    case 3100:
      return "Walrus Way";
    case 3200:
      return "Sleet Street";
    case 3300:
      return "Polar Place";
    case 4100:
      return "Alto Avenue";
    case 4200:
      return "Baritone Boulevard";
    case 4300:
      return "Tenor Terrace";
    case 5100:
      return "Elm Street";
    case 5200:
      return "Maple Street";
    case 5300:
      return "Oak Street";
    case 9100:
      return "Lullaby Lane";
    case 9200:
      return "Pajama Place";
    default:
      return {};
  }
}

result<field_office_list> parse_ttr_field_offices(std::string_view json) {
  json_doc d{json};
  od::object root;
  if (!d.open() || d.doc.get_object().get(root) != simdjson::SUCCESS) return parse_error();
  field_office_list out;
  bool saw_offices = false;
  for (auto f : root) {
    od::field field;
    std::string_view key;
    if (std::move(f).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS)
      return parse_error();
    if (key == "lastUpdated") {
      if (read_int(field.value(), out.last_updated) == read::bad) return parse_error();
    } else if (key == "fieldOffices") {
      od::object offices;
      if (field.value().get_object().get(offices) != simdjson::SUCCESS) return parse_error();
      saw_offices = true;
      for (auto g : offices) {
        od::field entry;
        std::string_view zone_key;
        od::object fo;
        if (std::move(g).get(entry) != simdjson::SUCCESS || entry.unescaped_key().get(zone_key) != simdjson::SUCCESS ||
            entry.value().get_object().get(fo) != simdjson::SUCCESS) {
          return parse_error();
        }
        field_office office;
        std::int64_t zone = 0;
        if (!to_int(zone_key, zone)) return parse_error();
        office.zone = static_cast<int>(zone);
        office.street = field_office_street(office.zone);
        for (auto h : fo) {
          od::field m;
          std::string_view name;
          if (std::move(h).get(m) != simdjson::SUCCESS || m.unescaped_key().get(name) != simdjson::SUCCESS)
            return parse_error();
          std::int64_t n = 0;
          if (name == "department") {
            std::string dept;
            if (read_string(m.value(), dept) == read::bad) return parse_error();
            office.dept = department_from_string(dept);
          } else if (name == "difficulty") {
            if (read_int(m.value(), n) == read::bad) return parse_error();
            office.difficulty = static_cast<int>(n);
          } else if (name == "annexes") {
            if (read_int(m.value(), n) == read::bad) return parse_error();
            office.annexes = static_cast<int>(n);
          } else if (name == "open") {
            if (read_bool(m.value(), office.open) == read::bad) return parse_error();
          } else if (name == "expiring") {
            auto const r = read_int(m.value(), n);
            if (r == read::bad) {
              bool flag = false;  // toontown.py treats a false value as "not expiring"
              if (read_bool(m.value(), flag) == read::bad) return parse_error();
            } else if (r == read::ok && n > 0) {
              office.expiring = n;
            }
          }
        }
        out.offices.push_back(std::move(office));
      }
    }
  }
  if (!saw_offices) return parse_error();
  std::sort(out.offices.begin(), out.offices.end(), [](auto const& a, auto const& b) { return a.zone < b.zone; });
  out.json.assign(json);
  return out;
}

district_list merge_ttr(population const& pop, invasion_list const& inv) {
  district_list out;
  out.last_updated = std::max(pop.last_updated, inv.last_updated);
  out.districts = pop.districts;
  for (auto const& i : inv.invasions) {
    auto it = std::find_if(out.districts.begin(), out.districts.end(),
                           [&](district const& x) { return x.name == i.district; });
    if (it == out.districts.end()) {
      district dist;
      dist.name = i.district;
      out.districts.push_back(std::move(dist));
      it = std::prev(out.districts.end());
    }
    it->invasion = i;
    it->last_update = i.as_of;
  }
  out.json = "{\"population\":" + (pop.json.empty() ? std::string{"null"} : pop.json) +
             ",\"invasions\":" + (inv.json.empty() ? std::string{"null"} : inv.json) + "}";
  return out;
}

}  // namespace overworld::toon
