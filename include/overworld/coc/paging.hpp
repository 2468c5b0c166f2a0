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

class pager {
 public:
  using fetch_page = std::function<client::call(paging)>;

  /// `page_size` is the `limit` of each request (0: the API's default, all items at once).
  explicit pager(fetch_page fetch, unsigned page_size = 0);

  /// The next page; nullopt after the last one. An error ends the walk: next() then returns nullopt.
  boost::asio::awaitable<std::optional<api_result<raw_response>>> next();

  bool done() const noexcept { return done_; }
  unsigned pages() const noexcept { return pages_; }

 private:
  fetch_page fetch_;
  unsigned page_size_;
  std::string after_;
  bool done_ = false;
  unsigned pages_ = 0;
};

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
