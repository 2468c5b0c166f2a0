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
