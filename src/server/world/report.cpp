// Parsing district reports with simdjson On-Demand. Every field is checked; a report that breaks a
// rule is rejected whole, so a bad report never changes what the tracker holds.
#include <overworld/server/world/model.hpp>

#include <overworld/core/text.hpp>

#include <simdjson.h>

namespace overworld::world {
namespace {

namespace od = simdjson::ondemand;

bool fail(std::string& why, std::string text) {
  why = std::move(text);
  return false;
}

bool read_int(od::value v, std::int64_t& out, std::string& why, char const* field) {
  if (v.get_int64().get(out) != simdjson::SUCCESS) return fail(why, std::string{field} + " must be an integer");
  return true;
}

bool read_bool(od::value v, bool& out, std::string& why, char const* field) {
  if (v.get_bool().get(out) != simdjson::SUCCESS) return fail(why, std::string{field} + " must be true or false");
  return true;
}

bool read_invasion(od::object obj, invasion& inv, report_limits const& limits, std::int64_t now, std::string& why) {
  bool have_cog = false, have_defeated = false, have_total = false, have_start = false;
  std::optional<department> dept;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return fail(why, "malformed JSON");
    od::value v;
    if (field.value().get(v) != simdjson::SUCCESS) return fail(why, "malformed JSON");
    if (key == "cog") {
      std::string_view s;
      if (auto const e = v.get_string().get(s); e != simdjson::SUCCESS) {
        // A lone surrogate (\ud800) is a string SIMDJSON cannot turn into UTF-8.
        return fail(why,
                    e == simdjson::STRING_ERROR ? "invasion.cog is not valid UTF-8" : "invasion.cog must be a string");
      }
      inv.cog = strip_soft_breaks(s);
      have_cog = true;
    } else if (key == "department") {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS || !(dept = department_from_string(s))) {
        return fail(why, "invasion.department must be bossbot, lawbot, cashbot or sellbot");
      }
    } else if (key == "skelecog") {
      if (!read_bool(v, inv.skelecog, why, "invasion.skelecog")) return false;
    } else if (key == "v2") {
      if (!read_bool(v, inv.v2, why, "invasion.v2")) return false;
    } else if (key == "mega") {
      if (!read_bool(v, inv.mega, why, "invasion.mega")) return false;
    } else if (key == "defeated") {
      if (!read_int(v, inv.defeated, why, "invasion.defeated")) return false;
      have_defeated = true;
    } else if (key == "total") {
      if (!read_int(v, inv.total, why, "invasion.total")) return false;
      have_total = true;
    } else if (key == "started_at") {
      if (!read_int(v, inv.started_at, why, "invasion.started_at")) return false;
      have_start = true;
    } else if (key == "ends_at") {
      bool is_null = false;
      if (v.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
      std::int64_t t = 0;
      if (!read_int(v, t, why, "invasion.ends_at")) return false;
      inv.ends_at = t;
    }
    // Unknown keys are ignored: newer district servers may send more than this version knows.
  }
  if (!have_cog || inv.cog.empty() || inv.cog.size() > limits.max_name_length) {
    return fail(why, "invasion.cog is required (1 to " + std::to_string(limits.max_name_length) + " characters)");
  }
  if (auto const problem = check_name(inv.cog, limits.max_name_length); problem != name_problem::ok) {
    return fail(why, "invasion.cog " + describe(problem, limits.max_name_length));
  }
  inv.dept = dept ? *dept : department_of(inv.cog).value_or(department::unknown);
  if (!have_start) return fail(why, "invasion.started_at is required");
  if (inv.started_at <= 0 || inv.started_at > now + 300)
    return fail(why, "invasion.started_at is not a plausible time");
  if (inv.ends_at && *inv.ends_at < inv.started_at) return fail(why, "invasion.ends_at is before started_at");
  if (!inv.mega) {
    if (!have_defeated || !have_total) return fail(why, "invasion.defeated and invasion.total are required");
    if (inv.total < 1 || inv.total > limits.max_invasion_size) {
      return fail(why, "invasion.total must be from 1 to " + std::to_string(limits.max_invasion_size));
    }
    if (inv.defeated < 0 || inv.defeated > inv.total) return fail(why, "invasion.defeated must be from 0 to total");
  } else {
    if (inv.defeated < 0) return fail(why, "invasion.defeated must not be negative");
    if (!have_total) inv.total = 1'000'000;
  }
  return true;
}

// A string that follows the name rule (core/text.hpp) in at most `max` bytes.
bool read_name(od::value v, std::string& out, std::size_t max, std::string& why, std::string const& field) {
  std::string_view s;
  if (auto const e = v.get_string().get(s); e != simdjson::SUCCESS) {
    return fail(why, field + (e == simdjson::STRING_ERROR ? " is not valid UTF-8" : " must be a string"));
  }
  if (auto const problem = check_name(s, max); problem != name_problem::ok) {
    return fail(why, field + " " + describe(problem, max));
  }
  out.assign(s);
  return true;
}

bool read_bounded(od::value v, std::int64_t& out, std::int64_t lo, std::int64_t hi, std::string& why,
                  std::string const& field) {
  if (v.get_int64().get(out) != simdjson::SUCCESS || out < lo || out > hi) {
    return fail(why, field + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  return true;
}

template <class F>
bool each_field(od::object obj, std::string& why, F&& f) {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
      return fail(why, "malformed JSON");
    }
    if (!f(key, v)) return false;
  }
  return true;
}

bool read_field_office(od::value v, field_office& fo, report_limits const& limits, std::int64_t now, std::string& why) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return fail(why, "field_offices[] must be objects");
  bool have_zone = false, have_difficulty = false, have_annexes = false;
  bool const ok = each_field(obj, why, [&](std::string_view key, od::value x) {
    std::int64_t n = 0;
    if (key == "zone") {
      if (x.get_int64().get(n) != simdjson::SUCCESS || n < 0 || n > 99999 || street_of(static_cast<int>(n)).empty()) {
        return fail(why, "field_offices[].zone must be one of TTR's street zones (3100 … 9200)");
      }
      fo.zone = static_cast<int>(n);
      have_zone = true;
    } else if (key == "department") {
      std::string_view s;
      std::optional<department> d;
      if (x.get_string().get(s) != simdjson::SUCCESS || !(d = department_from_string(s))) {
        return fail(why, "field_offices[].department must be bossbot, lawbot, cashbot or sellbot");
      }
      fo.dept = *d;
    } else if (key == "difficulty") {
      if (!read_bounded(x, n, 0, limits.max_difficulty, why, "field_offices[].difficulty")) return false;
      fo.difficulty = static_cast<int>(n);
      have_difficulty = true;
    } else if (key == "annexes") {
      if (!read_bounded(x, n, 0, limits.max_annexes, why, "field_offices[].annexes")) return false;
      fo.annexes = static_cast<int>(n);
      have_annexes = true;
    } else if (key == "open") {
      return read_bool(x, fo.open, why, "field_offices[].open");
    } else if (key == "expiring") {
      bool is_null = false;
      if (x.is_null().get(is_null) == simdjson::SUCCESS && is_null) return true;
      if (!read_bounded(x, n, 1, now + 86'400, why, "field_offices[].expiring")) return false;
      fo.expiring = n;
    }
    return true;
  });
  if (!ok) return false;
  if (!have_zone || !have_difficulty || !have_annexes) {
    return fail(why, "field_offices[].zone, difficulty and annexes are required");
  }
  return true;
}

bool read_field_offices(od::value v, std::vector<field_office>& out, report_limits const& limits, std::int64_t now,
                        std::string& why) {
  od::array arr;
  if (v.get_array().get(arr) != simdjson::SUCCESS) return fail(why, "field_offices must be an array");
  for (auto item : arr) {
    od::value x;
    if (item.get(x) != simdjson::SUCCESS) return fail(why, "malformed JSON");
    if (out.size() == field_office_zones().size()) {
      return fail(why, "field_offices has more than " + std::to_string(field_office_zones().size()) + " entries");
    }
    field_office fo;
    if (!read_field_office(x, fo, limits, now, why)) return false;
    for (auto const& other : out) {
      if (other.zone == fo.zone) return fail(why, "field_offices has zone " + std::to_string(fo.zone) + " twice");
    }
    out.push_back(fo);
  }
  return true;
}

bool read_doodle(od::value v, doodle& d, report_limits const& limits, std::string& why) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return fail(why, "doodles must hold arrays of objects");
  bool have_dna = false, have_cost = false;
  bool const ok = each_field(obj, why, [&](std::string_view key, od::value x) {
    if (key == "dna") {
      have_dna = true;
      return read_name(x, d.dna, limits.max_name_length, why, "doodles[].dna");
    }
    if (key == "cost") {
      have_cost = true;
      return read_bounded(x, d.cost, 0, limits.max_doodle_cost, why, "doodles[].cost");
    }
    if (key == "traits") {
      od::array traits;
      if (x.get_array().get(traits) != simdjson::SUCCESS) return fail(why, "doodles[].traits must be an array");
      for (auto t : traits) {
        od::value tv;
        if (t.get(tv) != simdjson::SUCCESS) return fail(why, "malformed JSON");
        if (d.traits.size() == limits.max_traits) {
          return fail(why, "doodles[].traits has more than " + std::to_string(limits.max_traits) + " entries");
        }
        std::string trait;
        if (!read_name(tv, trait, limits.max_name_length, why, "doodles[].traits[]")) return false;
        d.traits.push_back(std::move(trait));
      }
    }
    return true;
  });
  if (!ok) return false;
  if (!have_dna || !have_cost) return fail(why, "doodles[].dna and cost are required");
  return true;
}

bool read_doodles(od::value v, std::vector<playground_doodles>& out, report_limits const& limits, std::string& why) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return fail(why, "doodles must be an object of playgrounds");
  return each_field(obj, why, [&](std::string_view key, od::value x) {
    if (out.size() == limits.max_playgrounds) {
      return fail(why, "doodles has more than " + std::to_string(limits.max_playgrounds) + " playgrounds");
    }
    playground_doodles pg;
    if (auto const problem = check_name(key, limits.max_name_length); problem != name_problem::ok) {
      return fail(why, "doodles: a playground name " + describe(problem, limits.max_name_length));
    }
    pg.playground.assign(key);
    for (auto const& other : out) {
      if (other.playground == pg.playground) return fail(why, "doodles has playground " + pg.playground + " twice");
    }
    od::array arr;
    if (x.get_array().get(arr) != simdjson::SUCCESS) return fail(why, "doodles." + pg.playground + " must be an array");
    for (auto item : arr) {
      od::value dv;
      if (item.get(dv) != simdjson::SUCCESS) return fail(why, "malformed JSON");
      if (pg.doodles.size() == limits.max_doodles) {
        return fail(why, "doodles." + pg.playground + " has more than " + std::to_string(limits.max_doodles));
      }
      doodle d;
      if (!read_doodle(dv, d, limits, why)) return false;
      pg.doodles.push_back(std::move(d));
    }
    out.push_back(std::move(pg));
    return true;
  });
}

