// Typed lists against the in-process sandbox: a range-for over every item of a paged list (pages
// fetched as the loop reaches them, errors thrown from the loop), and a batch that hands each
// answer over as it arrives.
#include "server/sandbox/support.hpp"

#include <overworld/coc/blocking.hpp>
#include <overworld/coc/typed_lists.hpp>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <map>
#include <set>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;
using sandbox::testing::sandbox_server;
using sandbox::testing::test_key;

sandbox_server& shared_sandbox() {
  static sandbox_server server;
  return server;
}

std::string base_url() { return "http://127.0.0.1:" + std::to_string(shared_sandbox().server.port()) + "/v1"; }

TEST(coc_typed_lists, EveryPagedOperationOfTheTableHasItsRange) {
  std::set<std::string_view> table, ranges;
  for (auto const& o : operations()) {
    if (o.paged) table.insert(o.name);
  }
#define OVERWORLD_TEST_RANGE(name, shape) ranges.insert(#name);
#define OVERWORLD_TEST_NAME(name, method, route, shape, query, pg, model) \
  OVERWORLD_COC_IF_PAGED(pg, OVERWORLD_TEST_RANGE, name, shape)
  OVERWORLD_COC_OPERATIONS(OVERWORLD_TEST_NAME)
#undef OVERWORLD_TEST_NAME
#undef OVERWORLD_TEST_RANGE
  EXPECT_EQ(table, ranges);
  EXPECT_TRUE(ranges.contains("search_clans"));
}

TEST(coc_typed_lists, RangeForFollowsThePages) {
  blocking_client coc{test_key, base_url().c_str()};
  auto const whole = coc.clan_members("#29Y8PRCJR").value().items;
  ASSERT_GE(whole.size(), 3U);  // at least two pages of two
  coc.page_size(2);
  auto members = coc.clan_members_all("#29Y8PRCJR");
  std::vector<std::string> tags;
  for (auto const& m : members) tags.push_back(m.tag);
  ASSERT_EQ(tags.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(tags[i], whole[i].tag) << i;
  EXPECT_EQ(members.pages(), (whole.size() + 1) / 2);

  // The API's own page: one request. Other operations have their ranges under the same names.
  coc.page_size(0);
  auto one_page = coc.clan_members_all("#29Y8PRCJR");
  std::size_t count = 0;
  for (auto const& m : one_page) count += m.tag.empty() ? 0 : 1;
  EXPECT_EQ(count, whole.size());
  EXPECT_EQ(one_page.pages(), 1U);
  std::size_t locations = 0;
  for (auto const& l : coc.locations_all()) locations += l.id > 0 ? 1 : 0;
  EXPECT_GT(locations, 0U);
  coc.page_size(3);
  // Pages come as the loop reaches them: seven items of a long list are three pages of three.
  clan_search search;
  search.min_members = 1;
  auto clans = coc.search_clans_all(search);
  std::size_t found = 0;
  for (auto const& c : clans) {
    if (!c.tag.empty() && ++found == 7) break;
  }
  EXPECT_EQ(found, 7U);
  EXPECT_EQ(clans.pages(), 3U);
  auto rankings = coc.clan_rankings_all(location_ref::global());
  int last_rank = 0;
  for (auto const& r : rankings) {
    EXPECT_GT(r.rank, last_rank);
    if ((last_rank = r.rank) >= 5) break;
  }
  EXPECT_EQ(rankings.pages(), 2U);
}

TEST(coc_typed_lists, AFailedPageThrowsFromTheLoop) {
  blocking_client coc{test_key, base_url().c_str()};
  std::size_t seen = 0;
  try {
    for (auto const& m : coc.clan_members_all("#2PPPPPP")) seen += m.tag.empty() ? 0 : 1;
    FAIL() << "no error";
  } catch (api_exception const& e) {
    EXPECT_EQ(e.error().kind, error_kind::not_found);
  }
  EXPECT_EQ(seen, 0U);
}

TEST(coc_typed_lists, EachAnswerIsHandedOverAsItComes) {
  blocking_client coc{test_key, base_url().c_str()};
  auto const member = coc.clan_members("#29Y8PRCJR").value().items.at(0).tag;
  std::vector<std::string> const tags{"#2PP", "#2PPPPPP", member, "#2PP"};
  std::vector<std::string> order;
  std::map<std::string, int> found;
  coc.each_player(
      tags,
      [&](std::string const& tag, api_result<player>& r) {
        order.push_back(tag);
        if (r) {
          EXPECT_EQ(r->tag, tag);
          ++found[tag];
        } else {
          EXPECT_EQ(r.error().kind, error_kind::not_found) << tag;
        }
      },
      2);
  EXPECT_EQ(order.size(), tags.size());
  EXPECT_EQ(std::multiset<std::string>(order.begin(), order.end()),
            std::multiset<std::string>(tags.begin(), tags.end()));
  EXPECT_EQ(found["#2PP"], 2);
  EXPECT_EQ(found.count("#2PPPPPP"), 0U);

  // The coroutine form on the caller's executor, and no tags at all.
  client_options options;
  options.base_url = base_url();
  options.keys = {test_key};
  client c{options};
  api typed{c};
  std::size_t clans = 0;
  std::function<api::call<clan>(std::string)> fetch = [&typed](std::string tag) { return typed.clan(tag); };
  std::function<void(std::string const&, api_result<clan>&)> count = [&](std::string const&, api_result<clan>& r) {
    clans += r ? 1 : 0;
  };
  asio::io_context ioc;
  auto done = asio::co_spawn(ioc, each_answer<clan>({"#29Y8PRCJR", "#2PP"}, fetch, count, 4), asio::use_future);
  auto none = asio::co_spawn(ioc, each_answer<clan>({}, fetch, count), asio::use_future);
  ioc.run();
  done.get();
  none.get();
  EXPECT_EQ(clans, 2U);
}

}  // namespace
}  // namespace overworld::coc
