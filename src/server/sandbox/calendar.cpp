#include "calendar.hpp"

#include <charconv>
#include <cstdio>

namespace overworld::sandbox::calendar {

namespace {

// Howard Hinnant's civil calendar algorithms: days since 1970-01-01 to and from y-m-d.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  std::int64_t const era = (y >= 0 ? y : y - 399) / 400;
  auto const yoe = static_cast<unsigned>(y - era * 400);
  unsigned const doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil {
  std::int64_t y;
  unsigned m, d;
};

civil civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t const era = (z >= 0 ? z : z - 146096) / 146097;
  auto const doe = static_cast<unsigned>(z - era * 146097);
  unsigned const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t const y = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned const mp = (5 * doy + 2) / 153;
  unsigned const d = doy - (153 * mp + 2) / 5 + 1;
  unsigned const m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/// The latest time at or before `t` that is `origin` plus a whole number of `period`s.
std::int64_t latest(std::int64_t t, std::int64_t origin, std::int64_t period) {
  return origin + floor_div(t - origin, period) * period;
}

struct clock_time {
  civil date;
  std::int64_t h, min, s;
};

clock_time split(std::int64_t t) {
  std::int64_t const days = floor_div(t, day);
  std::int64_t const rest = t - days * day;
  return {civil_from_days(days), rest / hour, rest % hour / minute, rest % minute};
}

}  // namespace

namespace {

/// `t` written with `format`, which takes year, month, day, hour, minute and second in that order.
std::string written(std::int64_t t, char const* format) {
  auto const c = split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, format, static_cast<long long>(c.date.y), c.date.m, c.date.d,
                static_cast<long long>(c.h), static_cast<long long>(c.min), static_cast<long long>(c.s));
  return buf;
}

}  // namespace

std::string api_time(std::int64_t t) { return written(t, "%04lld%02u%02uT%02lld%02lld%02lld.000Z"); }

std::string iso_time(std::int64_t t) { return written(t, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ"); }

std::optional<std::int64_t> parse_time(std::string_view text) {
  auto const number = [](std::string_view digits) -> std::optional<std::int64_t> {
    std::int64_t n = 0;
    auto const [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return n;
  };
  // 20230509T085731.000Z, as the API writes times
  if (text.size() == 20 && text[8] == 'T' && text.substr(15) == ".000Z") {
    std::string iso{text.substr(0, 4)};
    iso += "-" + std::string{text.substr(4, 2)} + "-" + std::string{text.substr(6, 2)} + "T" +
           std::string{text.substr(9, 2)} + ":" + std::string{text.substr(11, 2)} + ":" +
           std::string{text.substr(13, 2)} + "Z";
    return parse_time(iso);
  }
  if (text.find('-') == std::string_view::npos) return number(text);
  // 2026-03-01T00:00:00Z
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z') {
    return std::nullopt;
  }
  auto const y = number(text.substr(0, 4)), mo = number(text.substr(5, 2)), d = number(text.substr(8, 2));
  auto const h = number(text.substr(11, 2)), mi = number(text.substr(14, 2)), s = number(text.substr(17, 2));
  if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 ||
      *s > 59) {
    return std::nullopt;
  }
  auto const days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  if (civil_from_days(days).d != static_cast<unsigned>(*d)) return std::nullopt;  // 2026-02-30
  return days * day + *h * hour + *mi * minute + *s;
}

std::string date_id(std::int64_t t) {
  auto const c = split(t);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.date.y), c.date.m, c.date.d);
  return buf;
}

std::string month_id(std::int64_t t) { return date_id(t).substr(0, 7); }

std::int64_t month_start(std::int64_t t) {
  auto const c = civil_from_days(floor_div(t, day));
  return days_from_civil(c.y, c.m, 1) * day;
}

std::int64_t add_months(std::int64_t month, int n) {
  auto const c = civil_from_days(floor_div(month, day));
  std::int64_t const index = c.y * 12 + (c.m - 1) + n;
  return days_from_civil(floor_div(index, 12), static_cast<unsigned>(index - floor_div(index, 12) * 12 + 1), 1) * day;
}

std::int64_t month_index(std::int64_t t) {
  auto const c = civil_from_days(floor_div(t, day));
  return (c.y - 1970) * 12 + (c.m - 1);
}

std::int64_t season_end_in(std::int64_t month) {
  std::int64_t const next = add_months(month, 1);
  // 1970-01-05 was a Monday: the last Monday before the next month starts.
  std::int64_t const last_monday = latest(next - 1, 4 * day, week);
  return last_monday + 5 * hour;
}

std::int64_t season_end_before(std::int64_t t) {
  std::int64_t const end = season_end_in(month_start(t));
  return end <= t ? end : season_end_in(add_months(month_start(t), -1));
}

std::int64_t ranked_week(std::int64_t t) { return latest(t, 4 * day + 5 * hour, week); }

std::int64_t raid_weekend(std::int64_t t) { return latest(t, 1 * day + 7 * hour, week); }

cwl_week cwl_of(std::int64_t month) {
  cwl_week w;
  w.formed = month;
  w.first_round = month + day;
  w.ended = w.end(cwl_rounds);
  w.gone = month + 10 * day;
  return w;
}

span gold_pass(std::int64_t t) {
  std::int64_t const this_month = month_start(t) + 8 * hour;
  std::int64_t const start = this_month <= t ? this_month : add_months(month_start(t), -1) + 8 * hour;
  return {start, add_months(month_start(start), 1) + 8 * hour};
}

}  // namespace overworld::sandbox::calendar
