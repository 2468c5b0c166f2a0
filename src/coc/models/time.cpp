#include <overworld/coc/models/time.hpp>

#include <charconv>
#include <cstdio>

namespace overworld::coc {
namespace {

// Reads `n` digits at `pos` (and moves past them); false when they are not all digits.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;  // from_chars would take a sign
  }
  auto const* first = s.data() + pos;
  auto [end, ec] = std::from_chars(first, first + n, out);
  if (ec != std::errc{} || end != first + n) return false;
  pos += n;
  return true;
}

bool literal(std::string_view s, std::size_t& pos, char c) noexcept {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<timestamp> parse_time(std::string_view s) noexcept {
  using namespace std::chrono;
  bool const extended = s.size() > 4 && s[4] == '-';
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  bool ok = digits(s, pos, 4, y) && (!extended || literal(s, pos, '-')) && digits(s, pos, 2, mo) &&
            (!extended || literal(s, pos, '-')) && digits(s, pos, 2, d) && literal(s, pos, 'T') &&
            digits(s, pos, 2, h) && (!extended || literal(s, pos, ':')) && digits(s, pos, 2, mi) &&
            (!extended || literal(s, pos, ':')) && digits(s, pos, 2, sec);
  if (ok && pos < s.size() && s[pos] == '.') ok = literal(s, pos, '.') && digits(s, pos, 3, ms);
  ok = ok && literal(s, pos, 'Z') && pos == s.size();
  if (!ok || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  year_month_day const date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return timestamp{sys_days{date}} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
}

std::optional<timestamp> to_time(std::optional<std::string> const& text) noexcept {
  if (!text) return std::nullopt;
  return parse_time(*text);
}

std::string format_time(timestamp t) {
  using namespace std::chrono;
  auto const day_start = floor<days>(t);
  year_month_day const date{day_start};
  hh_mm_ss const time{t - day_start};
  char out[32];
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02d%02d%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return out;
}

}  // namespace overworld::coc
