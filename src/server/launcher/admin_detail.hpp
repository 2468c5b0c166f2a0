// What the admin API's handlers share (admin_api.cpp, admin_content.cpp): JSON answers, the
// store's failures as statuses, and the checked reading of a request body's fields.
#pragma once

#include <overworld/server/launcher/admin_api.hpp>

#include <overworld/core/text.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <optional>
#include <string>

namespace overworld::launcher::admin_detail {

namespace json = boost::json;

inline http::response reply(unsigned status, json::object const& body) {
  return http::response::json(status, json::serialize(body));
}
inline http::response fail(unsigned status, std::string_view message) { return reply(status, {{"error", message}}); }

/// A store that failed: 503 when the database is damaged (every call fails until it is repaired)
/// or cannot be reached for now (PostgreSQL away: try again).
inline http::response store_failure(error_code const& e) {
  if (e == errc::data_corrupt) return fail(503, "the launcher database is damaged");
  if (e == errc::unavailable) {
    http::response r = fail(503, "the launcher database cannot be reached; try again shortly");
    r.header("Retry-After", "5");
    return r;
  }
  return fail(500, "store error: " + e.message());
}

inline http::response from(result<void> const& r, json::object const& ok = {{"ok", true}}) {
  if (r) return reply(200, ok);
  if (r.error() == errc::not_found) return fail(404, "no such account or article");
  return store_failure(r.error());
}

/// The fields of one request body, checked as they are read; the first problem is kept (a 400).
class admin_fields {
 public:
  explicit admin_fields(json::object const& body) : body_(body) {}

  std::int64_t number(admin_number const& range) {
    auto const* v = body_.if_contains(range.field);
    std::optional<std::int64_t> n;
    if (v && v->is_int64()) n = v->get_int64();
    // 3e15, 1e19, 1e300 and 1e400 (read as infinity) are doubles: only an exact whole number counts.
    if (v && v->is_double()) {
      double const d = v->get_double();
      if (d >= static_cast<double>(range.min) && d <= static_cast<double>(range.max) && d == std::floor(d)) {
        n = static_cast<std::int64_t>(d);
      }
    }
    if (!n || *n < range.min || *n > range.max) {
      note(admin_number_problem(range));
      return 0;
    }
    return *n;
  }
  /// A string field; absent is "" (the caller decides whether that is allowed).
  std::string text(std::string_view key, std::size_t max_bytes, bool required) {
    auto const* v = body_.if_contains(key);
    if (!v) {
      if (required) note(std::string{key} + " is required");
      return {};
    }
    if (!v->is_string()) {
      note(std::string{key} + " must be a string");
      return {};
    }
    std::string value{v->get_string()};
    if (!value.empty() || required) {
      if (auto problem = admin_text_problem(key, value, max_bytes); !problem.empty()) note(std::move(problem));
    }
    return value;
  }
  bool has(std::string_view key) const { return body_.contains(key); }
  void note(std::string what) {
    if (problem.empty()) problem = std::move(what);
  }

  std::string problem;

 private:
  json::object const& body_;
};

inline constexpr std::size_t max_name = 64;
inline constexpr std::size_t max_password = 1024;
inline constexpr std::size_t max_title = 256;

}  // namespace overworld::launcher::admin_detail
