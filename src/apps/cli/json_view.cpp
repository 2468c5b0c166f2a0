#include "json_view.hpp"

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

std::string coc_time(std::string_view stamp) {
  // yyyymmddThhmmss.sssZ
  if (stamp.size() < 15 || stamp[8] != 'T') return std::string{stamp};
  std::string out;
  out.append(stamp.substr(0, 4)).append("-").append(stamp.substr(4, 2)).append("-").append(stamp.substr(6, 2));
  out.append(" ").append(stamp.substr(9, 2)).append(":").append(stamp.substr(11, 2)).append(" UTC");
  return out;
}

std::string epoch_time(std::int64_t seconds) {
  std::time_t const t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!::gmtime_r(&t, &tm)) return std::to_string(seconds);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
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
