// Toontown: Corporate Clash's response shapes, and Overworld's own v2 districts and invasions.
#include "json_read.hpp"

#include <overworld/toon/parse.hpp>

#include <algorithm>
#include <chrono>

namespace overworld::toon {
namespace {

using namespace detail;

bool no_invasion_name(std::string_view cog) { return cog.empty() || cog == "None" || cog == "none" || cog == "null"; }

bool read_ttcc_district(od::value v, district& out) {
  std::optional<bool> online;
  std::optional<bool> invasion_online;
  std::string cogs;
  std::int64_t defeated = 0, total = 0, remaining = 0, population = 0, last_update = 0;
  bool has_name = false, has_population = false, has_last_update = false;
  bool const ok = read_members(v, [&](std::string_view key, od::value value) {
    read r = read::ok;
    bool flag = false;
    if (key == "name") {
      r = read_string(value, out.name);
      has_name = r == read::ok;
    } else if (key == "online") {
      r = read_bool(value, flag);
      if (r == read::ok) online = flag;
    } else if (key == "population") {
      r = read_int(value, population);
      has_population = r == read::ok;
    } else if (key == "invasion_online") {
      r = read_bool(value, flag);  // the 2018 docs typed it "true"
      if (r == read::ok) invasion_online = flag;
    } else if (key == "last_update") {
      r = read_int(value, last_update);
      has_last_update = r == read::ok;
    } else if (key == "cogs_attacking") {
      r = read_string(value, cogs);
    } else if (key == "count_defeated") {
      r = read_int(value, defeated);
    } else if (key == "count_total") {
      r = read_int(value, total);
    } else if (key == "remaining_time") {
      r = read_int(value, remaining);
    }
    return r != read::bad;
  });
  if (!ok || !has_name) return false;
  // Districts were listed only while they reported, before `online` existed (2018-07).
  out.status = online.value_or(true) ? district_status::online : district_status::offline;
  if (has_population) out.population = population;
  if (has_last_update) out.last_update = last_update;
  // "None" with a stale count (TTCC does not reset count_defeated) is no invasion.
  if (invasion_online.value_or(true) && !no_invasion_name(cogs)) {
    invasion inv;
    inv.district = out.name;
    inv.type = cogs;
    inv.cog = parse_cog(cogs);
    inv.defeated = defeated;
    if (total >= mega_invasion_total)
      inv.mega = true;
    else if (total > 0)
      inv.total = total;
    inv.as_of = last_update;
    if (remaining > 0 && has_last_update) {
      inv.ends_at = last_update + remaining;
      inv.estimated_end = inv.ends_at;
    }
    out.invasion = std::move(inv);
  }
  return true;
}

template <class T>
result<T> decode_object(std::string_view json, bool (*member)(T&, std::string_view, od::value),
                        bool (*complete)(T const&)) {
  json_doc d{json};
  T out;
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) { return member(out, key, value); });
  if (!ok || !complete(out)) return parse_error();
  out.json.assign(json);
  return out;
}

bool game_info_member(game_info& out, std::string_view key, od::value v) {
  if (key == "num_toons") return read_int(v, out.toons) != read::bad;
  if (key == "production_closed") return read_bool(v, out.production_closed) != read::bad;
  if (key == "production_closed_reason") return read_string(v, out.production_closed_reason) != read::bad;
  if (key == "version") return read_string(v, out.version) != read::bad;
  return true;
}

bool version_member(launcher_version& out, std::string_view key, od::value v) {
  if (key == "version") return read_string(v, out.version) != read::bad;
  return true;
}

bool article_member(article& out, std::string_view key, od::value v) {
  if (key == "id") return read_int(v, out.id) == read::ok;
  if (key == "author") return read_string(v, out.author) != read::bad;
  if (key == "posted") return read_string(v, out.posted) != read::bad;
  if (key == "title") return read_string(v, out.title) != read::bad;
  if (key == "summary") return read_string(v, out.summary) != read::bad;
  if (key == "category") return read_string(v, out.category) != read::bad;
  if (key == "image_url") return read_string(v, out.image_url) != read::bad;
  return true;
}

bool login_member(ttcc_login& out, std::string_view key, od::value v) {
  if (key == "status") return read_bool(v, out.status) != read::bad;
  if (key == "reason") {
    std::int64_t n = 0;
    if (read_int(v, n) != read::ok) return false;
    out.reason_code = static_cast<int>(n);
    return true;
  }
  if (key == "friendlyreason") return read_string(v, out.friendly_reason) != read::bad;
  if (key == "token") return read_string(v, out.token) != read::bad;
  return true;
}

