// What can go wrong with a Toontown API call, as one value: an answer that is not a success (with
// its status, the API's own message and Retry-After), no answer at all, or a body that is not what
// the call expects. Calls return api_result<T>; value() on a failed result throws api_exception.
#pragma once

#include <overworld/core/error.hpp>

#include <boost/assert/source_location.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace overworld::toon {

enum class error_kind {
  not_found = 1,  ///< 404, `null` for a news post, {"error":"Unknown release note"}
  rate_limited,   ///< 429 (or the client's own limit would be passed by waiting longer than allowed)
  unauthorized,   ///< 401 / 403 (TTCC's {"error":"Unauthorized","bad_token":true})
  bad_request,    ///< other 4xx
  unavailable,    ///< 5xx, or TTR's {"error":"…"} envelope instead of data
  timeout,        ///< no answer in time
  transport,      ///< connection refused or reset, TLS failure, bad URL
  decode,         ///< a 2xx body that is not the JSON the call expects
};

std::string_view to_string(error_kind k) noexcept;

struct error {
  error_kind kind = error_kind::transport;
  unsigned status = 0;  ///< HTTP status; 0 when no answer came
  std::string message;  ///< the API's message ("error", "friendlyreason", "banner"), or what failed
  std::string url;      ///< the request the error belongs to
  std::string body;     ///< the answer's body as sent (empty without one)
  std::optional<std::chrono::seconds> retry_after;  ///< from Retry-After, when the answer had one
  error_code code;                                  ///< the transport or parse error underneath, when there is one

  /// One line for logs: "429 rate_limited: too many requests (GET http://…/api/v1/districts.js)".
  std::string describe() const;
};

/// Thrown by value() on a failed api_result.
class api_exception : public std::runtime_error {
 public:
  explicit api_exception(toon::error e);
  toon::error const& error() const noexcept { return error_; }

 private:
  toon::error error_;
};

[[noreturn]] void throw_exception_from_error(error const& e, boost::source_location const& loc);

/// The outcome of an SDK call.
template <class T>
using api_result = boost::system::result<T, error>;

}  // namespace overworld::toon
