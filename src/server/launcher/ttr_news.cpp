// TTR's news and release notes (/api/news, /api/news/list, /api/news/{id}, /api/releasenotes,
// /api/releasenotes/{id}) from the launcher store: the same articles TTCC's launcher news lists,
// in TTR's shape and date format, compact JSON with CORS `*`.
#include <overworld/server/launcher/admin_api.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <overworld/core/log.hpp>

#include <array>
#include <charconv>

namespace overworld::launcher {
namespace {

http::response ttr_json(unsigned status, std::string body) {
  http::response r = http::response::json(status, std::move(body));
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

http::response ttr_error(unsigned status, std::string_view message) {
  std::string body = "{\"error\":\"";
  append_json_escaped(body, message);
  return ttr_json(status, body + "\"}");
}

void string_member(std::string& out, char const* name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":\"";
  append_json_escaped(out, value);
  out += '"';
}

void post_json(std::string& out, store::news_item const& n) {
  out += "{\"postId\":" + std::to_string(n.id);
  string_member(out, "title", n.title);
  string_member(out, "author", n.author);
  string_member(out, "body", n.body.empty() ? n.summary : n.body);
  string_member(out, "date", ttr_date(n.posted));
  string_member(out, "image", n.image_url);
  out += '}';
}

void note_json(std::string& out, store::release_note const& n, bool with_body) {
  out += "{\"noteId\":" + std::to_string(n.id);
  string_member(out, "slug", n.slug);
  string_member(out, "date", ttr_date(n.posted));
  if (with_body) string_member(out, "body", n.body);
  out += '}';
}

/// The {id} of the path: nullopt when it is not a whole number from 1 to 2^53 (then 400).
std::optional<std::int64_t> path_id(http::request const& req) {
  auto id = parse_admin_number(req.param("id"), news_id);
  if (!id) return std::nullopt;
  return *id;
}

}  // namespace

std::string ttr_date(std::string_view posted) {
  static constexpr std::array<char const*, 12> months{"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};
  auto const number = [&](std::size_t at, std::size_t len, int& out) {
    auto const* first = posted.data() + at;
    auto [end, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc{} && end == first + len;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  bool const ok = posted.size() >= 16 && posted[4] == '-' && posted[7] == '-' &&
                  (posted[10] == ' ' || posted[10] == 'T') && posted[13] == ':' && number(0, 4, year) &&
                  number(5, 2, month) && number(8, 2, day) && number(11, 2, hour) && number(14, 2, minute) &&
                  month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24 && minute >= 0 &&
                  minute < 60;
  if (!ok) return std::string{posted};
  int const hour12 = hour % 12 == 0 ? 12 : hour % 12;
  std::string out = months[static_cast<std::size_t>(month - 1)];
  out += ' ' + std::to_string(day) + ", " + std::to_string(year) + " at " + std::to_string(hour12) + ':';
  if (minute < 10) out += '0';
  out += std::to_string(minute) + (hour < 12 ? " AM" : " PM");
  return out;
}

boost::asio::awaitable<result<std::vector<store::release_note>>> launcher_service::read_release_notes() {
  std::function<result<std::vector<store::release_note>>()> read = [this] { return store_->release_notes(); };
  return read_through(std::move(read), &last_notes_);
}

boost::asio::awaitable<http::response> launcher_service::ttr_news(http::request req) {
  std::optional<std::int64_t> id;
  if (!req.param("id").empty()) {
    id = path_id(req);
    if (!id) co_return ttr_error(400, "invalid news id");
  }
  auto items = co_await read_news();
  if (!items) co_return ttr_error(503, "news are unavailable");
  for (auto const& n : *items) {  // newest first: without an id, the first is the answer
    if (id && n.id != *id) continue;
    std::string body;
    post_json(body, n);
    co_return ttr_json(200, std::move(body));
  }
  co_return ttr_error(404, id ? "Unknown news post" : "No news yet");
}

boost::asio::awaitable<http::response> launcher_service::ttr_news_list(http::request) {
  auto items = co_await read_news();
  if (!items) co_return ttr_error(503, "news are unavailable");
  std::string body = "[";
  for (auto const& n : *items) {
    if (body.size() > 1) body += ',';
    post_json(body, n);
  }
  co_return ttr_json(200, body + ']');
}

boost::asio::awaitable<http::response> launcher_service::ttr_release_notes(http::request req) {
  std::optional<std::int64_t> id;
  if (!req.param("id").empty()) {
    id = path_id(req);
    if (!id) co_return ttr_error(400, "invalid release note id");
  }
  auto notes = co_await read_release_notes();
  if (!notes) co_return ttr_error(503, "release notes are unavailable");
  std::string body = id ? "" : "[";
  for (auto const& n : *notes) {
    if (!id) {
      if (body.size() > 1) body += ',';
      note_json(body, n, false);
    } else if (n.id == *id) {
      note_json(body, n, true);
      co_return ttr_json(200, std::move(body));
    }
  }
  if (id) co_return ttr_error(404, "Unknown release note");
  co_return ttr_json(200, body + ']');
}

void launcher_service::install_ttr(http::router& routes) {
  http::route_options get_opts;
  get_opts.group = "ttr";
  get_opts.limits = routes.default_limits();
  get_opts.limits->body_limit = 0;
  auto const news = http::async_handler{[this](http::request req) { return ttr_news(req); }};
  auto const notes = http::async_handler{[this](http::request req) { return ttr_release_notes(req); }};
  routes.get("/api/news", news, get_opts);
  routes.get("/api/news/list", http::async_handler{[this](http::request req) { return ttr_news_list(req); }}, get_opts);
  routes.get("/api/news/{id}", news, get_opts);
  routes.get("/api/releasenotes", notes, get_opts);
  routes.get("/api/releasenotes/{id}", notes, get_opts);
  install_ttr_login(routes);
}

}  // namespace overworld::launcher