bool any_game_info(game_info const& g) { return !g.version.empty() || g.toons != 0 || g.production_closed; }
bool has_version(launcher_version const& v) { return !v.version.empty(); }
bool has_reason(ttcc_login const& l) { return l.reason_code != 0; }

login_reason reason_of(int code) {
  switch (code) {
    case 1000:
      return login_reason::success;
    case 1002:
      return login_reason::terminated;
    case 1003:
      return login_reason::banned;
    case 1004:
      return login_reason::maintenance;
    case 1005:
      return login_reason::invalid_credentials;
    case 429:
      return login_reason::rate_limited;
    default:
      return login_reason::unknown;
  }
}

}  // namespace

std::optional<std::int64_t> parse_ttcc_date(std::string_view text) noexcept {
  // "2018-03-09 22:30:33" or "2018-03-09T22:30:33[.fff]Z"
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  std::int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!to_int(text.substr(0, 4), y) || !to_int(text.substr(5, 2), mo) || !to_int(text.substr(8, 2), d) ||
      !to_int(text.substr(11, 2), h) || !to_int(text.substr(14, 2), mi) || !to_int(text.substr(17, 2), s)) {
    return std::nullopt;
  }
  std::chrono::year_month_day const ymd{std::chrono::year{static_cast<int>(y)},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  auto const days = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::sys_days{ymd}.time_since_epoch());
  return days.count() + h * 3600 + mi * 60 + s;
}

result<district_list> parse_ttcc_districts(std::string_view json) {
  json_doc d{json};
  district_list out;
  bool const ok = read_root_elements(d, [&](od::value item) {
    district dist;
    if (!read_ttcc_district(item, dist)) return false;
    if (dist.last_update) out.last_updated = std::max(out.last_updated, *dist.last_update);
    out.districts.push_back(std::move(dist));
    return true;
  });
  if (!ok) return parse_error();
  out.json.assign(json);
  return out;
}

result<game_info> parse_ttcc_game_info(std::string_view json) {
  return decode_object<game_info>(json, game_info_member, any_game_info);
}

result<launcher_version> parse_ttcc_version(std::string_view json) {
  return decode_object<launcher_version>(json, version_member, has_version);
}

result<article_list> parse_ttcc_news(std::string_view json) {
  json_doc d{json};
  article_list out;
  bool const ok = read_root_elements(d, [&](od::value item) {
    od::object o;
    if (item.get_object().get(o) != simdjson::SUCCESS) return false;
    article a;
    bool has_id = false;
    bool const read = read_members(o, [&](std::string_view key, od::value value) {
      has_id = has_id || key == "id";
      return article_member(a, key, value);
    });
    // The article's own JSON: the object just read, rewound.
    std::string_view raw;
    if (!read || !has_id || o.reset().error() != simdjson::SUCCESS || o.raw_json().get(raw) != simdjson::SUCCESS) {
      return false;
    }
    a.json.assign(raw);
    a.posted_unix = parse_ttcc_date(a.posted);
    out.articles.push_back(std::move(a));
    return true;
  });
  if (!ok) return parse_error();
  out.json.assign(json);
  return out;
}

namespace {

bool token_answer_member(launcher_token_answer& out, std::string_view key, od::value v) {
  if (key == "status") return read_bool(v, out.status) != read::bad;
  if (key == "bad_token") return read_bool(v, out.bad_token) != read::bad;
  if (key == "toonstep") return read_bool(v, out.toonstep) != read::bad;
  if (key == "reason") {
    std::int64_t n = 0;
    if (read_int(v, n) == read::bad) return false;
    out.reason_code = static_cast<int>(n);
    return true;
  }
  if (key == "message" || key == "error") return read_string(v, out.message) != read::bad;
  if (key == "token") return read_string(v, out.token) != read::bad;
  if (key == "id") {
    std::int64_t n = 0;
    if (read_int(v, n) != read::ok) return false;
    out.id = n;
    return true;
  }
  return true;
}

bool is_token_answer(launcher_token_answer const& a) {
  return a.status || a.bad_token || a.reason_code != 0 || !a.message.empty();
}

}  // namespace

result<launcher_token_answer> parse_launcher_token_answer(std::string_view json, unsigned http_status) {
  auto out = decode_object<launcher_token_answer>(json, token_answer_member, is_token_answer);
  if (!out) return out;
  out->reason = reason_of(out->reason_code);
  out->http_status = http_status;
  return out;
}

