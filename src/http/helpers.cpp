#include <overworld/http/helpers.hpp>

#include <array>
#include <cstdio>
#include <ctime>

namespace overworld::http {
namespace {
constexpr std::array<char const*, 7> day_names{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<char const*, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string http_date(std::chrono::system_clock::time_point t) {
  std::time_t const tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", day_names[static_cast<std::size_t>(tm.tm_wday)],
                tm.tm_mday, month_names[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // IMF-fixdate only (RFC 9110 requires recipients to accept the obsolete forms, but no client
  // of these APIs sends them).
  char day[4]{}, month[4]{};
  int d = 0, y = 0, h = 0, mi = 0, s = 0;
  std::string const str{trim(text)};
  if (std::sscanf(str.c_str(), "%3s, %d %3s %d %d:%d:%d GMT", day, &d, month, &y, &h, &mi, &s) != 7)
    return std::nullopt;
  int mon = -1;
  for (std::size_t i = 0; i < month_names.size(); ++i) {
    if (std::string_view{month} == month_names[i]) mon = static_cast<int>(i);
  }
  if (mon < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string_view cached_http_date() noexcept {
  thread_local std::time_t last = 0;
  thread_local std::array<char, 40> text{};
  thread_local std::size_t length = 0;
  std::time_t const now = std::time(nullptr);
  if (now != last) {
    last = now;
    auto const s = http_date(std::chrono::system_clock::from_time_t(now));
    length = s.copy(text.data(), text.size());
  }
  return {text.data(), length};
}

std::string make_etag(std::string_view body) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a: stable across restarts and builds
  for (char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) noexcept {
  std::string_view const bare = etag.starts_with("W/") ? etag.substr(2) : etag;
  std::string_view list = if_none_match;
  while (!list.empty()) {
    auto const comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (item == "*") return true;
    if (item.starts_with("W/")) item.remove_prefix(2);  // weak comparison, as If-None-Match requires
    if (!item.empty() && item == bare) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<response> not_modified(request const& req, std::string_view etag,
                                     std::optional<std::chrono::system_clock::time_point> last_modified) {
  if (req.method != verb::get && req.method != verb::head) return std::nullopt;
  bool match = false;
  if (auto inm = req.header("If-None-Match")) {
    match = etag_matches(*inm, etag);
  } else if (last_modified) {
    if (auto ims = req.header("If-Modified-Since")) {
      if (auto t = parse_http_date(*ims)) match = std::chrono::floor<std::chrono::seconds>(*last_modified) <= *t;
    }
  }
  if (!match) return std::nullopt;
  response r{304};
  r.header("ETag", etag);
  return r;
}

void add_cors(response& res, cors_options const& options) {
  res.header("Access-Control-Allow-Origin", options.allow_origin);
  if (options.allow_origin != "*") res.header("Vary", "Origin");
}

response cors_preflight(cors_options const& options) {
  response r{204};
  add_cors(r, options);
  r.header("Access-Control-Allow-Methods", options.allow_methods);
  r.header("Access-Control-Allow-Headers", options.allow_headers);
  r.header("Access-Control-Max-Age", options.max_age);
  return r;
}

}  // namespace overworld::http
