// URL parsing and body decoding for the client: no sockets here.
#include <overworld/http/client.hpp>

#include <zlib.h>

#include <charconv>

namespace overworld::http {
namespace {

/// One inflate pass; window_bits 15+32 reads gzip or zlib, -15 reads raw deflate.
result<std::string> inflate_with(std::string_view data, int window_bits, std::size_t limit) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return errc::io_error;
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char chunk[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return errc::parse_error;
    }
    std::size_t const produced = sizeof chunk - z.avail_out;
    if (out.size() + produced > limit) {
      inflateEnd(&z);
      return errc::too_large;  // a small body that inflates past the limit (a "zip bomb")
    }
    out.append(chunk, produced);
    if (rc == Z_OK && z.avail_in == 0 && produced == 0) {
      inflateEnd(&z);
      return errc::parse_error;  // truncated stream
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace

result<std::string> inflate_body(std::string_view data, std::string_view encoding, std::size_t limit) {
  if (iequals(encoding, "gzip") || iequals(encoding, "x-gzip")) return inflate_with(data, 15 + 32, limit);
  if (iequals(encoding, "deflate")) {
    // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
    auto zlib = inflate_with(data, 15, limit);
    if (zlib || zlib.error() == errc::too_large) return zlib;
    return inflate_with(data, -15, limit);
  }
  if (iequals(encoding, "identity") || encoding.empty()) return std::string{data};
  return errc::unsupported;
}

std::string host_header(url_parts const& url) {
  bool const v6 = url.host.find(':') != std::string::npos;
  std::string out = v6 ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? 443 : 80)) out += ":" + std::to_string(url.port);
  return out;
}

result<url_parts> parse_url(std::string_view url) {
  url_parts out;
  if (url.starts_with("https://")) {
    out.tls = true;
    out.port = 443;
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return errc::invalid_argument;
  }
  auto const path_start = url.find_first_of("/?");
  std::string_view authority = url.substr(0, path_start);
  if (path_start != std::string_view::npos) {
    out.target = std::string{url.substr(path_start)};
    if (out.target.front() == '?') out.target.insert(0, "/");
  }
  if (authority.find('@') != std::string_view::npos) return errc::invalid_argument;  // no userinfo
  std::string_view port_text;
  if (authority.starts_with('[')) {
    auto const close = authority.find(']');
    if (close == std::string_view::npos) return errc::invalid_argument;
    out.host = std::string{authority.substr(1, close - 1)};
    auto const rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return errc::invalid_argument;
      port_text = rest.substr(1);
    }
  } else {
    auto const colon = authority.find(':');
    out.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return errc::invalid_argument;
  for (char c : out.host) {
    if (c == ' ' || c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x21) return errc::invalid_argument;
  }
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || p != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return errc::invalid_argument;
    }
    out.port = static_cast<std::uint16_t>(port);
  }
  return out;
}

std::optional<std::string_view> client_response::header(std::string_view name) const noexcept {
  for (auto const& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

}  // namespace overworld::http
