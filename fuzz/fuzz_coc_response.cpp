// What the CoC SDK reads from a server it does not control: error bodies (JSON, HTML, anything),
// Cache-Control and Retry-After values, the API's times, and player or clan tags typed by users.
// None of it may crash; a tag that parses prints and parses back to itself, and so does a time.
#include <overworld/coc/errors.hpp>
#include <overworld/coc/models/time.hpp>
#include <overworld/coc/tags.hpp>
#include <overworld/sdk/cache.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld::coc;
  if (size == 0) return 0;
  unsigned const status = 400 + data[0] % 200;  // every error status, from the first byte
  std::string_view const text{reinterpret_cast<char const*>(data) + 1, size - 1};
  auto const e = error_from_response(status, text, "/v1/clans/%232PP/warlog", text);
  (void)e.describe();
  (void)overworld::sdk::parse_max_age(text);
  (void)parse_retry_after(text);
  if (auto t = parse_time(text)) {
    if (parse_time(format_time(*t)) != t) __builtin_trap();  // time -> text -> time round-trips
  }
  if (auto tag = parse_tag(text)) {
    auto again = parse_tag(*tag);
    if (!again || *again != *tag) __builtin_trap();  // normal form is stable
    (void)encode_tag(*tag);
    if (auto id = tag_to_id(*tag)) {
      if (tag_from_id(*id) != *tag) __builtin_trap();  // tag -> id -> tag round-trips
    }
  }
  return 0;
}
