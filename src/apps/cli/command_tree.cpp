#include "command_tree.hpp"

#include <algorithm>
#include <numeric>

namespace overworld::cli {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t const above = row[j];
      std::size_t const cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> command_names(CLI::App const& app) {
  std::vector<std::string> names;
  for (auto const* sub : app.get_subcommands({})) {
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  }
  return names;
}

// "overworld coc": the words that lead to `app`.
std::string path_of(CLI::App const& app) {
  std::string path = app.get_name();
  for (auto const* p = app.get_parent(); p != nullptr; p = p->get_parent()) path.insert(0, p->get_name() + " ");
  return path;
}

std::string joined(std::vector<std::string> const& names) {
  std::string out;
  for (auto const& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The option `name` ("--timeout", "-o") of `app` or of a group above it (options fall through).
CLI::Option const* find_option(CLI::App const& app, std::string const& name) {
  for (auto const* a = &app; a != nullptr; a = a->get_parent()) {
    for (auto const* o : a->get_options()) {
      auto const& longs = o->get_lnames();
      auto const& shorts = o->get_snames();
      if ((name.starts_with("--") && std::find(longs.begin(), longs.end(), name.substr(2)) != longs.end()) ||
          (name.size() == 2 && name[0] == '-' &&
           std::find(shorts.begin(), shorts.end(), name.substr(1)) != shorts.end())) {
        return o;
      }
    }
  }
  return nullptr;
}

bool asks_for_help(std::vector<std::string> const& args) {
  return std::any_of(args.begin(), args.end(), [](auto const& a) {
    return a == "--help" || a == "-h" || a == "--help-all" || a == "--version" || a == "--";
  });
}

}  // namespace

std::vector<std::string> rewrite_help(std::vector<std::string> args) {
  if (args.empty() || args.front() != "help") return args;
  args.erase(args.begin());
  args.emplace_back("--help");
  return args;
}

std::vector<std::string> suggestions(std::string_view word, std::vector<std::string> const& candidates) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (auto const& c : candidates) {
    std::size_t const d = edit_distance(word, c);
    bool const prefix = word.size() >= 2 && c.starts_with(word);
    if (d <= 2 || prefix) scored.emplace_back(prefix ? 0 : d, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
  std::vector<std::string> out;
  out.reserve(scored.size());
  for (auto& [d, c] : scored) out.push_back(std::move(c));
  return out;
}

std::optional<std::string> check_commands(CLI::App& root, std::vector<std::string> const& args) {
  if (asks_for_help(args)) return std::nullopt;
  CLI::App* at = &root;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto const& word = args[i];
    if (word.starts_with("-")) {
      auto const* option = find_option(*at, word.substr(0, word.find('=')));
      if (option && option->get_expected_min() > 0 && word.find('=') == std::string::npos) ++i;
      continue;
    }
    auto const names = command_names(*at);
    if (names.empty()) return std::nullopt;  // a command's own arguments from here on
    if (std::find(names.begin(), names.end(), word) != names.end()) {
      at = at->get_subcommand(word);
      continue;
    }
    std::string message = "unknown command '" + word + "' for '" + path_of(*at) + "'";
    if (auto const close = suggestions(word, names); !close.empty()) {
      message += "; did you mean " + joined(close) + "?";
    } else {
      message += "; its commands: " + joined(names);
    }
    return message + " (" + path_of(*at) + " --help)";
  }
  if (at->get_require_subcommand_min() > 0) {
    return "'" + path_of(*at) + "' needs a command: " + joined(command_names(*at)) + " (" + path_of(*at) + " --help)";
  }
  return std::nullopt;
}

}  // namespace overworld::cli
