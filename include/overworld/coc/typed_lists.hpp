// Typed lists the easy way: every item of a paged list in a range-for, and many tags fetched at
// once with each answer handed over as it comes.
//
//   overworld::coc::blocking_client coc{key};
//   for (auto const& m : coc.clan_members_all("#2PP")) std::cout << m.name << '\n';   // pages followed
//
//   co_await coc::each_answer<coc::player>(tags, [&](std::string tag) { return api.player(tag); },
//                                          [](std::string const& tag, api_result<coc::player>& r) { … });
#pragma once

#include <overworld/coc/api.hpp>
#include <overworld/coc/paging.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace overworld::coc {

/// The item type of a typed list call (call<list<T>> → T).
template <class Call>
struct list_item;
template <class T>
struct list_item<boost::asio::awaitable<api_result<list<T>>>> {
  using type = T;
};

/// Every item of a paged list as an input range for blocking code: pages are fetched as the loop
/// reaches them, following the `after` cursors. A failed page throws api_exception from the
/// loop (as value() does); a list that is already known is not fetched again.
template <class T>
class paged_items {
  struct state;

 public:
  using fetch_page = typename item_pager<T>::fetch_page;

  paged_items(coc::client& c, fetch_page fetch, unsigned page_size = 0)
      : state_{std::make_shared<state>(c, item_pager<T>{std::move(fetch), page_size})} {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    iterator() = default;
    explicit iterator(std::shared_ptr<state> s) : s_{std::move(s)} { s_->fill(); }
    T& operator*() const { return s_->items[s_->index]; }
    T* operator->() const { return &s_->items[s_->index]; }
    iterator& operator++() {
      ++s_->index;
      s_->fill();
      return *this;
    }
    void operator++(int) { ++*this; }
    /// Equal to end() once every page has been read.
    bool operator==(std::default_sentinel_t) const { return !s_ || s_->at_end(); }

   private:
    std::shared_ptr<state> s_;
  };

  /// Starts the walk (the first page is fetched here); a range is walked once.
  iterator begin() { return iterator{state_}; }
  std::default_sentinel_t end() const noexcept { return {}; }
  /// Pages fetched so far.
  unsigned pages() const noexcept { return state_->pager.pages(); }

 private:
  struct state {
    state(coc::client& c, item_pager<T> p) : client{&c}, pager{std::move(p)} {}
    coc::client* client;
    item_pager<T> pager;
    std::vector<T> items;  // the current page's
    std::size_t index = 0;

    bool at_end() const noexcept { return index >= items.size() && pager.done(); }
    // Fetches pages until one has an item at `index` or the list ends.
    void fill() {
      while (index >= items.size() && !pager.done()) {
        auto page = client->wait(pager.next());
        if (!page) return;
        if (!*page) throw api_exception{page->error()};
        items = std::move((*page)->items);
        index = 0;
      }
    }
  };
  std::shared_ptr<state> state_;
};

namespace detail {

template <class T>
struct each_state {
  std::vector<std::string> tags;
  std::function<boost::asio::awaitable<api_result<T>>(std::string)> fetch;
  std::function<void(std::string const&, api_result<T>&)> on_answer;
  std::atomic<std::size_t> next{0};
};

// Takes the next tag until none is left, and hands its answer over.
template <class T>
boost::asio::awaitable<void> each_worker(std::shared_ptr<each_state<T>> s) {
  for (;;) {
    auto const i = s->next.fetch_add(1);
    if (i >= s->tags.size()) co_return;
    auto op = s->fetch(s->tags[i]);
    auto answer = co_await std::move(op);
    s->on_answer(s->tags[i], answer);
  }
}

}  // namespace detail

/// Calls `fetch(tag)` for every tag, at most `concurrency` at a time (the client's key limiter
/// still paces them), and hands each answer to `on_answer(tag, result)` as soon as it arrives, in
/// the order answers come. The handlers run on the caller's executor; on a one-threaded executor
/// (the client's own, or an io_context run by one thread) never two at once. Returns when every
/// answer has been handed over.
template <class T>
boost::asio::awaitable<void> each_answer(std::vector<std::string> tags,
                                         std::function<boost::asio::awaitable<api_result<T>>(std::string)> fetch,
                                         std::function<void(std::string const&, api_result<T>&)> on_answer,
                                         unsigned concurrency = 16) {
  auto s = std::make_shared<detail::each_state<T>>();
  s->tags = std::move(tags);
  s->fetch = std::move(fetch);
  s->on_answer = std::move(on_answer);
  auto const workers = std::min<std::size_t>(std::max(concurrency, 1U), s->tags.size());
  if (workers == 0) co_return;
  auto ex = co_await boost::asio::this_coro::executor;
  using op_type = decltype(boost::asio::co_spawn(ex, detail::each_worker<T>(s), boost::asio::deferred));
  std::vector<op_type> ops;
  ops.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    ops.push_back(boost::asio::co_spawn(ex, detail::each_worker<T>(s), boost::asio::deferred));
  }
  auto group = boost::asio::experimental::make_parallel_group(std::move(ops));
  co_await group.async_wait(boost::asio::experimental::wait_for_all(), boost::asio::use_awaitable);
}

}  // namespace overworld::coc