result<ttcc_login> parse_ttcc_login(std::string_view json, unsigned http_status) {
  auto out = decode_object<ttcc_login>(json, login_member, has_reason);
  if (!out) return out;
  out->reason = reason_of(out->reason_code);
  out->http_status = http_status;
  return out;
}

// ---- v2 ----

namespace {

bool read_v2_invasion(od::value v, invasion& out) {
  std::string dept;
  bool has_cog = false;
  bool skelecog = false, v2 = false;
  std::optional<std::int64_t> total;
  bool const ok = read_members(v, [&](std::string_view key, od::value value) {
    read r = read::ok;
    std::int64_t n = 0;
    double x = 0;
    if (key == "id") {
      r = read_string(value, out.id);
    } else if (key == "district") {
      r = read_string(value, out.district);
    } else if (key == "cog") {
      r = read_string(value, out.type);
      has_cog = r == read::ok;
    } else if (key == "department") {
      r = read_string(value, dept);
    } else if (key == "skelecog") {
      r = read_bool(value, skelecog);
    } else if (key == "v2") {
      r = read_bool(value, v2);
    } else if (key == "mega") {
      r = read_bool(value, out.mega);
    } else if (key == "defeated") {
      r = read_int(value, out.defeated);
    } else if (key == "total") {
      r = read_int(value, n);
      if (r == read::ok) total = n;
    } else if (key == "startedAt") {
      r = read_int(value, n);
      if (r == read::ok) out.started_at = n;
    } else if (key == "asOf") {
      r = read_int(value, out.as_of);
    } else if (key == "defeatRate") {
      r = read_double(value, x);
      if (r == read::ok) out.defeat_rate = x;
    } else if (key == "estimatedEnd") {
      r = read_int(value, n);
      if (r == read::ok) out.estimated_end = n;
    }
    return r != read::bad;
  });
  if (!ok || !has_cog) return false;
  out.cog = parse_cog(out.type);
  out.cog.skelecog = out.cog.skelecog || skelecog;
  out.cog.v2 = out.cog.v2 || v2;
  if (auto const named = department_from_string(dept); named != department::unknown) out.cog.dept = named;
  if (total && *total >= mega_invasion_total) out.mega = true;
  if (!out.mega) out.total = total;
  return true;
}

bool read_v2_district(od::value v, district& out) {
  bool has_name = false;
  bool const ok = read_members(v, [&](std::string_view key, od::value value) {
    read r = read::ok;
    std::int64_t n = 0;
    if (key == "name") {
      r = read_string(value, out.name);
      has_name = r == read::ok;
    } else if (key == "status") {
      std::string s;
      r = read_string(value, s);
      out.status = district_status_from_string(s);
    } else if (key == "population") {
      r = read_int(value, n);
      if (r == read::ok) out.population = n;
    } else if (key == "lastReport") {
      r = read_int(value, n);
      if (r == read::ok) out.last_update = n;
    } else if (key == "invasion") {
      od::json_type t;
      if (value.type().get(t) != simdjson::SUCCESS) return false;
      if (t != od::json_type::null) {
        invasion inv;
        if (!read_v2_invasion(value, inv)) return false;
        out.invasion = std::move(inv);
      }
    }
    return r != read::bad;
  });
  if (!ok || !has_name) return false;
  if (out.invasion && out.invasion->district.empty()) out.invasion->district = out.name;
  return true;
}

}  // namespace

result<invasion> parse_v2_invasion(std::string_view json) {
  json_doc d{json};
  if (!d.open()) return parse_error();
  od::value v;
  if (d.doc.get_value().get(v) != simdjson::SUCCESS) return parse_error();
  invasion out;
  if (!read_v2_invasion(v, out)) return parse_error();
  return out;
}

result<district_list> parse_v2_districts(std::string_view json) {
  json_doc d{json};
  district_list out;
  bool saw = false;
  auto add_district = [&](od::value item) {
    district dist;
    if (!read_v2_district(item, dist)) return false;
    out.districts.push_back(std::move(dist));
    return true;
  };
  bool const ok = read_root_members(d, [&](std::string_view key, od::value value) {
    if (key == "lastUpdated") return read_int(value, out.last_updated) != read::bad;
    if (key == "districts") {
      od::array items;
      saw = true;
      return value.get_array().get(items) == simdjson::SUCCESS && read_elements(items, add_district);
    }
    return true;
  });
  if (!ok || !saw) return parse_error();
  out.json.assign(json);
  return out;
}

}  // namespace overworld::toon
