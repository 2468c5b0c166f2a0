#include <overworld/server/launcher/manifest.hpp>

#include <overworld/core/log.hpp>
#include <overworld/http/helpers.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>

namespace overworld::launcher {
namespace fs = std::filesystem;

namespace {

struct found {
  std::string path;
  fs::path full;
  std::uintmax_t size;
  std::int64_t mtime;
};

result<std::vector<found>> walk(fs::path const& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return errc::not_found;
  std::vector<found> out;
  fs::recursive_directory_iterator it{root, fs::directory_options::none, ec};
  if (ec) return errc::io_error;
  for (; it != fs::recursive_directory_iterator{}; it.increment(ec)) {
    if (ec) return errc::io_error;
    auto const& entry = *it;
    auto const name = entry.path().filename().string();
    if (!name.empty() && name.front() == '.') {
      if (entry.is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (entry.is_symlink() || !entry.is_regular_file()) continue;  // never follow a link out of the folder
    auto rel = fs::relative(entry.path(), root, ec).generic_string();
    if (ec || rel.find('/') == std::string::npos) continue;  // files directly in the root belong to no group
    auto const t = fs::last_write_time(entry.path(), ec);
    auto const mtime = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    out.push_back(found{std::move(rel), entry.path(), entry.file_size(), static_cast<std::int64_t>(mtime)});
  }
  std::sort(out.begin(), out.end(), [](found const& a, found const& b) { return a.path < b.path; });
  return out;
}

std::string signature_of(std::vector<found> const& files) {
  std::string s;
  for (auto const& f : files) s += f.path + '\n' + std::to_string(f.size) + '\n' + std::to_string(f.mtime) + '\n';
  return s;
}

/// TTCC lists win32, game, darwin, resources first; other folders follow by name.
int group_rank(std::string_view g) {
  constexpr std::array<std::string_view, 4> known{"win32", "game", "darwin", "resources"};
  auto it = std::find(known.begin(), known.end(), g);
  return it == known.end() ? 4 : static_cast<int>(it - known.begin());
}

void str(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

}  // namespace

result<std::string> md5_file(fs::path const& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) return errc::io_error;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) != 1) return errc::io_error;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) return errc::io_error;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

result<std::string> folder_signature(fs::path const& root) {
  auto files = walk(root);
  if (!files) return files.error();
  return signature_of(*files);
}

result<manifest> build_manifest(fs::path const& root, std::string const& base, manifest const* previous,
                                std::string& why) {
  auto files = walk(root);
  if (!files) {
    why =
        "manifest folder " + root.string() + (files.error() == errc::not_found ? " does not exist" : " cannot be read");
    return files.error();
  }
  std::map<std::string_view, manifest_file const*> known;
  if (previous) {
    for (auto const& f : previous->files) known.emplace(f.path, &f);
  }
  manifest m;
  m.signature = signature_of(*files);
  for (auto const& f : *files) {
    manifest_file mf;
    mf.path = f.path;
    mf.group = f.path.substr(0, f.path.find('/'));
    mf.file = f.path.substr(f.path.rfind('/') + 1);
    mf.size = f.size;
    mf.mtime = f.mtime;
    auto it = known.find(f.path);
    if (it != known.end() && it->second->size == f.size && it->second->mtime == f.mtime) {
      mf.md5 = it->second->md5;
    } else {
      auto md5 = md5_file(f.full);
      if (!md5) {
        why = "cannot read " + f.full.string();
        return md5.error();
      }
      mf.md5 = *md5;
    }
    m.files.push_back(std::move(mf));
  }
  std::vector<std::string> groups;
  for (auto const& f : m.files) {
    if (std::find(groups.begin(), groups.end(), f.group) == groups.end()) groups.push_back(f.group);
  }
  std::stable_sort(groups.begin(), groups.end(), [](auto const& a, auto const& b) {
    return group_rank(a) != group_rank(b) ? group_rank(a) < group_rank(b) : a < b;
  });
  std::string body = "{\"files\":{";
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (g) body += ',';
    str(body, groups[g]);
    body += ":[";
    bool first = true;
    for (auto const& f : m.files) {
      if (f.group != groups[g]) continue;
      if (!first) body += ',';
      first = false;
      body += "{\"path\":";
      str(body, f.path);
      body += ",\"hash\":";
      str(body, f.md5);
      body += ",\"file\":";
      str(body, f.file);
      body += '}';
    }
    body += ']';
  }
  body += "},\"base\":";
  str(body, base);
  body += '}';
  m.etag = http::make_etag(body);
  m.body = std::make_shared<std::string const>(std::move(body));
  return m;
}

}  // namespace overworld::launcher
