// The one way `overworld` reports a failure: "overworld: <what went wrong, in words>: <the API's
// message> (<status> <reason>, <full URL>)" on stderr, or under -o json one JSON object on stderr:
// {"error":{"exit":N,"kind":"not_found","status":404,"reason":"notFound","message":"…","url":"…"}}.
#pragma once

#include "exit_codes.hpp"

#include <overworld/sdk/errors.hpp>

#include <string>
#include <string_view>

namespace overworld::cli {

/// Errors as JSON objects (set once by the frame when the output format is JSON).
void set_errors_as_json(bool json) noexcept;

/// "overworld: message" on stderr (or its JSON form); returns `code`. A `code` of 0 is a notice.
int fail(int code, std::string_view message);

/// "overworld: message (url)" — a failure that is not an SDK error but concerns `url`.
int fail(int code, std::string_view message, std::string_view url);

/// What a failed call means for this command, where the generic words would not say it.
struct error_words {
  std::string not_found;  ///< e.g. "clan #2PP is not in a Clan War League group"
  std::string base_url;   ///< the API's base URL, joined with the error's relative path
  bool coc = false;       ///< a Clash of Clans base URL (hint when a 404 comes from a URL without /v1)
};

/// The failure of an SDK call, in words, with its exit code (exit_codes.hpp); returns that code.
int fail(sdk::error const& e, error_words const& words = {});

/// The words for an error kind alone ("not found", "the API key was refused"…).
std::string describe_kind(sdk::error const& e);

}  // namespace overworld::cli
