#include <overworld/toon/manifest.hpp>

#include <overworld/http/client.hpp>
#include <overworld/http/message.hpp>

#include <simdjson.h>

#include <cctype>

namespace overworld::toon {
namespace {

namespace od = simdjson::ondemand;

bool is_md5(std::string_view s) noexcept {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

result<manifest_file> parse_entry(od::value value, std::string_view group) {
  od::object entry;
  if (value.get_object().get(entry) != simdjson::SUCCESS) return errc::parse_error;
  manifest_file f;
  f.group = group;
  bool has_path = false, has_hash = false;
  for (auto field : entry) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return errc::parse_error;
    std::string_view text;
    if (key == "path") {
      if (field.value().get_string().get(text) != simdjson::SUCCESS) return errc::parse_error;
      f.path = text;
      has_path = true;
    } else if (key == "hash" || key == "md5") {
      if (field.value().get_string().get(text) != simdjson::SUCCESS || !is_md5(text)) return errc::parse_error;
      f.md5.clear();
      for (char c : text) f.md5 += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      has_hash = true;
    } else if (key == "file") {
      // Informational; a launcher that sends null here still names the file by its path.
      if (field.value().get_string().get(text) == simdjson::SUCCESS) f.file = text;
    } else if (key == "size") {
      std::uint64_t n = 0;
      if (field.value().get_uint64().get(n) == simdjson::SUCCESS) f.size = n;
    }
  }
  if (!has_path || !has_hash) return errc::parse_error;
  if (f.file.empty()) f.file = f.path.substr(f.path.rfind('/') + 1);
  return f;
}

result<void> parse_list(od::array list, std::string_view group, std::vector<manifest_file>& out) {
  for (auto item : list) {
    od::value v;
    if (item.get(v) != simdjson::SUCCESS) return errc::parse_error;
    auto f = parse_entry(v, group);
    if (!f) return f.error();
    out.push_back(std::move(*f));
  }
  return {};
}

result<void> parse_files(od::value files, std::vector<manifest_file>& out) {
  od::json_type type;
  if (files.type().get(type) != simdjson::SUCCESS) return errc::parse_error;
  if (type == od::json_type::array) {
    od::array list;
    if (files.get_array().get(list) != simdjson::SUCCESS) return errc::parse_error;
    return parse_list(list, "", out);
  }
  od::object groups;
  if (files.get_object().get(groups) != simdjson::SUCCESS) return errc::parse_error;
  for (auto field : groups) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return errc::parse_error;
    std::string const group{key};  // the view dies at the next read of the document
    od::array list;
    if (field.value().get_array().get(list) != simdjson::SUCCESS) return errc::parse_error;
    if (auto r = parse_list(list, group, out); !r) return r;
  }
  return {};
}

std::string encode_path(std::string_view path) {
  std::string out;
  for (std::size_t start = 0;;) {
    auto const slash = path.find('/', start);
    out += http::percent_encode(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

bool is_absolute_url(std::string_view s) noexcept { return s.starts_with("http://") || s.starts_with("https://"); }

}  // namespace

result<manifest> parse_manifest(std::string_view body) {
  simdjson::padded_string padded{body};
  od::parser parser;
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return errc::parse_error;
  od::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) return errc::parse_error;
  manifest m;
  bool has_files = false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return errc::parse_error;
    if (key == "files") {
      od::value v;
      if (field.value().get(v) != simdjson::SUCCESS) return errc::parse_error;
      if (auto r = parse_files(v, m.files); !r) return r.error();
      has_files = true;
    } else if (key == "base") {
      std::string_view text;
      if (field.value().get_string().get(text) != simdjson::SUCCESS) return errc::parse_error;
      m.base = text;
    }
  }
  if (!has_files) return errc::parse_error;
  return m;
}

bool safe_relative_path(std::string_view path) noexcept {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  if (path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':') return false;
  for (char c : path) {
    auto const u = static_cast<unsigned char>(c);
    if (c == '\\' || u < 0x20 || u == 0x7f) return false;
  }
  for (std::size_t start = 0;;) {
    auto const slash = path.find('/', start);
    auto const part = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

result<std::string> file_url(manifest const& m, manifest_file const& f, std::string_view manifest_url) {
  std::string base = m.base;
  if (!is_absolute_url(base)) {
    auto const parts = http::parse_url(manifest_url);
    if (!parts) return errc::invalid_argument;
    std::string origin{manifest_url.substr(0, manifest_url.find('/', manifest_url.find("//") + 2))};
    if (base.starts_with('/')) {
      base = origin + base;
    } else {
      // Relative to the manifest's own folder, as a browser resolves a relative link.
      std::string_view dir = parts->target;
      dir = dir.substr(0, dir.find('?'));
      dir = dir.substr(0, dir.rfind('/') + 1);
      base = origin + std::string{dir} + base;
    }
  }
  if (!base.empty() && base.back() != '/') base += '/';
  std::string url = base + encode_path(f.path);
  if (!http::parse_url(url)) return errc::invalid_argument;
  return url;
}

}  // namespace overworld::toon
