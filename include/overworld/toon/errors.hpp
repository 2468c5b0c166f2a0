// What can go wrong with a Toontown API call: the SDK's one error family (sdk/errors.hpp). An
// answer that is not a success maps by its status (404 not_found, 401/403 access_denied, 429
// throttled with its Retry-After, 5xx server_error), with the API's own message ("error",
// "friendlyreason", "banner") and the body as sent; TTR's {"error":…} envelope in place of data is
// a server_error; no answer is timeout or transport; a 2xx body that is not what the call expects
// is decode. Calls return api_result<T>; value() on a failed result throws api_exception.
#pragma once

#include <overworld/sdk/errors.hpp>

namespace overworld::toon {

using sdk::api_exception;
using sdk::api_result;
using sdk::error;
using sdk::error_kind;
using sdk::to_string;

}  // namespace overworld::toon
