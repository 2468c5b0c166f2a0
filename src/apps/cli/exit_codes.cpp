#include "exit_codes.hpp"

namespace overworld::cli {

int exit_code_of(sdk::error const& e) {
  using sdk::error_kind;
  switch (e.kind) {
    case error_kind::access_denied:
    case error_kind::invalid_ip:
      return exit_auth;
    case error_kind::throttled:
    case error_kind::maintenance:
      return exit_unavailable;
    case error_kind::server_error:
      return e.status == 503 ? exit_unavailable : exit_api_error;
    case error_kind::timeout:
    case error_kind::transport:
    case error_kind::gateway:
      return exit_network;
    case error_kind::bad_request:
      // Refused before anything was sent (a tag that cannot exist): the user's input.
      return e.status == 0 ? exit_usage : exit_api_error;
    default:
      return exit_api_error;
  }
}

}  // namespace overworld::cli
