// hello: the typed API in a few lines (OVERWORLD_COC_KEY; OVERWORLD_COC_URL for the sandbox).
#include <overworld/coc/blocking.hpp>

#include <cstdlib>
#include <iostream>

int main() {
  overworld::coc::blocking_client coc{std::getenv("OVERWORLD_COC_KEY"), std::getenv("OVERWORLD_COC_URL")};
  auto p = coc.player("#2PP").value();
  std::cout << p.name << ": " << p.trophies << " trophies, town hall " << p.town_hall_level << "\n";
}
