// Paging of CoC lists: `limit`, `after`, `before`, and cursors that are unpadded base64url of
// {"pos":N}, exactly as the real API mints them (so clients that decode them keep working).
#pragma once

#include <overworld/core/base64.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::sandbox {

/// "eyJwb3MiOjIwfQ" for 20.
std::string encode_cursor(std::size_t pos);
/// The position of a cursor; nullopt when it is not base64url of {"pos":N}.
std::optional<std::size_t> decode_cursor(std::string_view cursor);

struct page_request {
  std::optional<std::size_t> limit;
  std::optional<std::size_t> after;   ///< first position of the page
  std::optional<std::size_t> before;  ///< position just past the page
  bool paged() const noexcept { return limit || after || before; }
};

/// Reads the query values; nullopt with the client's message (a 400) when they are wrong:
/// a limit that is not a positive number, an unreadable cursor, or both after and before.
std::optional<page_request> parse_page_request(std::optional<std::string> const& limit,
                                               std::optional<std::string> const& after,
                                               std::optional<std::string> const& before, std::string& why);

/// A list as the API pages it: each item's compact JSON, and the whole response as stored (the
/// bytes a request without paging gets, untouched).
struct paged_list {
  std::vector<std::string> items;
  std::shared_ptr<std::string const> whole;  ///< null: assembled from the items
};

/// {"items":[…],"paging":{"cursors":{…}}} for `count` items where `item(i)` is the i-th item's JSON.
std::string render_page(std::size_t count, std::function<std::string const&(std::size_t)> const& item,
                        page_request const& page);
/// The page of a stored list: its recorded bytes when the request is not paged.
std::shared_ptr<std::string const> render_page(paged_list const& list, page_request const& page);

}  // namespace overworld::sandbox
