// overworld: the command line on the Clash of Clans and Toontown SDKs.
#include "coc_commands.hpp"
#include "command_line.hpp"
#include "completion.hpp"
#include "config_command.hpp"
#include "toon_commands.hpp"

int main(int argc, char** argv) {
  overworld::cli::command_line cl;
  overworld::cli::add_coc_commands(cl);
  overworld::cli::add_ttr_commands(cl);
  overworld::cli::add_ttcc_commands(cl);
  overworld::cli::add_watch_commands(cl);
  overworld::cli::add_launcher_commands(cl);
  overworld::cli::add_completion_command(cl);
  overworld::cli::add_config_commands(cl);
  return cl.run(argc, argv);
}
