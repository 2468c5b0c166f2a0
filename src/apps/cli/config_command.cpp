// `overworld config path|get|set`: where the settings come from, what a key is worth now (after
// file, environment and flags) and where it came from, and writing a key to the config file (or
// the --profile's file, made when missing).
#include "config_command.hpp"
#include "command_tree.hpp"
#include "config_edit.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace overworld::cli {
namespace {

char const* environment(char const* name) { return std::getenv(name); }

struct config_flags {
  std::string key, value;
};

std::string_view source_name(config_source s) {
  switch (s) {
    case config_source::defaults:
      return "default";
    case config_source::file:
      return "config file";
    case config_source::environment:
      return "environment";
    case config_source::flag:
      break;
  }
  return "flag";
}

// Exit 2 with the keys that come closest when `key` is not one.
int unknown_key(std::string const& key) {
  std::vector<std::string> keys;
  for (auto const& k : cli_config_schema()) keys.push_back(k.key);
  auto close = suggestions(key, keys);
  std::string message = "config: unknown key '" + key + "'";
  if (!close.empty()) message += "; did you mean " + close.front() + "?";
  std::string all;
  for (auto const& k : keys) all += (all.empty() ? "" : ", ") + k;
  return fail(exit_usage, message + " (keys: " + all + ")");
}

bool known(std::string const& key) {
  for (auto const& k : cli_config_schema()) {
    if (k.key == key) return true;
  }
  return false;
}

int get(global_flags const& flags, config_flags const& f) {
  if (!known(f.key)) return unknown_key(f.key);
  std::string why;
  auto cfg = load_config(flags, why);
  if (!cfg) return fail(exit_usage, why);
  print(cfg->get(f.key) + "\n");
  (void)fail(exit_ok, f.key + " from the " + std::string{source_name(cfg->source_of(f.key))});
  return exit_ok;
}

int set(global_flags const& flags, config_flags const& f) {
  if (!known(f.key)) return unknown_key(f.key);
  auto const file = config_file_path(flags, environment, false);
  if (file.empty()) return fail(exit_usage, "config: no config directory (set HOME or XDG_CONFIG_HOME)");
  std::string text;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    std::ifstream in{file, std::ios::binary};
    std::ostringstream s;
    s << in.rdbuf();
    if (!in) return fail(exit_usage, "config: cannot read " + file.string());
    text = s.str();
  }
  std::string why;
  auto edited = set_toml_string(text, f.key, f.value, why);
  if (!edited) return fail(exit_usage, "config: " + file.string() + ": " + why);
  std::filesystem::create_directories(file.parent_path(), ec);
  // Written beside the file and renamed over it: an interrupted write leaves the old file whole.
  auto const temporary = std::filesystem::path{file.string() + ".new"};
  {
    std::ofstream out{temporary, std::ios::binary | std::ios::trunc};
    out << *edited;
    if (!out.flush()) return fail(exit_usage, "config: cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, file, ec);
  if (ec) return fail(exit_usage, "config: cannot write " + file.string() + ": " + ec.message());
  (void)fail(exit_ok, "set " + f.key + " in " + file.string());
  return exit_ok;
}

}  // namespace

void add_config_commands(command_line& cl) {
  auto* group = cl.add_group("config", "the settings: where they are read from, a key's value, setting a key");
  auto f = std::make_shared<config_flags>();
  auto* path = group->add_subcommand("path", "the config file in use (with --profile, that profile's)");
  add_examples(path, "  overworld config path\n  overworld --profile demo config path");
  cl.on_run_unconfigured(path, [&cl]() -> int {
    auto const file = config_file_path(cl.flags(), environment, false);
    if (file.empty()) return fail(exit_usage, "config: no config directory (set HOME or XDG_CONFIG_HOME)");
    print(file.string() + "\n");
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) (void)fail(exit_ok, "it does not exist yet (config set makes it)");
    return exit_ok;
  });
  auto* get_command = group->add_subcommand("get", "a key's value now, and where it came from (on stderr)");
  get_command->add_option("key", f->key, "e.g. coc.base_url, timeout, output")->required();
  add_examples(get_command, "  overworld --profile demo config get coc.base_url");
  cl.on_run_unconfigured(get_command, [&cl, f] { return get(cl.flags(), *f); });
  auto* set_command = group->add_subcommand("set", "writes a key to the config file (made when missing)");
  set_command->add_option("key", f->key, "e.g. coc.base_url")->required();
  set_command->add_option("value", f->value, "its value")->required();
  add_examples(set_command, "  overworld --profile demo config set coc.base_url http://127.0.0.1:8081/v1");
  cl.on_run_unconfigured(set_command, [&cl, f] { return set(cl.flags(), *f); });
}

}  // namespace overworld::cli
