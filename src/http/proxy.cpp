#include <overworld/http/proxy.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace overworld::http {
namespace {

constexpr std::array<std::uint8_t, 12> v2_signature{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                    0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
constexpr std::size_t v1_max_length = 107;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

result<proxy_header> parse_v1(std::string_view data) {
  auto const eol = data.find("\r\n");
  if (eol == std::string_view::npos) {
    if (data.size() >= v1_max_length) return errc::protocol_error;
    return errc::not_found;
  }
  if (eol + 2 > v1_max_length) return errc::protocol_error;
  std::string_view line = data.substr(0, eol);
  std::array<std::string_view, 6> parts{};
  std::size_t n = 0;
  while (!line.empty() && n < parts.size()) {
    auto const sp = line.find(' ');
    parts[n++] = line.substr(0, sp);
    if (sp == std::string_view::npos) {
      line = {};
      break;
    }
    line.remove_prefix(sp + 1);
  }
  if (!line.empty() || n < 2 || parts[0] != "PROXY") return errc::protocol_error;
  proxy_header h;
  h.length = eol + 2;
  if (parts[1] == "UNKNOWN") return h;
  if ((parts[1] != "TCP4" && parts[1] != "TCP6") || n != 6) return errc::protocol_error;
  auto const src = ip_address::parse(parts[2]);
  auto const dst = ip_address::parse(parts[3]);
  auto const sport = parse_port(parts[4]);
  if (!src || !dst || !sport || !parse_port(parts[5])) return errc::protocol_error;
  if ((parts[1] == "TCP4") != src->v4) return errc::protocol_error;
  h.source = src->to_string();
  h.source_port = *sport;
  return h;
}

result<proxy_header> parse_v2(std::span<char const> data) {
  if (data.size() < 16) return errc::not_found;
  auto const* b = reinterpret_cast<std::uint8_t const*>(data.data());
  std::uint8_t const ver_cmd = b[12];
  std::uint8_t const family = b[13];
  std::size_t const len = (std::size_t{b[14]} << 8) | b[15];
  if ((ver_cmd >> 4) != 2) return errc::protocol_error;
  if (data.size() < 16 + len) return errc::not_found;
  proxy_header h;
  h.length = 16 + len;
  std::uint8_t const command = ver_cmd & 0x0F;
  if (command == 0) return h;  // LOCAL: health checks of the balancer itself
  if (command != 1) return errc::protocol_error;
  std::uint8_t const af = family >> 4;
  ip_address a;
  if (af == 1) {  // AF_INET
    if (len < 12) return errc::protocol_error;
    a.v4 = true;
    a.bytes[10] = a.bytes[11] = 0xFF;
    std::memcpy(a.bytes.data() + 12, b + 16, 4);
    h.source_port = static_cast<std::uint16_t>((b[24] << 8) | b[25]);
  } else if (af == 2) {  // AF_INET6
    if (len < 36) return errc::protocol_error;
    std::memcpy(a.bytes.data(), b + 16, 16);
    h.source_port = static_cast<std::uint16_t>((b[48] << 8) | b[49]);
  } else {
    return h;  // UNSPEC or UNIX: no usable address, keep the peer's
  }
  h.source = a.to_string();
  return h;
}

}  // namespace

std::optional<ip_address> ip_address::parse(std::string_view text) {
  text = trim(text);
  if (text.starts_with('[')) {
    auto const close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    text = text.substr(0, text.find(':'));  // "1.2.3.4:80"
  }
  if (auto const pct = text.find('%'); pct != std::string_view::npos) text = text.substr(0, pct);  // zone id
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  ip_address a;
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    a.v4 = true;
    a.bytes[10] = a.bytes[11] = 0xFF;
    std::memcpy(a.bytes.data() + 12, &v4, 4);
    return a;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(a.bytes.data(), &v6, 16);
    static constexpr std::array<std::uint8_t, 12> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    a.v4 = std::equal(mapped.begin(), mapped.end(), a.bytes.begin());
    return a;
  }
  return std::nullopt;
}

std::string ip_address::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  if (v4) {
    inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<ip_network> ip_network::parse(std::string_view text) {
  text = trim(text);
  auto const slash = text.find('/');
  auto const base = ip_address::parse(text.substr(0, slash));
  if (!base) return std::nullopt;
  ip_network n;
  n.base_ = *base;
  unsigned const full = base->v4 ? 32 : 128;
  unsigned prefix = full;
  if (slash != std::string_view::npos) {
    auto const p = text.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || ec != std::errc{} || ptr != p.data() + p.size() || prefix > full) return std::nullopt;
  }
  n.prefix_ = base->v4 ? prefix + 96 : prefix;
  // Clear host bits so that contains() can compare whole bytes.
  for (unsigned bit = n.prefix_; bit < 128; ++bit)
    n.base_.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return n;
}

bool ip_network::contains(ip_address const& a) const noexcept {
  if (a.v4 != base_.v4 && prefix_ != 0) return false;
  unsigned const whole = prefix_ / 8;
  if (std::memcmp(a.bytes.data(), base_.bytes.data(), whole) != 0) return false;
  unsigned const rest = prefix_ % 8;
  if (rest == 0) return true;
  auto const mask = static_cast<std::uint8_t>(0xFF00u >> rest);
  return (a.bytes[whole] & mask) == (base_.bytes[whole] & mask);
}

std::string ip_network::to_string() const {
  return base_.to_string() + "/" + std::to_string(base_.v4 ? prefix_ - 96 : prefix_);
}

result<std::vector<ip_network>> parse_networks(std::span<std::string const> texts) {
  std::vector<ip_network> out;
  for (auto const& t : texts) {
    auto n = ip_network::parse(t);
    if (!n) return errc::bad_config;
    out.push_back(*n);
  }
  return out;
}

bool trusted_proxies::trusts(std::string_view address) const noexcept {
  auto const a = ip_address::parse(address);
  if (!a) return false;
  return std::any_of(networks_.begin(), networks_.end(), [&](ip_network const& n) { return n.contains(*a); });
}

std::string trusted_proxies::client_address(std::string_view peer,
                                            std::span<std::string_view const> forwarded_for) const {
  std::string client{peer};
  if (!trusts(peer)) return client;
  // Walk right to left: each hop appends the address it saw, so the right-most entries were
  // written by our own proxies and the first untrusted one is the real client.
  for (std::size_t i = forwarded_for.size(); i-- > 0;) {
    std::string_view list = forwarded_for[i];
    while (!list.empty()) {
      auto const comma = list.rfind(',');
      std::string_view const item = trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(0, comma);
      auto const a = ip_address::parse(item);
      if (!a) return client;
      client = a->to_string();
      if (!trusts(client)) return client;
    }
  }
  return client;
}

result<proxy_header> parse_proxy_header(std::span<char const> data) {
  if (data.empty()) return errc::not_found;
  std::size_t const n = std::min(data.size(), v2_signature.size());
  if (std::memcmp(data.data(), v2_signature.data(), n) == 0) {
    if (data.size() < v2_signature.size()) return errc::not_found;
    return parse_v2(data);
  }
  constexpr std::string_view v1_prefix = "PROXY ";
  std::string_view const text{data.data(), data.size()};
  if (text.substr(0, std::min(text.size(), v1_prefix.size())) !=
      v1_prefix.substr(0, std::min(text.size(), v1_prefix.size()))) {
    return errc::protocol_error;
  }
  if (text.size() < v1_prefix.size()) return errc::not_found;
  return parse_v1(text);
}

}  // namespace overworld::http
