#include <overworld/toon/errors.hpp>

namespace overworld::toon {

std::string_view to_string(error_kind k) noexcept {
  switch (k) {
    case error_kind::not_found:
      return "not_found";
    case error_kind::rate_limited:
      return "rate_limited";
    case error_kind::unauthorized:
      return "unauthorized";
    case error_kind::bad_request:
      return "bad_request";
    case error_kind::unavailable:
      return "unavailable";
    case error_kind::timeout:
      return "timeout";
    case error_kind::transport:
      return "transport";
    case error_kind::decode:
      return "decode";
  }
  return "unknown";
}

std::string error::describe() const {
  std::string out;
  if (status != 0) out += std::to_string(status) + ' ';
  out += to_string(kind);
  if (!message.empty())
    out += ": " + message;
  else if (code)
    out += ": " + code.message();
  if (retry_after) out += " (retry after " + std::to_string(retry_after->count()) + " s)";
  if (!url.empty()) out += " [" + url + ']';
  return out;
}

api_exception::api_exception(toon::error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}

void throw_exception_from_error(error const& e, boost::source_location const&) { throw api_exception(e); }

}  // namespace overworld::toon
