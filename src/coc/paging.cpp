#include <overworld/coc/paging.hpp>

#include <simdjson.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
namespace od = simdjson::ondemand;

}  // namespace

std::string after_cursor(std::string_view body) {
  simdjson::padded_string padded{body};
  od::parser parser;
  od::document doc;
  std::string_view after;
  if (parser.iterate(padded).get(doc) || doc["paging"]["cursors"]["after"].get_string().get(after)) return {};
  return std::string{after};
}

api_result<std::vector<std::string>> list_items(std::string_view body) {
  simdjson::padded_string padded{body};
  od::parser parser;
  od::document doc;
  od::array items;
  std::vector<std::string> out;
  auto fail = [] {
    return api_result<std::vector<std::string>>{boost::system::in_place_error,
                                                decode_error({}, "the answer has no readable items array")};
  };
  if (parser.iterate(padded).get(doc) || doc["items"].get_array().get(items)) return fail();
  for (auto item : items) {
    std::string_view raw;
    od::value v;
    if (item.get(v) || simdjson::to_json_string(v).get(raw)) return fail();
    out.emplace_back(raw);
  }
  return out;
}

asio::awaitable<api_result<std::vector<std::string>>> all_items(pager::fetch_page fetch, unsigned page_size) {
  pager walk{std::move(fetch), page_size};
  std::vector<std::string> out;
  while (auto page = co_await walk.next()) {
    if (!*page) co_return api_result<std::vector<std::string>>{boost::system::in_place_error, page->error()};
    auto items = list_items((*page)->body());
    if (!items) co_return items;
    std::move(items->begin(), items->end(), std::back_inserter(out));
  }
  co_return out;
}

namespace {

struct batch {
  std::vector<tag_result> results;
  std::function<client::call(std::string)> call;
  std::atomic<std::size_t> next{0};
};

// Takes the next tag until none is left; each slot is written by the worker that took it.
asio::awaitable<void> batch_worker(std::shared_ptr<batch> b) {
  for (;;) {
    auto const i = b->next.fetch_add(1);
    if (i >= b->results.size()) co_return;
    auto op = b->call(b->results[i].tag);
    b->results[i].result = co_await std::move(op);
  }
}

}  // namespace

asio::awaitable<std::vector<tag_result>> for_each_tag(std::vector<std::string> tags,
                                                      std::function<client::call(std::string)> call,
                                                      unsigned concurrency) {
  auto b = std::make_shared<batch>();
  b->call = std::move(call);
  b->results.reserve(tags.size());
  for (auto& t : tags) b->results.push_back(tag_result{std::move(t), {}});
  auto const workers = std::min<std::size_t>(std::max(concurrency, 1U), b->results.size());
  if (workers == 0) co_return std::vector<tag_result>{};

  auto ex = co_await asio::this_coro::executor;
  using op_type = decltype(asio::co_spawn(ex, batch_worker(b), asio::deferred));
  std::vector<op_type> ops;
  ops.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) ops.push_back(asio::co_spawn(ex, batch_worker(b), asio::deferred));
  auto group = asio::experimental::make_parallel_group(std::move(ops));
  co_await group.async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
  co_return std::move(b->results);
}

asio::awaitable<std::vector<tag_result>> players(client& c, std::vector<std::string> tags, unsigned concurrency) {
  std::function<client::call(std::string)> call = [&c](std::string const& tag) { return c.player(tag); };
  co_return co_await for_each_tag(std::move(tags), std::move(call), concurrency);
}

asio::awaitable<std::vector<tag_result>> clans(client& c, std::vector<std::string> tags, unsigned concurrency) {
  std::function<client::call(std::string)> call = [&c](std::string const& tag) { return c.clan(tag); };
  co_return co_await for_each_tag(std::move(tags), std::move(call), concurrency);
}

}  // namespace overworld::coc
