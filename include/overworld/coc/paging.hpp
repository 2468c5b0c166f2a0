// Walking paged lists and fetching many tags at once.
//
// A pager follows a list operation's `paging.cursors.after` from page to page:
//
//   coc::pager members{[&](coc::paging p) { return api.clan_members("#2PP", p); }, 50};
//   while (auto page = co_await members.next()) { … page->body() … }   // stops at the end or an error
//
// The batch helpers run one call per tag, at most `concurrency` at a time; the client's key limiter
// still decides how fast requests leave. Each tag gets its own result, so one missing player does
// not fail the others.
#pragma once

#include <overworld/coc/client.hpp>
#include <overworld/coc/models/common.hpp>

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace overworld::coc {

/// The `paging.cursors.after` of a list answer; empty on the last page (or when there is none).
std::string after_cursor(std::string_view body);

/// The raw JSON of each element of a list answer's `items`; a decode error when there is no such array.
api_result<std::vector<std::string>> list_items(std::string_view body);

/// The cursor to the next page of an answer: a raw answer's `paging.cursors.after`, or a typed
/// list's; empty on the last page.
inline std::string next_cursor(raw_response const& page) { return after_cursor(page.body()); }
template <class T>
std::string next_cursor(list<T> const& page) {
  if (page.paging && page.paging->cursors && page.paging->cursors->after) return *page.paging->cursors->after;
  return {};
}

/// Walks a list operation page by page, following the `after` cursors. `Page` is a raw answer
/// (`pager`) or a typed list (`item_pager<T>`, with the typed api).
template <class Page>
class cursor_pager {
 public:
  using fetch_page = std::function<boost::asio::awaitable<api_result<Page>>(paging)>;

  /// `page_size` is the `limit` of each request (0: the API's default, all items at once).
  explicit cursor_pager(fetch_page fetch, unsigned page_size = 0) : fetch_(std::move(fetch)), page_size_(page_size) {}

  /// The next page; nullopt after the last one. An error ends the walk: next() then returns nullopt.
  boost::asio::awaitable<std::optional<api_result<Page>>> next() {
    if (done_) co_return std::nullopt;
    paging p;
    if (page_size_ > 0) p.limit = page_size_;
    p.after = after_;
    auto op = fetch_(std::move(p));
    auto page = co_await std::move(op);
    ++pages_;
    after_ = page ? next_cursor(*page) : std::string{};
    done_ = after_.empty();
    co_return std::optional<api_result<Page>>{std::move(page)};
  }

  bool done() const noexcept { return done_; }
  unsigned pages() const noexcept { return pages_; }

 private:
  fetch_page fetch_;
  unsigned page_size_;
  std::string after_;
  bool done_ = false;
  unsigned pages_ = 0;
};

/// Raw pages (the body as JSON bytes).
using pager = cursor_pager<raw_response>;
/// Typed pages of a list of T: `item_pager<coc::clan_member> pages{[&](coc::paging p) {
/// return api.clan_members(tag, p); }, 20};`
template <class T>
using item_pager = cursor_pager<list<T>>;

/// Every item of a paged list, following the cursors (`page_size` per request), as raw JSON.
boost::asio::awaitable<api_result<std::vector<std::string>>> all_items(pager::fetch_page fetch, unsigned page_size);

struct tag_result {
  std::string tag;  ///< as given
  api_result<raw_response> result;
};

/// GET /players/{tag} and /clans/{tag} for every tag, in the order given.
boost::asio::awaitable<std::vector<tag_result>> players(client& c, std::vector<std::string> tags,
                                                        unsigned concurrency = 16);
boost::asio::awaitable<std::vector<tag_result>> clans(client& c, std::vector<std::string> tags,
                                                      unsigned concurrency = 16);

/// The general form: `call(tag)` for every tag.
boost::asio::awaitable<std::vector<tag_result>> for_each_tag(std::vector<std::string> tags,
                                                             std::function<client::call(std::string)> call,
                                                             unsigned concurrency = 16);

}  // namespace overworld::coc
