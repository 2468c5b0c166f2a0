// The real client address behind load balancers: trusted X-Forwarded-For and the PROXY protocol.
#pragma once

#include <overworld/core/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::http {

/// An IPv4 or IPv6 address, IPv4 stored as v4-mapped IPv6.
struct ip_address {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;

  static std::optional<ip_address> parse(std::string_view text);  ///< also "[::1]" and "1.2.3.4:80"
  std::string to_string() const;
  friend bool operator==(ip_address const&, ip_address const&) = default;
};

/// A CIDR block ("10.0.0.0/8", "::1/128", or a single address).
class ip_network {
 public:
  static std::optional<ip_network> parse(std::string_view text);
  bool contains(ip_address const& a) const noexcept;
  std::string to_string() const;

 private:
  ip_address base_;
  unsigned prefix_ = 128;  // in IPv6 bits (IPv4 prefixes are stored + 96)
};

/// Parses a list of CIDRs; an invalid one is errc::bad_config.
result<std::vector<ip_network>> parse_networks(std::span<std::string const> texts);

class trusted_proxies {
 public:
  trusted_proxies() = default;
  explicit trusted_proxies(std::vector<ip_network> networks) : networks_(std::move(networks)) {}

  bool empty() const noexcept { return networks_.empty(); }
  bool trusts(std::string_view address) const noexcept;

  /// The client address: `peer` unless it is trusted; then walk the X-Forwarded-For entries
  /// (all headers, in order, comma lists) from the right and return the first untrusted one.
  /// Malformed entries stop the walk: the last trusted hop's view is kept.
  std::string client_address(std::string_view peer, std::span<std::string_view const> forwarded_for) const;

 private:
  std::vector<ip_network> networks_;
};

/// A PROXY protocol (v1 text or v2 binary) header.
struct proxy_header {
  std::size_t length = 0;             ///< bytes the header took
  std::optional<std::string> source;  ///< client address; none for LOCAL / UNKNOWN
  std::uint16_t source_port = 0;
};

/// Parses a PROXY header at the start of `data`. Returns errc::not_found when more bytes are
/// needed (incomplete) and errc::protocol_error when the bytes are not a valid header.
result<proxy_header> parse_proxy_header(std::span<char const> data);

}  // namespace overworld::http
