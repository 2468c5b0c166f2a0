#include "download.hpp"

#include <overworld/http/connection.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>

namespace overworld::toon::sync_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t chunk_size = std::size_t{256} * 1024;

error_code normalise(error_code ec) {
  if (ec == bhttp::error::partial_message || http::is_stale_connection_error(ec)) return sync_errc::truncated;
  return http::normalise_transport_error(ec);
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
  asio::any_io_executor executor;
  sync_options const& options;
  http::tls_client_context tls;
  std::unique_ptr<http::connection> conn;
  std::string conn_origin;  ///< scheme://host[:port] of the kept connection
  std::vector<char> chunk = std::vector<char>(chunk_size);

  impl(asio::any_io_executor ex, sync_options const& o) : executor(std::move(ex)), options(o), tls(o.http) {}

  std::string user_agent() const { return options.user_agent.empty() ? options.http.user_agent : options.user_agent; }

  void drop_connection() {
    conn.reset();
    conn_origin.clear();
  }

  asio::awaitable<result<void>> connect(http::url_parts url, std::string origin) {
    drop_connection();
    auto opened = co_await http::open_connection(executor, options.http, tls, std::move(url),
                                                 steady::now() + options.http.connect_timeout);
    if (!opened) co_return opened.error();
    conn = std::move(*opened);
    // Beast reads as much as the buffer has room for (512 bytes by default, 64 KiB at most).
    conn->buffer.reserve(chunk_size);
    conn_origin = std::move(origin);
    co_return result<void>{};
  }

  /// Reads `left` body bytes: first what the header read left in the buffer, then the stream.
  template <class Stream>
  asio::awaitable<result<void>> read_plain(Stream& stream, std::uint64_t left, part_writer* part) {
    auto& buffer = conn->buffer;
    auto const buffered = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), left));
    if (buffered > 0) {
      if (auto r = part->append(static_cast<char const*>(buffer.data().data()), buffered); !r) co_return r.error();
      buffer.consume(buffered);
      left -= buffered;
    }
    while (left > 0) {
      auto const want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left));
      conn->tcp().expires_after(options.http.read_timeout);
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(chunk.data(), want), use_tuple);
      if (n > 0) {
        if (auto r = part->append(chunk.data(), n); !r) co_return r.error();
        left -= n;
      }
      if (ec && left > 0) co_return normalise(ec);
    }
    conn->tcp().expires_never();
    co_return result<void>{};
  }

  /// What one request on the kept connection came to; `again`: worth one more try (a stale kept
  /// connection, a 416 that emptied the part).
  struct attempt_result {
    bool again = false;
    result<fetch_outcome> outcome = sync_errc::truncated;
  };

  template <class Stream>
  asio::awaitable<attempt_result> attempt(Stream& stream, http::url_parts const& url, std::string const& host,
                                          bool reused, part_writer* part, std::string* detail) {
    auto& buffer = conn->buffer;
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, url.target, 11};
    req.set(bhttp::field::host, host);
    req.set(bhttp::field::user_agent, user_agent());
    if (part->size() > 0) req.set(bhttp::field::range, "bytes=" + std::to_string(part->size()) + "-");
    conn->tcp().expires_after(options.http.read_timeout);
    auto [wec, written] = co_await bhttp::async_write(stream, req, use_tuple);
    if (wec) {
      drop_connection();
      co_return attempt_result{reused && http::is_stale_connection_error(wec), normalise(wec)};
    }
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(boost::none);  // the body goes to disk, not memory
    conn->tcp().expires_after(options.http.read_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
    if (hec) {
      bool const stale = reused && !parser.got_some() && http::is_stale_connection_error(hec);
      drop_connection();
      co_return attempt_result{stale, normalise(hec)};
    }
    auto const& head = parser.get();
    std::optional<std::string_view> range_header;
    if (auto it = head.find(bhttp::field::content_range); it != head.end()) range_header = it->value();
    std::optional<std::uint64_t> length;
    if (auto n = parser.content_length()) length = *n;
    fetch_outcome out;
    error_code ec;
    auto const v = judge(head.result_int(), range_header, length, *part, out, ec, *detail);
    if (v != verdict::read_body) {
      drop_connection();  // cheaper than reading a body nobody wants
      co_return attempt_result{v == verdict::start_over, ec};
    }
    if (!parser.chunked() && length) {
      // A plain body of known length: straight from the stream into the chunk, without the
      // parser's copy (Beast would read it 64 KiB at a time through the buffer).
      auto r = co_await read_plain(stream, *length, part);
      if (!r) {
        drop_connection();
        co_return attempt_result{false, r.error()};
      }
      if (!parser.keep_alive()) drop_connection();
      co_return attempt_result{false, out};
    }
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      conn->tcp().expires_after(options.http.read_timeout);
      auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
      if (rec == bhttp::error::need_buffer) rec = {};
      auto const got = chunk.size() - parser.get().body().size;
      if (got > 0) {
        if (auto r = part->append(chunk.data(), got); !r) {
          drop_connection();
          co_return attempt_result{false, r.error()};
        }
      }
      if (rec) {
        drop_connection();
        co_return attempt_result{false, normalise(rec)};
      }
    }
    conn->tcp().expires_never();
    if (!parser.keep_alive()) drop_connection();
    co_return attempt_result{false, out};
  }

  asio::awaitable<result<fetch_outcome>> fetch(http::url_parts url, part_writer* part, std::string* detail) {
    std::string const host = http::host_header(url);
    std::string const origin = (url.tls ? "https://" : "http://") + host;
    // Bounded: a stale kept connection once, a 416 once.
    for (int tries = 0; tries < 3; ++tries) {
      bool const reused = conn && conn_origin == origin;
      if (!reused) {
        auto c = co_await connect(url, origin);
        if (!c) co_return c.error();
      }
      // Two statements, not a conditional expression: g++ 12 miscompiles co_await inside ?:.
      attempt_result r;
      if (conn->tls) {
        r = co_await attempt(*conn->tls, url, host, reused, part, detail);
      } else {
        r = co_await attempt(*conn->plain, url, host, reused, part, detail);
      }
      if (!r.again) co_return std::move(r.outcome);
    }
    co_return sync_errc::truncated;
  }
};

downloader::downloader(asio::any_io_executor executor, sync_options const& options)
    : impl_(std::make_unique<impl>(std::move(executor), options)) {}

downloader::~downloader() = default;

asio::awaitable<result<fetch_outcome>> downloader::fetch(std::string url, part_writer* part, std::string* detail) {
  auto parts = http::parse_url(url);
  if (!parts) co_return parts.error();
  co_return co_await impl_->fetch(std::move(*parts), part, detail);
}

}  // namespace overworld::toon::sync_detail
