// clan_members TAG: the members of a clan as a table, page by page with the coroutine form.
#include "common.hpp"

#include <overworld/coc/api.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdio>

namespace {

boost::asio::awaitable<int> print_members(overworld::coc::api& api, std::string tag) {
  overworld::coc::paging page{.limit = 20};
  std::printf("%4s  %-16s %-12s %-10s %8s %9s\n", "rank", "name", "tag", "role", "trophies", "donations");
  for (;;) {
    auto members = co_await api.clan_members(tag, page);
    if (!members) {
      std::fprintf(stderr, "%s\n", members.error().describe().c_str());
      co_return 1;
    }
    for (auto const& m : members->items) {
      std::printf("%4d  %-16s %-12s %-10s %8d %9d\n", m.clan_rank, m.name.c_str(), m.tag.c_str(),
                  std::string{overworld::coc::display_name(m.role)}.c_str(), m.trophies, m.donations);
    }
    std::optional<std::string> next;
    if (members->paging && members->paging->cursors) next = members->paging->cursors->after;
    if (!next || next->empty()) co_return 0;
    page.after = *next;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: clan_members TAG\n";
    return 2;
  }
  auto options = example::options_from_environment();
  if (!options) return 2;
  overworld::coc::client client{*options};
  overworld::coc::api api{client};
  boost::asio::io_context ioc;
  auto status = boost::asio::co_spawn(ioc, print_members(api, argv[1]), boost::asio::use_future);
  ioc.run();
  return status.get();
}
