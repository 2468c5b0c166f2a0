// -v/--verbose: one line on stderr per HTTP exchange — method, URL (never the key: it travels in
// a header), status, time and whether the answer came from the cache or a retry.
#pragma once

#include <overworld/sdk/pipeline.hpp>

#include <string>

namespace overworld::cli {

/// A response hook that logs each exchange of a client whose paths are relative to `base_url`.
sdk::response_hook request_log(std::string base_url);

}  // namespace overworld::cli
