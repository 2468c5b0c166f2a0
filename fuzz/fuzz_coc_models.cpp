// coc::decode<T> for every top-level model (the first byte picks the model): whatever a server
// answers, decoding ends in a model or a decode error, and a decoded model writes back JSON that
// decodes again.
#include <overworld/coc/models/decode.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace overworld::coc;

template <class T>
void round_trip(std::string_view json) {
  auto model = decode<T>(json);
  if (!model) return;
  auto const written = to_json(*model);
  if (!decode<T>(written)) __builtin_trap();  // what we write, we read
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view const json{reinterpret_cast<char const*>(data) + 1, size - 1};
  switch (data[0] % 21) {
    case 0:
      round_trip<player>(json);
      break;
    case 1:
      round_trip<token_verification>(json);
      break;
    case 2:
      round_trip<clan>(json);
      break;
    case 3:
      round_trip<clan_war>(json);
      break;
    case 4:
      round_trip<war_league_group>(json);
      break;
    case 5:
      round_trip<ranked_league_group>(json);
      break;
    case 6:
      round_trip<league>(json);
      break;
    case 7:
      round_trip<location>(json);
      break;
    case 8:
      round_trip<gold_pass_season>(json);
      break;
    case 9:
      round_trip<list<clan>>(json);
      break;
    case 10:
      round_trip<list<clan_member>>(json);
      break;
    case 11:
      round_trip<list<war_log_entry>>(json);
      break;
    case 12:
      round_trip<list<raid_season>>(json);
      break;
    case 13:
      round_trip<list<battle_log_entry>>(json);
      break;
    case 14:
      round_trip<list<league_history_entry>>(json);
      break;
    case 15:
      round_trip<list<league>>(json);
      break;
    case 16:
      round_trip<list<league_season>>(json);
      break;
    case 17:
      round_trip<list<location>>(json);
      break;
    case 18:
      round_trip<list<clan_ranking>>(json);
      break;
    case 19:
      round_trip<list<player_ranking>>(json);
      break;
    default:
      round_trip<list<label>>(json);
      break;
  }
  return 0;
}
