// The world service's error body, {"error":"…"}, shared by its report and admin endpoints.
#pragma once

#include <overworld/core/log.hpp>
#include <overworld/http/message.hpp>

#include <string>
#include <string_view>

namespace overworld::world {

inline http::response json_error(unsigned status, std::string_view message) {
  std::string body = "{\"error\":\"";
  append_json_escaped(body, message);
  body += "\"}";
  return http::response::json(status, std::move(body));
}

}  // namespace overworld::world
