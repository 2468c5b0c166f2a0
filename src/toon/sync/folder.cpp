#include "folder.hpp"

#include <overworld/toon/launcher_sync.hpp>

#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

#include <vector>

namespace overworld::toon::sync_detail {

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

unique_fd::~unique_fd() {
  if (fd_ >= 0) ::close(fd_);
}

struct md5_hasher::ctx {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> evp{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

md5_hasher::md5_hasher() : ctx_(std::make_unique<ctx>()) {
  if (!ctx_->evp) throw std::bad_alloc{};
  reset();
}

md5_hasher::~md5_hasher() = default;

void md5_hasher::reset() { EVP_DigestInit_ex(ctx_->evp.get(), EVP_md5(), nullptr); }

void md5_hasher::update(void const* data, std::size_t n) { EVP_DigestUpdate(ctx_->evp.get(), data, n); }

std::string md5_hasher::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->evp.get(), digest, &len);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  reset();
  return out;
}

result<std::string> md5_of(int fd, std::uint64_t& bytes) {
  md5_hasher md5;
  // One buffer per worker thread, not a fresh (and zeroed) megabyte per file.
  thread_local std::vector<char> buf(std::size_t{1} << 20);
  bytes = 0;
  for (;;) {
    auto const n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error_code{errno, boost::system::system_category()};
    if (n == 0) break;
    md5.update(buf.data(), static_cast<std::size_t>(n));
    bytes += static_cast<std::uint64_t>(n);
  }
  return md5.hex_digest();
}

error_code from_errno(int e) noexcept {
  switch (e) {
    case ELOOP:
      return sync_errc::symbolic_link;
    case ENOTDIR:
    case EISDIR:
      return sync_errc::wrong_type;
    case ENOENT:
      return errc::not_found;
    default:
      return {e, boost::system::system_category()};
  }
}

namespace {

/// Tells a link from a non-directory after openat(O_DIRECTORY|O_NOFOLLOW) refused a name.
error_code refused(int dir, char const* name, int e) {
  struct stat st {};
  if ((e == ENOTDIR || e == ELOOP) && ::fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    return S_ISLNK(st.st_mode) ? error_code{sync_errc::symbolic_link} : error_code{sync_errc::wrong_type};
  }
  return from_errno(e);
}

result<unique_fd> open_file(int dir, std::string const& name, int flags) {
  int const fd = ::openat(dir, name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return refused(dir, name.c_str(), errno);
  unique_fd owned{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return from_errno(errno);
  if (!S_ISREG(st.st_mode)) return error_code{sync_errc::wrong_type};
  return owned;
}

}  // namespace

result<game_folder> game_folder::open(std::filesystem::path const& root) {
  if (::mkdir(root.c_str(), 0755) != 0 && errno != EEXIST) return error_code{sync_errc::folder_unusable};
  int const fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return error_code{sync_errc::folder_unusable};
  game_folder f;
  f.root_ = unique_fd{fd};
  return f;
}

result<place> game_folder::locate(std::string_view path, bool create) const {
  place out;
  int dir = root_.get();
  std::size_t start = 0;
  for (auto slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', start)) {
    std::string const part{path.substr(start, slash - start)};
    if (create && ::mkdirat(dir, part.c_str(), 0755) != 0 && errno != EEXIST) return from_errno(errno);
    int const next = ::openat(dir, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) return refused(dir, part.c_str(), errno);
    out.dir = unique_fd{next};
    dir = next;
    start = slash + 1;
  }
  if (!out.dir) {
    int const again = ::dup(root_.get());
    if (again < 0) return from_errno(errno);
    out.dir = unique_fd{again};
  }
  out.name = path.substr(start);
  return out;
}

result<unique_fd> open_existing(place const& where, std::string const& name) {
  return open_file(where.dir.get(), name, O_RDONLY);
}

result<unique_fd> open_part(place const& where) {
  return open_file(where.dir.get(), where.name + ".part", O_RDWR | O_CREAT);
}

result<void> commit_part(place const& where) {
  std::string const part = where.name + ".part";
  if (::renameat(where.dir.get(), part.c_str(), where.dir.get(), where.name.c_str()) != 0) return from_errno(errno);
  return {};
}

void remove_part(place const& where) noexcept {
  std::string const part = where.name + ".part";
  ::unlinkat(where.dir.get(), part.c_str(), 0);
}

}  // namespace overworld::toon::sync_detail
