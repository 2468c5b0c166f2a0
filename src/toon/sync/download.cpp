#include "download.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cerrno>
#include <charconv>
#include <sys/stat.h>
#include <unistd.h>

namespace overworld::toon::sync_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t chunk_size = std::size_t{256} * 1024;

bool is_stale(error_code ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
}

error_code normalise(error_code ec) {
  if (ec == beast::error::timeout) return errc::timeout;
  if (ec == bhttp::error::partial_message || is_stale(ec)) return sync_errc::truncated;
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return errc::too_large;
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
  asio::any_io_executor executor;
  sync_options const& options;
  std::optional<beast::tcp_stream> stream;
  std::string stream_host;  ///< the Host the kept connection talks to
  beast::flat_buffer buffer;
  std::vector<char> chunk = std::vector<char>(chunk_size);
  std::unique_ptr<http::client> buffered;

  impl(asio::any_io_executor ex, sync_options const& o) : executor(std::move(ex)), options(o) {
    // Beast reads as much as the buffer has room for (512 bytes by default, 64 KiB at most).
    buffer.reserve(chunk_size);
  }

  std::string user_agent() const { return options.user_agent.empty() ? options.http.user_agent : options.user_agent; }

  void drop_connection() {
    stream.reset();
    buffer.consume(buffer.size());
  }

  asio::awaitable<result<void>> connect(http::url_parts url, std::string host) {
    drop_connection();
    auto const deadline = steady::now() + options.http.connect_timeout;
    std::vector<tcp::endpoint> endpoints;
    error_code ec;
    if (auto const literal = asio::ip::make_address(url.host, ec); !ec) {
      endpoints.emplace_back(literal, url.port);
    } else {
      // Bounded by the resolver's own timeout and attempts (resolv.conf), not by connect_timeout.
      tcp::resolver resolver{executor};
      auto [rec, found] = co_await resolver.async_resolve(url.host, std::to_string(url.port), use_tuple);
      if (rec) co_return rec;
      for (auto const& r : found) endpoints.push_back(r.endpoint());
    }
    stream.emplace(executor);
    stream->expires_at(deadline);
    auto [cec, ep] = co_await stream->async_connect(endpoints, use_tuple);
    if (cec) {
      drop_connection();
      co_return normalise(cec);
    }
    stream->socket().set_option(tcp::no_delay{true});
    stream_host = std::move(host);
    co_return result<void>{};
  }

  /// Reads `left` body bytes: first what the header read left in the buffer, then the socket.
  asio::awaitable<result<void>> read_plain(std::uint64_t left, part_writer* part) {
    auto const buffered = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), left));
    if (buffered > 0) {
      if (auto r = part->append(static_cast<char const*>(buffer.data().data()), buffered); !r) co_return r.error();
      buffer.consume(buffered);
      left -= buffered;
    }
    while (left > 0) {
      auto const want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), left));
      stream->expires_after(options.http.read_timeout);
      auto [ec, n] = co_await stream->async_read_some(asio::buffer(chunk.data(), want), use_tuple);
      if (n > 0) {
        if (auto r = part->append(chunk.data(), n); !r) co_return r.error();
        left -= n;
      }
      if (ec && left > 0) co_return normalise(ec);
    }
    stream->expires_never();
    co_return result<void>{};
  }

  asio::awaitable<result<fetch_outcome>> streamed(http::url_parts url, part_writer* part, std::string* detail) {
    bool const v6 = url.host.find(':') != std::string::npos;
    std::string host = v6 ? "[" + url.host + "]" : url.host;
    if (url.port != 80) host += ":" + std::to_string(url.port);
    // Bounded: a stale kept connection once, a 416 once.
    for (int attempt = 0; attempt < 3; ++attempt) {
      bool const reused = stream && stream_host == host;
      if (!reused) {
        auto c = co_await connect(url, host);
        if (!c) co_return c.error();
      }
      bhttp::request<bhttp::empty_body> req{bhttp::verb::get, url.target, 11};
      req.set(bhttp::field::host, host);
      req.set(bhttp::field::user_agent, user_agent());
      if (part->size() > 0) req.set(bhttp::field::range, "bytes=" + std::to_string(part->size()) + "-");
      stream->expires_after(options.http.read_timeout);
      auto [wec, written] = co_await bhttp::async_write(*stream, req, use_tuple);
      if (wec) {
        drop_connection();
        if (reused && is_stale(wec)) continue;
        co_return normalise(wec);
      }
      bhttp::response_parser<bhttp::buffer_body> parser;
      parser.header_limit(64 * 1024);
      parser.body_limit(boost::none);  // the body goes to disk, not memory
      stream->expires_after(options.http.read_timeout);
      auto [hec, hn] = co_await bhttp::async_read_header(*stream, buffer, parser, use_tuple);
      if (hec) {
        bool const stale = reused && !parser.got_some() && is_stale(hec);
        drop_connection();
        if (stale) continue;
        co_return normalise(hec);
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
        if (v == verdict::start_over) continue;
        co_return ec;
      }
      if (!parser.chunked() && length) {
        // A plain body of known length: straight from the socket into the chunk, without the
        // parser's copy (Beast would read it 64 KiB at a time through the buffer).
        auto r = co_await read_plain(*length, part);
        if (!r) {
          drop_connection();
          co_return r.error();
        }
        if (!parser.keep_alive()) drop_connection();
        co_return out;
      }
      while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        stream->expires_after(options.http.read_timeout);
        auto [rec, rn] = co_await bhttp::async_read(*stream, buffer, parser, use_tuple);
        if (rec == bhttp::error::need_buffer) rec = {};
        auto const got = chunk.size() - parser.get().body().size;
        if (got > 0) {
          if (auto r = part->append(chunk.data(), got); !r) {
            drop_connection();
            co_return r.error();
          }
        }
        if (rec) {
          drop_connection();
          co_return normalise(rec);
        }
      }
      stream->expires_never();
      if (!parser.keep_alive()) drop_connection();
      co_return out;
    }
    co_return sync_errc::truncated;
  }

  asio::awaitable<result<fetch_outcome>> whole(std::string url, part_writer* part, std::string* detail) {
    if (!buffered) {
      auto o = options.http;
      o.decompress = false;  // a Range applies to the bytes as stored; decoding would shift it
      o.max_response_size = options.max_buffered_file;
      o.user_agent = user_agent();
      buffered = std::make_unique<http::client>(executor, o);
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
      http::client_request req;
      req.url = url;
      if (part->size() > 0) req.headers.emplace_back("Range", "bytes=" + std::to_string(part->size()) + "-");
      auto r = co_await buffered->request(std::move(req));
      if (!r) co_return r.error();
      std::optional<std::uint64_t> length;
      std::uint64_t n = 0;
      if (auto h = r->header("Content-Length"); h && parse_number(*h, n)) length = n;
      fetch_outcome out;
      error_code ec;
      auto const v = judge(r->status, r->header("Content-Range"), length, *part, out, ec, *detail);
      if (v == verdict::start_over) continue;
      if (v == verdict::fail) co_return ec;
      if (auto w = part->append(r->body.data(), r->body.size()); !w) co_return w.error();
      co_return out;
    }
    co_return sync_errc::bad_range;
  }
};

downloader::downloader(asio::any_io_executor executor, sync_options const& options)
    : impl_(std::make_unique<impl>(std::move(executor), options)) {}

downloader::~downloader() = default;

asio::awaitable<result<fetch_outcome>> downloader::fetch(std::string url, part_writer* part, std::string* detail) {
  auto parts = http::parse_url(url);
  if (!parts) co_return parts.error();
  if (parts->tls) co_return co_await impl_->whole(std::move(url), part, detail);
  co_return co_await impl_->streamed(std::move(*parts), part, detail);
}

}  // namespace overworld::toon::sync_detail
