// The exit status of `overworld`, the contract scripts rely on (docs/cli.md, `overworld --help`).
#pragma once

#include <overworld/sdk/errors.hpp>

namespace overworld::cli {

enum exit_code : int {
  exit_ok = 0,
  exit_api_error = 1,    ///< the API answered with an error: not found, bad request, 5xx, unreadable body
  exit_usage = 2,        ///< bad flags, arguments or configuration; nothing was sent
  exit_network = 3,      ///< no answer: connection refused, DNS, TLS, timeout, gateway 502/504
  exit_auth = 4,         ///< missing, wrong or revoked key or credentials, key not allowed from this IP
  exit_unavailable = 5,  ///< try again later: rate limited (429) or in maintenance
};

/// The exit status of a failed SDK call, whichever game's (exit_codes.cpp).
int exit_code_of(sdk::error const& e);

/// The table printed at the end of `overworld --help` and kept in docs/cli.md.
inline constexpr char const* exit_code_help =
    "Exit status: 0 ok, 1 API error (not found, bad request, server error), 2 usage or configuration,\n"
    "3 network (unreachable, timeout, TLS), 4 authentication (key or credentials refused),\n"
    "5 unavailable for now (rate limited, maintenance).";

}  // namespace overworld::cli
