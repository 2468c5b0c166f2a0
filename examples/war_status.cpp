// war_status CLAN_TAG: the war the clan is really in (regular or Clan War League) and its score.
#include "common.hpp"

#include <overworld/coc/api.hpp>
#include <overworld/coc/war.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: war_status CLAN_TAG\n";
    return 2;
  }
  auto options = example::options_from_environment();
  if (!options) return 2;
  overworld::coc::client client{*options};
  boost::asio::io_context ioc;
  auto found =
      boost::asio::co_spawn(ioc, overworld::coc::resolve_current_war(client, argv[1]), boost::asio::use_future);
  ioc.run();
  auto war = found.get();
  if (!war) {
    std::cerr << war.error().describe() << "\n";
    return 1;
  }
  if (war->source == overworld::coc::war_source::none || !war->war) {
    std::cout << "not in war\n";
    return 0;
  }
  auto details = overworld::coc::decode_response<overworld::coc::clan_war>(*war->war);
  if (!details) {
    std::cerr << details.error().describe() << "\n";
    return 1;
  }
  if (war->source == overworld::coc::war_source::league) {
    std::cout << "Clan War League, round " << war->round << " (" << war->war_tag << "): ";
  } else {
    std::cout << "regular war: ";
  }
  std::cout << war->state << "\n";
  auto side = [](std::optional<overworld::coc::war_clan> const& c) {
    if (!c) return std::string{"?"};
    return c->name.value_or("?") + " " + std::to_string(c->stars.value_or(0)) + " stars, " +
           std::to_string(c->destruction_percentage ? c->destruction_percentage->value : 0.0) + "%";
  };
  std::cout << "  " << side(details->clan) << "\n  " << side(details->opponent) << "\n";
  if (auto ends = overworld::coc::to_time(details->end_time)) {
    auto const left = std::chrono::floor<std::chrono::minutes>(*ends - std::chrono::system_clock::now());
    std::cout << "  ends " << *details->end_time;
    if (left.count() > 0) std::cout << " (in " << left.count() << " min)";
    std::cout << "\n";
  }
  return 0;
}