bool read_silly_points(od::value v, std::vector<silly_points>& out, report_limits const& limits, std::string& why) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return fail(why, "silly_points must be an object of teams");
  return each_field(obj, why, [&](std::string_view key, od::value x) {
    if (out.size() == limits.max_silly_teams) {
      return fail(why, "silly_points has more than " + std::to_string(limits.max_silly_teams) + " teams");
    }
    if (auto const problem = check_name(key, limits.max_name_length); problem != name_problem::ok) {
      return fail(why, "silly_points: a team name " + describe(problem, limits.max_name_length));
    }
    for (auto const& other : out) {
      if (other.team == key) return fail(why, "silly_points has team " + other.team + " twice");
    }
    silly_points p{std::string{key}, 0};
    if (!read_bounded(x, p.points, 0, limits.max_silly_points, why, "silly_points." + p.team)) return false;
    out.push_back(std::move(p));
    return true;
  });
}

}  // namespace

result<district_report> parse_report(std::string_view json, report_limits const& limits, std::int64_t now_unix,
                                     std::string& why) {
  thread_local od::parser parser;
  simdjson::padded_string const padded{json};
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) {
    why = "malformed JSON";
    return errc::parse_error;
  }
  od::object obj;
  if (auto const e = doc.get_object().get(obj); e != simdjson::SUCCESS) {
    why = e == simdjson::INCORRECT_TYPE ? "the report must be a JSON object" : "malformed JSON";
    return errc::parse_error;
  }
  district_report r;
  bool have_population = false;
  for (auto field : obj) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
      why = "malformed JSON";
      return errc::parse_error;
    }
    od::value v;
    if (field.value().get(v) != simdjson::SUCCESS) {
      why = "malformed JSON";
      return errc::parse_error;
    }
    if (key == "population") {
      if (!read_int(v, r.population, why, "population")) return errc::invalid_argument;
      have_population = true;
    } else if (key == "status") {
      std::string_view s;
      std::optional<district_status> st;
      if (v.get_string().get(s) != simdjson::SUCCESS || !(st = status_from_string(s))) {
        why = "status must be online, offline, draining or closed";
        return errc::invalid_argument;
      }
      r.status = *st;
    } else if (key == "invasion") {
      bool is_null = false;
      if (v.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
      od::object inv_obj;
      if (v.get_object().get(inv_obj) != simdjson::SUCCESS) {
        why = "invasion must be an object or null";
        return errc::invalid_argument;
      }
      invasion inv;
      if (!read_invasion(inv_obj, inv, limits, now_unix, why)) return errc::invalid_argument;
      r.current = std::move(inv);
    } else if (key == "field_offices" || key == "doodles" || key == "silly_points") {
      bool is_null = false;
      if (v.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
      bool const ok = key == "field_offices" ? read_field_offices(v, r.field_offices, limits, now_unix, why)
                      : key == "doodles"     ? read_doodles(v, r.doodles, limits, why)
                                             : read_silly_points(v, r.silly, limits, why);
      if (!ok) return why == "malformed JSON" ? errc::parse_error : errc::invalid_argument;
    }
  }
  // On-Demand parses lazily: make sure nothing malformed follows what was read.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    why = "malformed JSON";
    return errc::parse_error;
  }
  if (!have_population) {
    why = "population is required";
    return errc::invalid_argument;
  }
  if (r.population < 0 || r.population > limits.max_population) {
    why = "population must be from 0 to " + std::to_string(limits.max_population);
    return errc::invalid_argument;
  }
  return r;
}

}  // namespace overworld::world
