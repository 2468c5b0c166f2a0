// The live status page: web/status/ compiled in (status_assets.cpp, generated), served as it is.
// The page reads the world's own JSON endpoints and its event stream; it needs nothing else.
#include "status_assets.hpp"

#include <overworld/http/helpers.hpp>
#include <overworld/http/router.hpp>

#include <map>
#include <memory>
#include <string>

namespace overworld::world {
namespace {

struct prepared {
  std::shared_ptr<std::string const> body;
  std::string content_type;
  std::string etag;
};

// Only this server's own scripts, styles and endpoints; no framing by other sites.
constexpr std::string_view security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

http::response answer(prepared const& file, http::request const& req) {
  http::response r{200};
  if (auto const inm = req.header("If-None-Match"); inm && http::etag_matches(*inm, file.etag)) {
    r.status = 304;
  } else {
    r.content_type = file.content_type;
    r.shared_body = file.body;
  }
  r.header("ETag", file.etag);
  r.header("Cache-Control", "public, max-age=60");
  r.header("Content-Security-Policy", security_policy);
  r.header("X-Content-Type-Options", "nosniff");
  r.header("Referrer-Policy", "no-referrer");
  return r;
}

}  // namespace

void install_status_page(http::router& routes) {
  auto files = std::make_shared<std::map<std::string, prepared, std::less<>>>();
  for (auto const& a : status_assets()) {
    prepared p{std::make_shared<std::string const>(a.body), std::string{a.content_type}, http::make_etag(a.body)};
    files->emplace(std::string{a.name}, std::move(p));
  }
  http::route_options o;
  o.group = "status";
  o.limits = routes.default_limits();
  o.limits->body_limit = 0;
  auto const page =
      http::sync_handler{[files](http::request const& req) { return answer(files->at("index.html"), req); }};
  routes.get("/", page, o);
  routes.get("/status", page, o);
  routes.get("/status/{file}", http::sync_handler{[files](http::request const& req) {
               auto const it = files->find(req.param("file"));
               if (it == files->end() || it->first == "index.html") {
                 return http::response::json(404, R"({"error":"not found"})");
               }
               return answer(it->second, req);
             }},
             o);
}

}  // namespace overworld::world
