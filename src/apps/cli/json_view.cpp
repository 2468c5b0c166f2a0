#include "json_view.hpp"

#include <overworld/core/log.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace overworld::cli {

result<json> json_document::parse(std::string_view body, std::string& why) {
  json root;
  if (auto err = parser_.parse(body.data(), body.size(), true).get(root); err) {
    why = simdjson::error_message(err);
    return errc::parse_error;
  }
  return root;
}

std::optional<json> at(json e, std::string_view pointer) {
  if (pointer.empty()) return e;
  json found;
  if (e.at_pointer(pointer).get(found)) return std::nullopt;
  return found;
}

std::string text(json e, std::string_view pointer) {
  auto const v = at(e, pointer);
  if (!v) return {};
  switch (v->type()) {
    case simdjson::dom::element_type::STRING:
      return std::string{std::string_view(*v)};
    case simdjson::dom::element_type::INT64:
      return std::to_string(std::int64_t(*v));
    case simdjson::dom::element_type::UINT64:
      return std::to_string(std::uint64_t(*v));
    case simdjson::dom::element_type::DOUBLE:
      return format_number(double(*v));
    case simdjson::dom::element_type::BOOL:
      return bool(*v) ? "yes" : "no";
    default:
      return {};
  }
}

std::optional<std::int64_t> integer(json e, std::string_view pointer) {
  auto const v = at(e, pointer);
  std::int64_t out = 0;
  if (!v || v->get_int64().get(out)) return std::nullopt;
  return out;
}

std::optional<double> number(json e, std::string_view pointer) {
  auto const v = at(e, pointer);
  double out = 0;
  if (!v || v->get_double().get(out)) return std::nullopt;
  return out;
}

std::optional<bool> boolean(json e, std::string_view pointer) {
  auto const v = at(e, pointer);
  bool out = false;
  if (!v || v->get_bool().get(out)) return std::nullopt;
  return out;
}

std::vector<json> array(json e, std::string_view pointer) {
  std::vector<json> out;
  auto const v = at(e, pointer);
  simdjson::dom::array items;
  if (!v || v->get_array().get(items)) return out;
  for (json item : items) out.push_back(item);
  return out;
}

void json_member(std::string& out, std::string_view name, std::string_view value, bool quote) {
  if (out.back() != '{') out += ',';
  out += '"';
  append_json_escaped(out, name);
  out += "\":";
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  append_json_escaped(out, value);
  out += '"';
}

std::optional<std::int64_t> coc_seconds(std::string_view stamp) {
  // yyyymmddThhmmss.sssZ
  if (stamp.size() < 15 || stamp[8] != 'T') return std::nullopt;
  std::tm tm{};
  auto const field = [&](std::size_t at, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (stamp[i] < '0' || stamp[i] > '9') return false;
      out = out * 10 + (stamp[i] - '0');
    }
    return true;
  };
  if (!field(0, 4, tm.tm_year) || !field(4, 2, tm.tm_mon) || !field(6, 2, tm.tm_mday) || !field(9, 2, tm.tm_hour) ||
      !field(11, 2, tm.tm_min) || !field(13, 2, tm.tm_sec)) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(::timegm(&tm));
}

std::string coc_time(std::string_view stamp) {
  auto const seconds = coc_seconds(stamp);
  return seconds ? epoch_time(*seconds) : std::string{stamp};
}

std::string relative_time(std::int64_t seconds, std::int64_t now) {
  std::int64_t const d = seconds - now;
  std::int64_t const a = d < 0 ? -d : d;
  if (a < 5) return "now";
  std::string amount;
  if (a < 90) {
    amount = std::to_string(a) + "s";
  } else if (a < std::int64_t{90} * 60) {
    amount = std::to_string((a + 30) / 60) + "m";
  } else if (a < std::int64_t{36} * 3600) {
    amount = std::to_string((a + 1800) / 3600) + "h";
  } else {
    amount = std::to_string((a + 43'200) / 86'400) + "d";
  }
  return d >= 0 ? "in " + amount : amount + " ago";
}

std::string epoch_time(std::int64_t seconds) {
  auto const t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!::localtime_r(&t, &tm)) return std::to_string(seconds);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %Z", &tm);
  auto const now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  return std::string{buf} + " (" + relative_time(seconds, now.count()) + ")";
}

std::string clock_time(std::int64_t seconds) {
  auto const t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!::localtime_r(&t, &tm)) return std::to_string(seconds);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

std::string format_percent(std::optional<double> value) {
  if (!value) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *value);
  return buf;
}

std::string format_number(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace overworld::cli
