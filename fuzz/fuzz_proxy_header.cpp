// PROXY protocol headers and address parsing never crash, never read past the input, and a
// parsed header never claims more bytes than were given.
#include <overworld/http/proxy.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld::http;
  std::span<char const> const bytes{reinterpret_cast<char const*>(data), size};
  if (auto h = parse_proxy_header(bytes)) {
    if (h->length > size) __builtin_trap();
  }
  std::string_view const text{bytes.data(), bytes.size()};
  if (auto a = ip_address::parse(text)) {
    auto again = ip_address::parse(a->to_string());
    if (!again || !(*again == *a)) __builtin_trap();  // printing and parsing round-trip
  }
  if (auto n = ip_network::parse(text)) (void)n->to_string();
  trusted_proxies const proxies{{*ip_network::parse("10.0.0.0/8")}};
  std::string_view const xff[] = {text};
  (void)proxies.client_address("10.0.0.1", xff);
  return 0;
}
