// District reports as district servers POST them: any body ends in a report or a reason, and an
// accepted report holds only names that follow the name rule (so the public JSON stays valid).
#include <overworld/core/text.hpp>
#include <overworld/server/world/model.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld;
  std::string_view const body{reinterpret_cast<char const*>(data), size};
  world::report_limits const limits;
  std::string why;
  auto report = world::parse_report(body, limits, 1'700'000'000, why);
  if (report && report->current) {
    if (check_name(report->current->cog, limits.max_name_length) != name_problem::ok) __builtin_trap();
  }
  if (!report && why.empty()) __builtin_trap();  // a refusal always says why
  (void)world::valid_district_name(body, limits.max_name_length);
  return 0;
}
