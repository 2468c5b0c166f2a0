// What a Redis server (or anything answering on its port) sends: the RESP decoder never crashes,
// never grows past its bounds, and cutting the bytes into pieces does not change what it reads.
// The first byte picks the piece size.
#include <overworld/store/redis.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace {

/// The replies read, and whether the decoder stopped with an error.
std::pair<std::vector<overworld::store::redis_reply>, bool> decode(std::string_view bytes, std::size_t piece) {
  overworld::store::resp_decoder d{64 * 1024, 1024};
  std::vector<overworld::store::redis_reply> out;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    if (!d.feed(bytes.substr(i, piece))) return {out, true};
    for (;;) {
      auto r = d.next();
      if (!r) return {out, true};
      if (!*r) break;
      out.push_back(std::move(**r));
    }
  }
  return {out, false};
}

bool same(overworld::store::redis_reply const& a, overworld::store::redis_reply const& b) {
  if (a.kind != b.kind || a.text != b.text || a.integer != b.integer || a.elements.size() != b.elements.size())
    return false;
  for (std::size_t i = 0; i < a.elements.size(); ++i)
    if (!same(a.elements[i], b.elements[i])) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t const piece = 1 + data[0] % 16;
  std::string_view const bytes{reinterpret_cast<char const*>(data) + 1, size - 1};
  auto const [whole, whole_failed] = decode(bytes, bytes.size() + 1);
  auto const [pieces, pieces_failed] = decode(bytes, piece);
  if (!whole_failed && !pieces_failed) {
    if (whole.size() != pieces.size()) __builtin_trap();
    for (std::size_t i = 0; i < whole.size(); ++i)
      if (!same(whole[i], pieces[i])) __builtin_trap();
  }
  return 0;
}
