#include <overworld/server/launcher/files.hpp>

#include <overworld/core/log.hpp>
#include <overworld/http/helpers.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>

namespace overworld::launcher {
namespace fs = std::filesystem;

manifest_service::manifest_service(files_options options) : options_(std::move(options)) {}

manifest_service::~manifest_service() {
  {
    std::lock_guard lock{wake_mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

std::shared_ptr<manifest const> manifest_service::current() const {
  std::lock_guard lock{mutex_};
  return current_;
}

result<void> manifest_service::rebuild(std::string& why) {
  auto m = build_manifest(options_.root, options_.base_url, nullptr, why);
  if (!m) return m.error();
  auto fresh = std::make_shared<manifest const>(std::move(*m));
  std::lock_guard lock{mutex_};
  current_ = std::move(fresh);
  return {};
}

result<void> manifest_service::start(std::string& why) {
  std::error_code ec;
  canonical_root_ = fs::canonical(options_.root, ec);
  if (ec) {
    why = "manifest folder " + options_.root.string() + ": " + ec.message();
    return errc::not_found;
  }
  if (auto r = rebuild(why); !r) return r;
  spdlog::info("manifest: {} files in {}", current()->files.size(), options_.root.string());
  watcher_ = std::thread([this] { watch(); });
  return {};
}

void manifest_service::watch() {
  for (;;) {
    {
      std::unique_lock lock{wake_mutex_};
      if (wake_.wait_for(lock, options_.poll, [this] { return stopping_; })) return;
    }
    std::string why;
    std::error_code ec;
    bool const forced = !options_.rebuild_trigger.empty() && fs::exists(options_.rebuild_trigger, ec);
    auto const previous = current();
    if (!forced) {
      auto sig = folder_signature(options_.root);
      if (!sig || (previous && *sig == previous->signature)) continue;
    }
    // A full rebuild on request; otherwise only changed files are hashed again.
    auto m = build_manifest(options_.root, options_.base_url, forced ? nullptr : previous.get(), why);
    if (!m) {
      spdlog::warn("manifest: {}", why);
      continue;
    }
    auto fresh = std::make_shared<manifest const>(std::move(*m));
    spdlog::info("manifest rebuilt: {} files", fresh->files.size());
    {
      std::lock_guard lock{mutex_};
      current_ = std::move(fresh);
    }
    if (forced) fs::remove(options_.rebuild_trigger, ec);
  }
}

http::response manifest_service::serve_manifest(http::request const& req) const {
  auto const m = current();
  if (!m) return http::response::json(503, login_body(false, 503, "The manifest is not available.", ""));
  if (auto inm = req.header("If-None-Match"); inm && http::etag_matches(*inm, m->etag)) {
    http::response r{304};
    r.header("ETag", m->etag);
    return r;
  }
  http::response r{200};
  r.content_type = "application/json";
  r.shared_body = m->body;
  r.header("ETag", m->etag);
  r.header("Cache-Control", "no-cache");
  return r;
}

namespace {

http::response not_found() { return http::response::json(404, R"({"error":"Not Found"})"); }

/// "bytes=a-b", "bytes=a-", "bytes=-n" → [first, last]; nullopt if unsatisfiable, the whole file if not a single range.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_range(std::string_view v, std::uint64_t size,
                                                                   bool& valid) {
  valid = true;
  if (!v.starts_with("bytes=") || v.find(',') != std::string_view::npos) return std::pair{std::uint64_t{0}, size - 1};
  v.remove_prefix(6);
  auto const dash = v.find('-');
  if (dash == std::string_view::npos) return std::pair{std::uint64_t{0}, size - 1};
  auto const num = [](std::string_view s, std::uint64_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc{} && p == s.data() + s.size();
  };
  std::uint64_t a = 0, b = 0;
  std::string_view const first = v.substr(0, dash), last = v.substr(dash + 1);
  if (first.empty()) {  // the last n bytes
    if (!num(last, b) || b == 0) return valid = false, std::nullopt;
    return std::pair{size > b ? size - b : 0, size - 1};
  }
  if (!num(first, a) || a >= size) return valid = false, std::nullopt;
  if (last.empty()) return std::pair{a, size - 1};
  if (!num(last, b) || b < a) return valid = false, std::nullopt;
  return std::pair{a, std::min(b, size - 1)};
}

}  // namespace

http::response manifest_service::serve_file(http::request const& req) const {
  std::string const rel{req.param("path")};
  // Refuse anything that could leave the folder before touching the disk.
  if (rel.empty() || rel.front() == '/' || rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos) {
    return not_found();
  }
  for (std::string_view rest = rel; !rest.empty();) {
    auto const slash = rest.find('/');
    auto const part = rest.substr(0, slash);
    if (part == ".." || part == "." || part.empty() || part.front() == '.') return not_found();
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::error_code ec;
  auto const full = fs::weakly_canonical(canonical_root_ / rel, ec);
  auto const root = canonical_root_.generic_string() + "/";
  if (ec || !full.generic_string().starts_with(root)) return not_found();
  int const fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return not_found();
  std::unique_ptr<int, void (*)(int*)> owned{new int{fd}, [](int* p) {
                                               if (*p >= 0) ::close(*p);
                                               delete p;
                                             }};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return not_found();
  auto const size = static_cast<std::uint64_t>(st.st_size);

  std::string etag = "\"" + std::to_string(size) + "-" + std::to_string(st.st_mtime) + "\"";
  if (auto m = current()) {
    for (auto const& f : m->files) {
      if (f.path == rel) etag = "\"" + f.md5 + "\"";
    }
  }
  if (auto inm = req.header("If-None-Match"); inm && http::etag_matches(*inm, etag)) {
    http::response r{304};
    r.header("ETag", etag);
    return r;
  }
  http::response r{200};
  r.content_type = "application/octet-stream";
  r.header("ETag", etag);
  r.header("Accept-Ranges", "bytes");
  std::uint64_t first = 0, length = size;
  if (auto range = req.header("Range"); range && size > 0) {
    bool valid = true;
    auto span = parse_range(*range, size, valid);
    if (!valid) {
      http::response bad = http::response::json(416, R"({"error":"Range Not Satisfiable"})");
      bad.header("Content-Range", "bytes */" + std::to_string(size));
      return bad;
    }
    if (span->first != 0 || span->second != size - 1) {
      r.status = 206;
      r.header("Content-Range", "bytes " + std::to_string(span->first) + "-" + std::to_string(span->second) + "/" +
                                    std::to_string(size));
    }
    first = span->first;
    length = span->second - span->first + 1;
  }
  r.file = std::make_shared<http::file_body>(fd, first, length);
  *owned = -1;  // the body closes it now
  return r;
}

void manifest_service::install(http::router& routes) {
  http::route_options o;
  o.group = "ttcc";
  o.limits = routes.default_limits();
  o.limits->body_limit = 1024;  // launchers POST an empty body
  auto const handler = http::sync_handler{[this](http::request const& req) { return serve_manifest(req); }};
  routes.post("/api/v1/launcher/manifest/", handler, o);
  routes.get("/api/v1/launcher/manifest/", handler, o);
  if (!options_.serve_path.empty()) {
    http::route_options files;
    files.group = "files";
    files.limits = routes.default_limits();
    files.limits->body_limit = 0;
    std::string pattern = options_.serve_path;
    if (pattern.back() != '/') pattern += '/';
    routes.get(pattern + "{path...}", http::sync_handler{[this](http::request const& req) { return serve_file(req); }},
               files);
  }
}

}  // namespace overworld::launcher
