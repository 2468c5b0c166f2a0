// What the Toontown SDK reads from TTR's and TTCC's servers (and overworld-server's v2 API), and
// the launcher manifest launcher sync reads: every parser ends in a value or an error.
#include <overworld/toon/manifest.hpp>
#include <overworld/toon/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld::toon;
  if (size == 0) return 0;
  std::string_view const text{reinterpret_cast<char const*>(data) + 1, size - 1};
  std::string api_error;
  switch (data[0] % 20) {
    case 0:
      (void)parse_ttr_invasions(text, &api_error);
      break;
    case 1:
      (void)parse_ttr_population(text, &api_error);
      break;
    case 2:
      (void)parse_ttr_status(text);
      break;
    case 3:
      (void)parse_ttr_field_offices(text);
      (void)parse_ttr_doodles(text);
      break;
    case 4:
      (void)parse_ttr_silly_meter(text, &api_error);
      break;
    case 5:
      (void)parse_ttr_news_post(text);
      break;
    case 6:
      (void)parse_ttr_news_list(text);
      break;
    case 7:
      (void)parse_ttr_release_note(text);
      break;
    case 8:
      (void)parse_ttr_release_notes(text);
      break;
    case 9:
      (void)parse_ttr_login(text);
      break;
    case 10:
      (void)parse_ttr_date(text);
      break;
    case 11:
      (void)parse_ttcc_districts(text);
      break;
    case 12:
      (void)parse_ttcc_game_info(text);
      break;
    case 13:
      (void)parse_ttcc_news(text);
      break;
    case 14:
      (void)parse_ttcc_version(text);
      break;
    case 15:
      (void)parse_ttcc_login(text, 200 + data[0] % 300);
      (void)parse_launcher_token_answer(text, 200 + data[0] % 300);  // the launcher v1 answers
      break;
    case 16:
      (void)parse_ttcc_date(text);
      break;
    case 17:
      (void)parse_v2_districts(text);
      break;
    case 18:
      (void)parse_v2_invasion(text);
      break;
    default:
      (void)parse_manifest(text);
      break;
  }
  return 0;
}
