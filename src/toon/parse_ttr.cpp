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
  out.district = std::move(district);
  bool has_type = false;
  bool has_progress = false;
  bool mega_field = false;
  bool const ok = read_members(v, [&](std::string_view key, od::value value) {
    if (key == "type") {
      has_type = true;
      return read_string(value, out.type) == read::ok;
    }
    if (key == "asOf") return read_int(value, out.as_of) != read::bad;
    if (key == "progress") {
      std::string progress;
      has_progress = true;
      return read_string(value, progress) == read::ok && read_progress(progress, out);
    }
    if (key == "mega") return read_bool(value, mega_field) != read::bad;  // TTR's local API has it
    return true;
  });
  if (!ok || !has_type || !has_progress) return false;
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
  invasion_list out;
  std::optional<std::string> error;
  bool saw_data = false;
  bool saw_invasions = false;
  bool foreign = false;  // members that are neither TTR's envelope nor invasions
  auto add_invasion = [&](std::string_view district, od::value value) {
    invasion inv;
    if (!read_invasion(value, std::string{district}, inv)) return false;
    out.invasions.push_back(std::move(inv));
    saw_data = true;
    return true;
  };
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    if (key == "error") return read_optional_string(value, error) != read::bad;
    if (key == "lastUpdated") return read_int(value, out.last_updated) != read::bad;
    if (key == "invasions") {
      saw_invasions = saw_data = true;
      return read_members(value, add_invasion);
    }
    // The bare `invasions` object some libraries save: district names at the top.
    od::json_type t;
    if (value.type().get(t) != simdjson::SUCCESS) return false;
    if (t != od::json_type::object) {
      foreign = true;
      return true;
    }
    return add_invasion(key, value);
  });
  if (!ok) return parse_error();
  if (error && !saw_data) return envelope_error<invasion_list>(*error, api_error);
  if (foreign && !saw_invasions) return parse_error();  // another API's document, not an empty list
  out.json.assign(json);
  return out;
}

result<population> parse_ttr_population(std::string_view json, std::string* api_error) {
  json_doc d{json};
  population out;
  std::optional<std::string> error;
  bool saw_data = false;
  std::vector<std::pair<std::string, district_status>> statuses;
  auto add_population = [&](std::string_view name, od::value value) {
    district dist;
    std::int64_t n = 0;
    if (read_int(value, n) != read::ok) return false;
    dist.name = std::string{name};
    dist.population = n;
    out.districts.push_back(std::move(dist));
    return true;
  };
  auto add_status = [&](std::string_view name, od::value value) {
    std::string status;
    if (read_string(value, status) == read::bad) return false;
    statuses.emplace_back(std::string{name}, district_status_from_string(status));
    return true;
  };
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    if (key == "error") return read_optional_string(value, error) != read::bad;
    if (key == "lastUpdated") return read_int(value, out.last_updated) != read::bad;
    if (key == "totalPopulation") {
      saw_data = true;
      return read_int(value, out.total) != read::bad;
    }
    if (key == "populationByDistrict" || key == "statusByDistrict") {
      saw_data = true;
      return key == "populationByDistrict" ? read_members(value, add_population) : read_members(value, add_status);
    }
    return true;
  });
  if (!ok) return parse_error();
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
  game_status out;
  bool has_open = false;
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    if (key == "open") {
      has_open = true;
      return read_bool(value, out.open) == read::ok;
    }
    if (key == "banner") return read_optional_string(value, out.banner) != read::bad;
    return true;
  });
  if (!ok || !has_open) return parse_error();
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

namespace {

bool read_field_office_member(field_office& office, std::string_view name, od::value value) {
  std::int64_t n = 0;
  if (name == "department") {
    std::string dept;
    if (read_string(value, dept) == read::bad) return false;
    office.dept = department_from_string(dept);
  } else if (name == "difficulty") {
    if (read_int(value, n) == read::bad) return false;
    office.difficulty = static_cast<int>(n);
  } else if (name == "annexes") {
    if (read_int(value, n) == read::bad) return false;
    office.annexes = static_cast<int>(n);
  } else if (name == "open") {
    return read_bool(value, office.open) != read::bad;
  } else if (name == "expiring") {
    auto const r = read_int(value, n);
    if (r == read::bad) {
      bool flag = false;  // toontown.py treats a false value as "not expiring"
      return read_bool(value, flag) != read::bad;
    }
    if (r == read::ok && n > 0) office.expiring = n;
  }
  return true;
}

}  // namespace

result<field_office_list> parse_ttr_field_offices(std::string_view json) {
  json_doc d{json};
  field_office_list out;
  bool saw_offices = false;
  auto add_office = [&](std::string_view zone_key, od::value value) {
    field_office office;
    std::int64_t zone = 0;
    if (!to_int(zone_key, zone)) return false;
    office.zone = static_cast<int>(zone);
    office.street = field_office_street(office.zone);
    bool const ok = read_members(
        value, [&office](std::string_view name, od::value v) { return read_field_office_member(office, name, v); });
    out.offices.push_back(std::move(office));
    return ok;
  };
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    if (key == "lastUpdated") return read_int(value, out.last_updated) != read::bad;
    if (key == "fieldOffices") {
      saw_offices = true;
      return read_members(value, add_office);
    }
    return true;
  });
  if (!ok || !saw_offices) return parse_error();
  std::sort(out.offices.begin(), out.offices.end(), [](auto const& a, auto const& b) { return a.zone < b.zone; });
  out.json.assign(json);
  return out;
}

namespace {

bool read_doodle(od::value v, doodle& out) {
  bool has_dna = false;
  bool const ok = read_members(v, [&](std::string_view key, od::value value) {
    if (key == "dna") return has_dna = read_string(value, out.dna) == read::ok;
    if (key == "cost") return read_int(value, out.cost) != read::bad;
    if (key == "traits") {
      od::array traits;
      if (value.get_array().get(traits) != simdjson::SUCCESS) return false;
      return read_elements(traits, [&](od::value t) {
        std::string trait;
        if (read_string(t, trait) != read::ok) return false;
        out.traits.push_back(std::move(trait));
        return true;
      });
    }
    return true;
  });
  return ok && has_dna;
}

}  // namespace

result<doodle_list> parse_ttr_doodles(std::string_view json) {
  json_doc d{json};
  doodle_list out;
  bool const ok = read_root_members(d, [&](std::string_view district_key, od::value district) {
    std::string const district_name{district_key};
    return read_members(district, [&](std::string_view playground_key, od::value playground) {
      std::string const playground_name{playground_key};
      od::array doodles;
      if (playground.get_array().get(doodles) != simdjson::SUCCESS) return false;
      return read_elements(doodles, [&](od::value item) {
        doodle one;
        one.district = district_name;
        one.playground = playground_name;
        if (!read_doodle(item, one)) return false;
        out.doodles.push_back(std::move(one));
        return true;
      });
    });
  });
  if (!ok) return parse_error();
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
