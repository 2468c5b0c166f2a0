// What can go wrong with a Clash of Clans API call, as one value: the API's own error answers
// (`{"reason","message"}` bodies, HTML pages from gateways and maintenance), transport failures and
// bodies that could not be decoded. A call returns api_result<T>; the blocking form throws
// api_exception carrying the same value.
#pragma once

#include <overworld/core/error.hpp>

#include <boost/assert/source_location.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace overworld::coc {

enum class error_kind {
  bad_request = 1,  ///< 400 badRequest: a parameter the API does not accept
  access_denied,    ///< 403 accessDenied: missing, wrong or revoked key
  invalid_ip,       ///< 403 accessDenied.invalidIp: the key is not allowed from this address
  not_found,        ///< 404 notFound
  throttled,        ///< 429 requestThrottled: this key sent too much
  maintenance,      ///< 503 inMaintenance: the whole API is down for a game update
  server_error,     ///< 500 unknownException and other 5xx answers
  gateway,          ///< 502 and 504 from the gateway in front of the API
  timeout,          ///< no answer in time
  transport,        ///< connection refused, reset, TLS failure…
  decode,           ///< a 2xx body that is not the JSON the call expects
  private_war_log,  ///< 403 accessDenied without message on /warlog or /currentwar
};

std::string_view to_string(error_kind k) noexcept;

/// error_kind as an error_code, for code that only carries error codes.
boost::system::error_category const& api_category() noexcept;
inline error_code make_error_code(error_kind k) noexcept { return {static_cast<int>(k), api_category()}; }

struct error {
  error_kind kind = error_kind::transport;
  unsigned status = 0;  ///< HTTP status; 0 when no answer came
  std::string reason;   ///< the API's reason ("notFound", "accessDenied.invalidIp"), empty if none
  std::string message;  ///< the API's message, text of an HTML page, or the transport error
  std::string path;     ///< the request path (with query) the error belongs to
  std::optional<std::chrono::seconds> retry_after;  ///< from a Retry-After header (the API sends none today)
  error_code code;                                  ///< the underlying error for timeout, transport and decode

  /// One line for logs: "404 notFound: Not found with tag 2PP (GET /players/%232PP)".
  std::string describe() const;
};

/// Maps an error answer to an error. The body may be the API's JSON, an HTML page (gateways,
/// maintenance) or empty; `path` is the request path, used to recognise a private war log;
/// `retry_after` is the raw Retry-After header when there was one (delta seconds).
error error_from_response(unsigned status, std::string_view body, std::string_view path,
                          std::optional<std::string_view> retry_after = std::nullopt);

/// A request that got no answer: errc::timeout and timed_out map to error_kind::timeout, anything
/// else to error_kind::transport.
error error_from_transport(error_code code, std::string_view path);

/// A 2xx answer whose body could not be read as the expected JSON.
error decode_error(std::string_view path, std::string message, unsigned status = 200);

/// Retry-After as delta seconds ("120"); nullopt for anything else (including HTTP dates).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) noexcept;

/// Thrown by the blocking forms of the SDK's calls.
class api_exception : public std::runtime_error {
 public:
  explicit api_exception(coc::error e);
  coc::error const& error() const noexcept { return error_; }

 private:
  coc::error error_;
};

/// Lets api_result<T>::value() throw api_exception.
[[noreturn]] void throw_exception_from_error(error const& e, boost::source_location const& loc);

/// The outcome of an SDK call.
template <class T>
using api_result = boost::system::result<T, error>;

}  // namespace overworld::coc

template <>
struct boost::system::is_error_code_enum<overworld::coc::error_kind> : std::true_type {};
