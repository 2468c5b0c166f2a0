// What can go wrong with a Clash of Clans API call: the SDK's one error family (sdk/errors.hpp),
// and how the API's answers map to it — its `{"reason","message"}` bodies, HTML pages from
// gateways and maintenance, the private war log told apart by its path. A call returns
// api_result<T>; value() on a failed result throws api_exception carrying the same value.
#pragma once

#include <overworld/sdk/errors.hpp>

#include <optional>
#include <string_view>

namespace overworld::coc {

using sdk::api_category;
using sdk::api_exception;
using sdk::api_result;
using sdk::decode_error;
using sdk::error;
using sdk::error_from_transport;
using sdk::error_kind;
using sdk::parse_retry_after;
using sdk::to_string;

/// Maps an error answer to an error. The body may be the API's JSON, an HTML page (gateways,
/// maintenance) or empty; `path` is the request path, used to recognise a private war log;
/// `retry_after` is the raw Retry-After header when there was one (delta seconds).
error error_from_response(unsigned status, std::string_view body, std::string_view path,
                          std::optional<std::string_view> retry_after = std::nullopt);

}  // namespace overworld::coc
