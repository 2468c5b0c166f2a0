// What the examples share: where the API is and which key to use.
//   OVERWORLD_COC_KEY   the API key (required)
//   OVERWORLD_COC_URL   the API's base URL (default https://api.clashofclans.com/v1; the sandbox of
//                       `overworld-server --demo` is http://127.0.0.1:8081/v1)
#pragma once

#include <overworld/coc/client.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>

namespace example {

inline std::optional<overworld::coc::client_options> options_from_environment() {
  overworld::coc::client_options o;
  char const* key = std::getenv("OVERWORLD_COC_KEY");
  if (!key || !*key) {
    std::cerr << "set OVERWORLD_COC_KEY to an API key (overworld-server --demo writes one to var/sandbox-api-key)\n";
    return std::nullopt;
  }
  o.keys = {key};
  if (char const* url = std::getenv("OVERWORLD_COC_URL"); url && *url) o.base_url = url;
  return o;
}

}  // namespace example
