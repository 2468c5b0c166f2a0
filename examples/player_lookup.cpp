// player_lookup TAG: a player's profile, with the blocking form of the typed API.
#include "common.hpp"

#include <overworld/coc/api.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: player_lookup TAG\n";
    return 2;
  }
  auto options = example::options_from_environment();
  if (!options) return 2;
  overworld::coc::client client{*options};
  overworld::coc::api api{client};

  auto p = api.wait(api.player(argv[1]));
  if (!p) {
    std::cerr << p.error().describe() << "\n";
    return 1;
  }
  std::cout << p->name << " (" << p->tag << ")\n"
            << "  town hall " << p->town_hall_level << ", experience level " << p->exp_level << "\n"
            << "  trophies " << p->trophies << " (best " << p->best_trophies << "), war stars " << p->war_stars << "\n";
  if (p->clan) {
    std::cout << "  clan " << p->clan->name << " (" << p->clan->tag << ")";
    if (p->role) std::cout << " as " << overworld::coc::display_name(*p->role);
    std::cout << "\n";
  }
  if (p->heroes) {
    for (auto const& h : *p->heroes) std::cout << "  " << h.name << " level " << h.level << "/" << h.max_level << "\n";
  }
  return 0;
}
