#include <overworld/core/log.hpp>
#include <overworld/http/router.hpp>

#include <algorithm>
#include <array>

namespace overworld::http {
namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> out;
  // A leading '/' gives an empty first segment; a trailing '/' gives an empty last one, so
  // "/api/v1/districts/" and "/api/v1/districts" stay two different routes, as on the real sites.
  std::size_t start = 0;
  while (true) {
    auto const slash = pattern.find('/', start);
    out.emplace_back(pattern.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool is_param(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }
bool is_rest(std::string_view seg) { return is_param(seg) && seg.ends_with("...}"); }
std::string_view param_name(std::string_view seg) {
  seg = seg.substr(1, seg.size() - 2);
  if (seg.ends_with("...")) seg.remove_suffix(3);
  return seg;
}

}  // namespace

response default_error(unsigned status, std::string_view message) {
  std::string body = "{\"error\":\"";
  append_json_escaped(body, message);
  body += "\"}";
  return response::json(status, std::move(body));
}

router::router() = default;

route& router::add(verb method, std::string_view pattern, handler fn, route_options options) {
  auto r = std::make_unique<route>();
  r->method = method;
  r->pattern = std::string{pattern};
  r->fn = std::move(fn);
  if (options.name.empty()) options.name = r->pattern;
  r->limits = options.limits.value_or(default_limits_);
  r->options = std::move(options);
  r->segments = split_pattern(pattern);
  r->literal_prefix = std::string{pattern.substr(0, pattern.find('{'))};
  r->filters = &filters_[r->options.group];
  routes_.push_back(std::move(r));
  return *routes_.back();
}

void router::add_filter(std::string const& group, filter f) { filters_[group].push_back(std::move(f)); }

void router::set_error_format(std::string prefix, error_formatter f) {
  error_formats_.emplace_back(std::move(prefix), std::move(f));
  std::stable_sort(error_formats_.begin(), error_formats_.end(),
                   [](auto const& a, auto const& b) { return a.first.size() > b.first.size(); });
}

response router::make_error(std::string_view path, unsigned status, std::string_view message) const {
  for (auto const& [prefix, f] : error_formats_) {
    if (path.starts_with(prefix)) return f(status, message);
  }
  return default_error(status, message);
}

bool router::match_route(route const& r, std::string_view path, std::vector<path_param>& params) const {
  // One compare turns most routes away (the router tries them in order); then the segments, without
  // allocating; parameters are decoded only on a match.
  if (!path.starts_with(r.literal_prefix)) return false;
  constexpr std::size_t max_params = 8;
  std::array<std::pair<std::size_t, std::string_view>, max_params> found{};
  std::size_t count = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < r.segments.size(); ++i) {
    std::string_view const seg = r.segments[i];
    if (start > path.size()) return false;
    if (is_rest(seg)) {
      if (count == max_params) return false;
      found[count++] = {i, path.substr(start)};
      break;
    }
    auto const slash = path.find('/', start);
    std::string_view const part =
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    bool const last = i + 1 == r.segments.size();
    if (last != (slash == std::string_view::npos)) return false;
    if (is_param(seg)) {
      if (part.empty() || count == max_params) return false;
      found[count++] = {i, part};
    } else if (seg != part) {
      return false;
    }
    start = slash == std::string_view::npos ? path.size() + 1 : slash + 1;
  }
  params.clear();
  for (std::size_t k = 0; k < count; ++k) {
    auto value = percent_decode(found[k].second);
    if (!value) return false;
    params.push_back({param_name(r.segments[found[k].first]), std::move(*value)});
  }
  return true;
}

router::match router::find(verb method, std::string_view path, std::vector<path_param>& params) const {
  match m;
  std::vector<path_param> scratch;
  route const* head_fallback = nullptr;
  for (auto const& r : routes_) {
    if (!match_route(*r, path, scratch)) continue;
    m.path_exists = true;
    if (r->method == method) {
      m.found = r.get();
      params = std::move(scratch);
      return m;
    }
    if (method == verb::head && r->method == verb::get && !head_fallback) {
      head_fallback = r.get();
      params = scratch;
    }
    auto const name = to_string(r->method);
    if (m.allow.find(name) == std::string::npos) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += name;
    }
    if (r->method == verb::get && m.allow.find("HEAD") == std::string::npos) m.allow += ", HEAD";
  }
  if (head_fallback) m.found = head_fallback;
  return m;
}

route_limits router::max_limits() const {
  if (routes_.empty()) return route_limits{};
  route_limits out{0, 0, std::chrono::milliseconds{0}};
  for (auto const& r : routes_) {
    out.header_limit = std::max(out.header_limit, r->limits.header_limit);
    out.body_limit = std::max(out.body_limit, r->limits.body_limit);
    out.read_timeout = std::max(out.read_timeout, r->limits.read_timeout);
  }
  return out;
}

}  // namespace overworld::http
