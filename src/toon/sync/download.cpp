#include "download.hpp"

#include <overworld/http/client.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>

namespace overworld::toon::sync_detail {

namespace asio = boost::asio;

namespace {

// A body cut short is worth resuming; other codes stay as the client reports them.
error_code normalise(error_code ec) {
  if (ec == errc::protocol_error || http::is_connection_closed(ec)) return sync_errc::truncated;
  return ec;
}

bool parse_number(std::string_view s, std::uint64_t& out) noexcept {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc{} && p == s.data() + s.size();
}

enum class verdict { read_body, start_over, fail };

/// What an answer means for the part: keep its bytes (206 from where it ends), drop them (200),
/// start over without a range (416: the part is already as long as the file, or longer), or fail.
verdict judge(unsigned status, std::optional<std::string_view> range_header, std::optional<std::uint64_t> length,
              part_writer& part, fetch_outcome& out, error_code& ec, std::string& detail) {
  std::uint64_t const have = part.size();
  if (status == 416 && have > 0) {
    if (auto r = part.restart(); !r) return ec = r.error(), verdict::fail;
    return verdict::start_over;
  }
  if (status == 206 && have > 0) {
    auto const range = range_header ? parse_content_range(*range_header) : std::nullopt;
    if (!range || range->first != have) return ec = sync_errc::bad_range, verdict::fail;
    out.resumed = have;
    if (range->total && part.on_full_size) part.on_full_size(*range->total);
    return verdict::read_body;
  }
  if (status == 200) {
    if (have > 0) {
      if (auto r = part.restart(); !r) return ec = r.error(), verdict::fail;
    }
    if (length && part.on_full_size) part.on_full_size(*length);
    return verdict::read_body;
  }
  detail = "HTTP " + std::to_string(status);
  ec = sync_errc::http_status;
  return verdict::fail;
}

}  // namespace

std::optional<content_range> parse_content_range(std::string_view v) noexcept {
  if (!v.starts_with("bytes ")) return std::nullopt;
  v.remove_prefix(6);
  auto const dash = v.find('-'), slash = v.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) return std::nullopt;
  content_range out;
  std::uint64_t last = 0;
  if (!parse_number(v.substr(0, dash), out.first) || !parse_number(v.substr(dash + 1, slash - dash - 1), last) ||
      last < out.first) {
    return std::nullopt;
  }
  auto const total = v.substr(slash + 1);
  if (total != "*") {
    std::uint64_t n = 0;
    if (!parse_number(total, n) || n <= last) return std::nullopt;
    out.total = n;
  }
  return out;
}

result<void> part_writer::adopt() {
  md5_.reset();
  size_ = 0;
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return error_code{errno, boost::system::system_category()};
  if (st.st_size == 0) return {};  // the usual case: no buffer to allocate and clear
  std::vector<char> buf(std::size_t{1} << 20);
  for (;;) {
    auto const n = ::pread(fd_, buf.data(), buf.size(), static_cast<off_t>(size_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error_code{errno, boost::system::system_category()};
    if (n == 0) return {};
    md5_.update(buf.data(), static_cast<std::size_t>(n));
    size_ += static_cast<std::uint64_t>(n);
  }
}

result<void> part_writer::append(char const* data, std::size_t n) {
  md5_.update(data, n);
  for (std::size_t done = 0; done < n;) {
    auto const w = ::pwrite(fd_, data + done, n - done, static_cast<off_t>(size_ + done));
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return error_code{errno, boost::system::system_category()};
    done += static_cast<std::size_t>(w);
  }
  size_ += n;
  if (on_bytes) on_bytes(static_cast<std::int64_t>(n));
  return {};
}

result<void> part_writer::restart() {
  if (::ftruncate(fd_, 0) != 0) return error_code{errno, boost::system::system_category()};
  md5_.reset();
  if (on_bytes) on_bytes(-static_cast<std::int64_t>(size_));
  size_ = 0;
  return {};
}

struct downloader::impl {
  http::client http;

  impl(asio::any_io_executor ex, sync_options const& o) : http(std::move(ex), client_options_of(o)) {}

  static http::client_options client_options_of(sync_options const& o) {
    auto h = o.http;
    if (!o.user_agent.empty()) h.user_agent = o.user_agent;
    h.max_idle_per_host = 1;  // one worker, one file at a time: one kept-alive connection
    return h;
  }

  asio::awaitable<result<fetch_outcome>> fetch(std::string url, part_writer* part, std::string* detail) {
    // Bounded: a 416 that emptied the part is asked once more, from the start.
    for (int tries = 0; tries < 2; ++tries) {
      fetch_outcome out;
      error_code refused;
      bool start_over = false;
      http::client_request req{http::verb::get, url};
      if (part->size() > 0) req.headers.emplace_back("Range", "bytes=" + std::to_string(part->size()) + "-");
      req.total_timeout = std::chrono::milliseconds::max();  // a file has no total bound, each read has one
      http::body_sink sink;
      sink.on_head = [&](http::client_response const& head) -> error_code {
        std::optional<std::uint64_t> length;
        if (auto cl = head.header("Content-Length")) {
          std::uint64_t n = 0;
          if (parse_number(*cl, n)) length = n;
        }
        auto const v = judge(head.status, head.header("Content-Range"), length, *part, out, refused, *detail);
        if (v == verdict::read_body) return {};
        start_over = v == verdict::start_over;
        // Cheaper than reading a body nobody wants: the client drops the connection.
        return start_over ? error_code{sync_errc::bad_range} : refused;
      };
      sink.on_data = [part](std::string_view piece) -> error_code {
        auto const r = part->append(piece.data(), piece.size());
        return r ? error_code{} : r.error();
      };
      auto r = co_await http.stream(std::move(req), std::move(sink));
      if (start_over) continue;
      if (!r) co_return normalise(r.error());
      co_return out;
    }
    co_return sync_errc::truncated;
  }
};

downloader::downloader(asio::any_io_executor executor, sync_options const& options)
    : impl_(std::make_unique<impl>(std::move(executor), options)) {}

downloader::~downloader() = default;

asio::awaitable<result<fetch_outcome>> downloader::fetch(std::string url, part_writer* part, std::string* detail) {
  return impl_->fetch(std::move(url), part, detail);
}

}  // namespace overworld::toon::sync_detail
