#include "completion.hpp"
#include "tag_history.hpp"

#include <cstdlib>
#include <map>
#include <memory>

namespace overworld::cli {
namespace {

// "overworld coc player" -> its commands and options ("player clan … --limit --json"). A command
// that takes a Clash of Clans tag has the word @tags, which the scripts replace by the tags of
// the history (`overworld __tags`).
using tree = std::map<std::string, std::string>;

bool hidden(CLI::App const& app) { return app.get_name().empty() || app.get_group().empty(); }

void add_word(std::string& words, std::string const& word) {
  if ((" " + words + " ").find(" " + word + " ") == std::string::npos) words += (words.empty() ? "" : " ") + word;
}

void collect(CLI::App const& app, std::string const& path, std::string inherited, tree& out) {
  std::string words;
  for (auto const* sub : app.get_subcommands({})) {
    if (!hidden(*sub)) add_word(words, sub->get_name());
  }
  for (auto const* o : app.get_options()) {
    for (auto const& l : o->get_lnames()) add_word(inherited, "--" + l);
    for (auto const& s : o->get_snames()) add_word(inherited, "-" + s);
    if (o->get_positional() && o->get_name() == "tag") add_word(words, "@tags");
  }
  out[path] = words.empty() ? inherited : inherited.empty() ? words : words + " " + inherited;
  for (auto const* sub : app.get_subcommands({})) {
    if (!hidden(*sub)) collect(*sub, path + " " + sub->get_name(), inherited, out);
  }
}

std::string bash(tree const& t) {
  std::string out =
      "# bash completion for overworld (overworld completion bash)\n"
      "_overworld() {\n"
      "  local -A tree=(\n";
  for (auto const& [path, words] : t) out.append("    [\"").append(path).append("\"]=\"").append(words).append("\"\n");
  out +=
      "  )\n"
      "  local path=overworld w cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
      "  for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
      "    [[ -n \"${tree[$path $w]+x}\" ]] && path=\"$path $w\"\n"
      "  done\n"
      "  local words=\"${tree[$path]}\"\n"
      "  [[ \" $words \" == *\" @tags \"* ]] && words=\"${words/@tags/} $(overworld __tags 2>/dev/null)\"\n"
      "  mapfile -t COMPREPLY < <(compgen -W \"$words\" -- \"$cur\")\n"
      "}\n"
      "complete -F _overworld overworld\n";
  return out;
}

std::string zsh(tree const& t) {
  std::string out =
      "#compdef overworld\n"
      "# zsh completion for overworld (overworld completion zsh)\n"
      "_overworld() {\n"
      "  local -A tree\n"
      "  tree=(\n";
  for (auto const& [path, words] : t) out.append("    '").append(path).append("' '").append(words).append("'\n");
  out +=
      "  )\n"
      "  local path=overworld w\n"
      "  for w in ${words[2,CURRENT-1]}; do\n"
      "    (( ${+tree[$path $w]} )) && path=\"$path $w\"\n"
      "  done\n"
      "  local -a candidates=(${=tree[$path]})\n"
      "  if (( ${candidates[(Ie)@tags]} )); then\n"
      "    candidates=(${candidates:#@tags} ${(f)\"$(overworld __tags 2>/dev/null)\"})\n"
      "  fi\n"
      "  compadd -- $candidates\n"
      "}\n"
      "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _overworld \"$@\"; else compdef _overworld overworld; fi\n";
  return out;
}

std::string fish(tree const& t) {
  std::string out =
      "# fish completion for overworld (overworld completion fish)\n"
      "set -g __overworld_paths";
  for (auto const& [path, words] : t) out += " '" + path + "'";
  out +=
      "\n"
      "function __overworld_path\n"
      "  set -l path overworld\n"
      "  for w in (commandline -opc)[2..-1]\n"
      "    contains -- \"$path $w\" $__overworld_paths; and set path \"$path $w\"\n"
      "  end\n"
      "  echo $path\n"
      "end\n";
  for (auto const& [path, all] : t) {
    auto words = all;
    // fish expands the substitution at each completion.
    if (auto const at = words.find("@tags"); at != std::string::npos) {
      words.replace(at, 5, "(overworld __tags 2>/dev/null)");
    }
    out.append("complete -c overworld -f -n 'test \"(__overworld_path)\" = \"")
        .append(path)
        .append("\"' -a '")
        .append(words)
        .append("'\n");
  }
  return out;
}

}  // namespace

void add_completion_command(command_line& cl) {
  auto* command = cl.app().add_subcommand("completion", "a shell completion script: bash, zsh or fish");
  auto shell = std::make_shared<std::string>();
  command->add_option("shell", *shell, "bash, zsh or fish")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  add_examples(command,
               "  source <(overworld completion bash)        # in ~/.bashrc\n"
               "  overworld completion zsh > ~/.zfunc/_overworld\n"
               "  overworld completion fish > ~/.config/fish/completions/overworld.fish\n"
               "(cmake --install installs all three.)");
  // For the scripts: the tags of the history, one per line (hidden from help and completion).
  auto* tags = cl.app().add_subcommand("__tags", "the Clash of Clans tags of the history, most recent first");
  tags->group("");
  cl.on_run_unconfigured(tags, [] {
    for (auto const& tag : remembered_tags(std::getenv)) print(tag + "\n");
    return int{exit_ok};
  });
  cl.on_run(command, [shell, &cl](run_context const&) {
    tree t;
    collect(cl.app(), "overworld", "", t);
    print(*shell == "bash" ? bash(t) : *shell == "zsh" ? zsh(t) : fish(t));
    return exit_ok;
  });
}

}  // namespace overworld::cli
