// What can go wrong with a call of any of the SDK's game clients, as one value: the API's own
// error answers (mapped by the game's client, which knows how its API words them), transport
// failures and bodies that could not be decoded. Every call returns api_result<T>; value() on a
// failed result throws api_exception carrying the same value.
#pragma once

#include <overworld/core/error.hpp>

#include <boost/assert/source_location.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace overworld::sdk {

enum class error_kind {
  bad_request = 1,  ///< 400 and other 4xx: a parameter the API does not accept
  access_denied,    ///< 401, 403: missing, wrong or revoked key or token
  invalid_ip,       ///< 403 accessDenied.invalidIp (CoC): the key is not allowed from this address
  not_found,        ///< 404, 410, or the API's own "nothing here" (a `null` news post)
  throttled,        ///< 429, or a client-side limit that would have to wait longer than allowed
  maintenance,      ///< 503 inMaintenance (CoC): the whole API is down for a game update
  server_error,     ///< 500 and other 5xx answers, or an API's error envelope in place of data
  gateway,          ///< 502 and 504 from the gateway in front of the API
  timeout,          ///< no answer in time (and 408)
  transport,        ///< connection refused or reset, TLS failure, bad URL…
  decode,           ///< a 2xx body that is not the JSON the call expects
  private_war_log,  ///< 403 accessDenied without message on /warlog or /currentwar (CoC)
};

/// "bad request", "access denied", … (for messages).
std::string_view to_string(error_kind k) noexcept;
/// "bad_request", "access_denied", … (for metric labels and scripts).
std::string_view metric_name(error_kind k) noexcept;

/// error_kind as an error_code, for code that only carries error codes.
boost::system::error_category const& api_category() noexcept;
inline error_code make_error_code(error_kind k) noexcept { return {static_cast<int>(k), api_category()}; }

struct error {
  error_kind kind = error_kind::transport;
  unsigned status = 0;  ///< HTTP status; 0 when no answer came (or nothing was sent)
  std::string reason;   ///< the API's reason code ("notFound", "accessDenied.invalidIp"), empty if none
  std::string message;  ///< the API's message, the text of an HTML page, or what failed
  std::string path;     ///< what was asked: the path relative to the API's base (with its query), or the URL
  std::string body;     ///< the answer's body as sent, when the game's client keeps it (Toontown does)
  std::optional<std::chrono::seconds> retry_after;  ///< from a Retry-After header
  error_code code;                                  ///< the transport or parse error underneath, when there is one

  /// One line for logs: "404 notFound: Not found with tag 2PP (/players/%232PP)".
  std::string describe() const;
};

/// The kind a status stands for before the body is read: 400 (and other 4xx) bad_request, 401/403
/// access_denied, 404/410 not_found, 408 timeout, 429 throttled, 502/504 gateway, 5xx server_error.
/// A game's client refines it from the body (CoC's reasons, TTR's envelope).
error_kind kind_from_status(unsigned status) noexcept;

/// A request that got no answer: errc::timeout and timed_out map to error_kind::timeout, anything
/// else to error_kind::transport.
error error_from_transport(error_code code, std::string_view path);

/// A 2xx answer whose body could not be read as the expected JSON.
error decode_error(std::string_view path, std::string message, unsigned status = 200);

/// Retry-After as delta seconds ("120"); nullopt for anything else (including HTTP dates).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) noexcept;

/// Thrown by value() on a failed api_result, and by the blocking clients.
class api_exception : public std::runtime_error {
 public:
  explicit api_exception(sdk::error e);
  sdk::error const& error() const noexcept { return error_; }

 private:
  sdk::error error_;
};

/// Lets api_result<T>::value() throw api_exception.
[[noreturn]] void throw_exception_from_error(error const& e, boost::source_location const& loc);

/// The outcome of an SDK call.
template <class T>
using api_result = boost::system::result<T, error>;

/// A failed api_result<T>.
template <class T>
api_result<T> failure(error e) {
  return api_result<T>{boost::system::in_place_error, std::move(e)};
}

}  // namespace overworld::sdk

template <>
struct boost::system::is_error_code_enum<overworld::sdk::error_kind> : std::true_type {};
