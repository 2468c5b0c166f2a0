// war_status CLAN_TAG: the war the clan is really in (regular or Clan War League) and its score,
// through the typed resolver.
#include "common.hpp"

#include <overworld/coc/api.hpp>

#include <chrono>

int main(int argc, char** argv) {
  namespace coc = overworld::coc;
  if (argc != 2) {
    std::cerr << "usage: war_status CLAN_TAG\n";
    return 2;
  }
  auto options = example::options_from_environment();
  if (!options) return 2;
  coc::client client{*options};
  coc::api api{client};
  auto found = client.wait(coc::resolve_war(api, argv[1]));
  if (!found) {
    std::cerr << found.error().describe() << "\n";
    return 1;
  }
  if (found->source == coc::war_source::none || !found->war) {
    std::cout << "not in war\n";
    return 0;
  }
  if (found->source == coc::war_source::league) {
    std::cout << "Clan War League, round " << found->round << " (" << found->war_tag << "): ";
  } else {
    std::cout << "regular war: ";
  }
  std::cout << coc::display_name(found->state) << "\n";
  auto const& war = *found->war;
  auto side = [](std::optional<coc::war_clan> const& c) {
    if (!c) return std::string{"?"};
    return c->name.value_or("?") + " " + std::to_string(c->stars.value_or(0)) + " stars, " +
           std::to_string(c->destruction_percentage ? c->destruction_percentage->value : 0.0) + "%";
  };
  std::cout << "  " << side(war.clan) << "\n  " << side(war.opponent) << "\n";
  if (auto ends = coc::to_time(war.end_time)) {
    auto const left = std::chrono::floor<std::chrono::minutes>(*ends - std::chrono::system_clock::now());
    std::cout << "  ends " << *war.end_time;
    if (left.count() > 0) std::cout << " (in " << left.count() << " min)";
    std::cout << "\n";
  }
  return 0;
}
