// Paging cursors from both sides: the sandbox reads `limit`, `after` and `before` from query
// strings; the SDK reads `paging.cursors.after` from answers. A cursor the sandbox made reads
// back as the position it was made from.
#include <overworld/coc/paging.hpp>
#include <overworld/server/sandbox/paging.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld;
  std::string_view const text{reinterpret_cast<char const*>(data), size};
  (void)coc::after_cursor(text);
  if (auto pos = sandbox::decode_cursor(text)) {
    if (sandbox::decode_cursor(sandbox::encode_cursor(*pos)) != pos) __builtin_trap();
  }
  // The same bytes as the three query values, split at the first two NULs.
  auto const first = text.find('\0');
  auto const second = first == std::string_view::npos ? first : text.find('\0', first + 1);
  std::optional<std::string> limit{std::string{text.substr(0, first)}};
  std::optional<std::string> after, before;
  if (first != std::string_view::npos) after = std::string{text.substr(first + 1, second - first - 1)};
  if (second != std::string_view::npos) before = std::string{text.substr(second + 1)};
  std::string why;
  (void)sandbox::parse_page_request(limit, after, before, why);
  return 0;
}
