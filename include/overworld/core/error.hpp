// Error codes and result<T>: every parse and I/O path returns a value, never throws.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string_view>

namespace overworld {

template <class T>
using result = boost::system::result<T>;
using error_code = boost::system::error_code;

/// Errors raised by Overworld itself (transport errors keep their Asio/Beast codes).
enum class errc {
  ok = 0,
  invalid_argument,  ///< a value given by the caller is malformed
  bad_config,        ///< configuration file, variable or flag is invalid
  parse_error,       ///< bytes from outside could not be parsed
  not_found,         ///< the thing asked for does not exist
  too_large,         ///< a size limit was hit
  timeout,           ///< a deadline passed
  tls_error,         ///< TLS handshake or certificate verification failed
  protocol_error,    ///< the peer broke the protocol
  unsupported,       ///< a feature asked for is not supported
  io_error,          ///< a file or socket operation failed
  shutting_down,     ///< the component is stopping
  data_corrupt,      ///< stored data failed an integrity check; nothing more is read or written
  unavailable,       ///< a server this depends on (a database) cannot be reached for now
};

boost::system::error_category const& overworld_category() noexcept;

inline error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), overworld_category()}; }

}  // namespace overworld

template <>
struct boost::system::is_error_code_enum<overworld::errc> : std::true_type {};
