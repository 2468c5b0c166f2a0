// How the SDK turns HTTP outcomes into toon::error values, and runs a call on its client's thread
// (internal to the SDK).
#pragma once

#include <overworld/http/client.hpp>
#include <overworld/toon/errors.hpp>
#include <overworld/toon/poller.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace overworld::toon::detail {

/// A non-2xx answer as an error: the kind from the status, the message from the body's "error",
/// "friendlyreason", "banner" or "message" member (or its text), Retry-After when sent.
error error_from_answer(unsigned status, std::string_view body, std::string url,
                        std::optional<std::string_view> retry_after = std::nullopt);
/// A request that got no answer.
error error_from_transport(error_code code, std::string url);
/// A 2xx body that is not what the call expects.
error decode_failure(std::string url, std::string_view body, std::string what, unsigned status = 200);
/// TTR's {"error":"…"} envelope in place of data.
error api_envelope(std::string url, std::string_view body, std::string message, unsigned status = 200);

/// Retry-After as delta seconds; nullopt for anything else (HTTP dates included).
std::optional<std::chrono::seconds> retry_after_seconds(std::string_view value) noexcept;

template <class T>
api_result<T> failure(error e) {
  return api_result<T>{boost::system::in_place_error, std::move(e)};
}

/// Runs `op` on the client's thread and comes back to the caller's executor.
template <class T>
boost::asio::awaitable<T> on_thread(io_thread* io, boost::asio::awaitable<T> op) {
  if (io->running_here()) co_return co_await std::move(op);
  auto hop = boost::asio::co_spawn(io->executor(), std::move(op), boost::asio::use_awaitable);
  co_return co_await std::move(hop);
}

/// "https://host:port" with the trailing '/' removed; throws std::invalid_argument when
/// parse_url refuses it. `who` names the client in the message.
std::string checked_base_url(std::string base, std::string_view who);

/// The options of the HTTP client with the SDK's User-Agent.
http::client_options http_options(polling_options const& o);

}  // namespace overworld::toon::detail
