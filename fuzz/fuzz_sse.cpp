// The SDK's Server-Sent Events reader: bytes cut at any place give the same events as in one
// piece, and nothing crashes.
#include "toon/sse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using overworld::toon::detail::sse_event;
  using overworld::toon::detail::sse_parser;
  if (size == 0) return 0;
  std::string_view const text{reinterpret_cast<char const*>(data) + 1, size - 1};
  sse_parser whole;
  std::vector<sse_event> all;
  whole.feed(text, all);
  // The same bytes in pieces of the first byte's length.
  std::size_t const piece = 1 + data[0] % 17;
  sse_parser split;
  std::vector<sse_event> pieces;
  for (std::size_t at = 0; at < text.size(); at += piece) split.feed(text.substr(at, piece), pieces);
  if (all.size() != pieces.size()) __builtin_trap();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].id != pieces[i].id || all[i].type != pieces[i].type || all[i].data != pieces[i].data) __builtin_trap();
  }
  if (whole.last_id() != split.last_id() || whole.retry() != split.retry()) __builtin_trap();
  return 0;
}
