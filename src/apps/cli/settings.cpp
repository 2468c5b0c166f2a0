#include "settings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <system_error>

namespace overworld::cli {

std::string const& settings::base_url(api which) const noexcept {
  switch (which) {
    case api::coc:
      return coc_base_url;
    case api::ttr:
      return ttr_base_url;
    case api::ttcc:
      break;
  }
  return ttcc_base_url;
}

http::client_options with_timeouts(http::client_options o, settings const& s) {
  o.total_timeout = s.timeout;
  o.read_timeout = s.timeout;
  o.connect_timeout = std::min(s.timeout, o.connect_timeout);
  return o;
}

std::vector<config_key> cli_config_schema() {
  return {
      {"coc.key", "", "Clash of Clans API key(s), comma-separated (also --key)"},
      {"coc.base_url", "https://api.clashofclans.com/v1", "Clash of Clans API base URL, /v1 included"},
      {"coc.key_file", "", "a file holding the API key(s), one per line or comma-separated (also --key-file)"},
      {"coc.email", "", "developer portal account for coc keys (also --email)"},
      {"coc.password", "", "its password; asked on standard input when unset"},
      {"coc.portal_url", "", "developer portal URL; default: from coc.base_url (/v1 -> /api)"},
      {"ttcc.password", "", "password for ttcc login; asked on standard input when unset"},
      {"ttr.password", "", "password for ttr login; asked on standard input when unset"},
      {"ttr.base_url", "https://www.toontownrewritten.com", "Toontown Rewritten base URL"},
      {"ttcc.base_url", "https://corporateclash.net", "Toontown Corporate Clash base URL"},
      {"timeout", "30s", "how long one command may wait for answers"},
      {"color", "auto", "auto (on a terminal without NO_COLOR), always, never; true/false as auto/never"},
      {"json", "false", "print the APIs' JSON instead of tables (as output = \"json\")"},
      {"pager", "true", "long tables on a terminal through $PAGER (default less -FRX)"},
      {"output", "table", "what stdout gets: table, json, jsonl, csv or yaml (also -o)"},
  };
}

namespace {

std::filesystem::path config_dir(getenv_function const& getenv) {
  if (char const* xdg = getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::filesystem::path{xdg} / "overworld";
  if (char const* home = getenv("HOME"); home && *home) return std::filesystem::path{home} / ".config" / "overworld";
  return {};
}

std::string profile_name(global_flags const& flags, getenv_function const& getenv) {
  if (!flags.profile.empty()) return flags.profile;
  char const* env = getenv("OVERWORLD_PROFILE");
  return env && *env ? env : "";
}

}  // namespace

std::filesystem::path config_file_path(global_flags const& flags, getenv_function const& getenv, bool existing) {
  if (!flags.config_file.empty()) return flags.config_file;
  if (char const* env = getenv("OVERWORLD_CLI_CONFIG"); env && *env) return env;
  auto const dir = config_dir(getenv);
  if (dir.empty()) return {};
  // A profile is a config file of its own beside cli.toml: --profile demo reads demo.toml.
  auto const profile = profile_name(flags, getenv);
  if (!profile.empty()) return dir / (profile + ".toml");
  auto file = dir / "cli.toml";
  std::error_code ec;
  return !existing || std::filesystem::is_regular_file(file, ec) ? file : std::filesystem::path{};
}

namespace {

bool read_output(std::string const& value, bool json_flag, output_format& out, std::string& why) {
  static constexpr std::pair<std::string_view, output_format> names[] = {{"table", output_format::table},
                                                                         {"json", output_format::json},
                                                                         {"jsonl", output_format::jsonl},
                                                                         {"csv", output_format::csv},
                                                                         {"yaml", output_format::yaml}};
  for (auto const& [name, format] : names) {
    if (value == name) {
      // --json (or json = true) is -o json unless another format was asked for.
      out = json_flag && format == output_format::table ? output_format::json : format;
      return true;
    }
  }
  why = "output: expected table, json, jsonl, csv or yaml, got '" + value + "'";
  return false;
}

bool read_color(std::string const& value, getenv_function const& getenv, settings& s, std::string& why) {
  if (value == "auto" || value == "true") {
    s.color = true;
  } else if (value == "never" || value == "false") {
    s.color = false;
  } else if (value == "always") {
    s.color = s.force_color = true;
  } else {
    why = "color: expected auto, always or never, got '" + value + "'";
    return false;
  }
  // FORCE_COLOR (any value but 0 or empty) forces colour where auto would not give it.
  if (char const* force = getenv("FORCE_COLOR"); s.color && force && *force && std::string_view{force} != "0") {
    s.force_color = true;
  }
  return true;
}

// Keys from a file: one per line or comma-separated; blank lines and '#' comments skipped.
std::optional<std::vector<std::string>> read_key_file(std::string const& path, std::string& why) {
  std::ifstream in{path};
  if (!in) {
    why = "coc.key_file: cannot read '" + path + "'";
    return std::nullopt;
  }
  std::vector<std::string> keys;
  std::string line;
  while (std::getline(in, line) && keys.size() < 100) {
    if (line.starts_with('#')) continue;
    std::string_view rest = line;
    while (!rest.empty()) {
      auto const comma = rest.find(',');
      std::string_view key = rest.substr(0, comma);
      while (!key.empty() && std::isspace(static_cast<unsigned char>(key.front()))) key.remove_prefix(1);
      while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.remove_suffix(1);
      if (!key.empty()) keys.emplace_back(key);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (keys.empty()) {
    why = "coc.key_file: no key in '" + path + "'";
    return std::nullopt;
  }
  return keys;
}

std::vector<std::string> split_fields(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto const comma = list.find(',');
    auto field = list.substr(0, comma);
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
    if (!field.empty() && field.front() == '/') field.remove_prefix(1);
    if (!field.empty()) out.emplace_back(field);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

result<config> load_config(global_flags const& flags, std::string& why, getenv_function getenv) {
  if (!getenv) getenv = [](char const* name) -> char const* { return std::getenv(name); };
  config cfg{cli_config_schema()};
  if (auto const profile = profile_name(flags, getenv); !profile.empty() && flags.config_file.empty()) {
    bool const valid = profile.find_first_of("/\\.") == std::string::npos;
    std::error_code ec;
    if (!valid || !std::filesystem::is_regular_file(config_file_path(flags, getenv), ec)) {
      why = "profile '" + profile + "': no file " + config_file_path(flags, getenv).string() +
            " (overworld --profile " + profile + " config set KEY VALUE makes it)";
      if (!valid) why = "profile '" + profile + "': a profile name has no '/', '\\' or '.'";
      return errc::bad_config;
    }
  }
  if (auto const file = config_file_path(flags, getenv); !file.empty()) {
    if (auto merged = cfg.merge_toml_file(file, &why); !merged) return merged.error();
  }
  cfg.merge_environment(getenv);
  // The examples' name for the CoC base URL, an alias of OVERWORLD_COC_BASE_URL (which wins).
  if (char const* alias = getenv("OVERWORLD_COC_URL"); alias && *alias) {
    char const* primary = getenv("OVERWORLD_COC_BASE_URL");
    if (!primary || !*primary) (void)cfg.set("coc.base_url", alias, config_source::environment);
  }
  auto const set_flag = [&](char const* key, std::string const& value) {
    if (!value.empty()) (void)cfg.set(key, value, config_source::flag);
  };
  set_flag("timeout", flags.timeout);
  if (!flags.coc_keys.empty()) {
    std::string joined;
    for (auto const& k : flags.coc_keys) joined += (joined.empty() ? "" : ",") + k;
    set_flag("coc.key", joined);
  }
  set_flag("coc.key_file", flags.coc_key_file);
  set_flag("coc.email", flags.coc_email);
  set_flag("coc.portal_url", flags.portal_url);
  if (flags.json) set_flag("json", "true");
  if (flags.no_pager) set_flag("pager", "false");
  set_flag("output", flags.output);
  if (flags.no_color) set_flag("color", "never");
  set_flag("color", flags.color);

  return cfg;
}

result<settings> load_settings(global_flags const& flags, std::string& why, getenv_function getenv) {
  if (!getenv) getenv = [](char const* name) -> char const* { return std::getenv(name); };
  auto loaded = load_config(flags, why, getenv);
  if (!loaded) return loaded.error();
  config const& cfg = *loaded;
  settings s;
  auto const url = [&](char const* key, std::string& out) {
    out = cfg.get(key);
    // An empty variable means "not set" rather than "no URL".
    if (out.empty()) {
      for (auto const& k : cfg.schema()) {
        if (k.key == key) out = k.default_value;
      }
    }
    while (out.size() > 1 && out.back() == '/') out.pop_back();
  };
  url("coc.base_url", s.coc_base_url);
  url("ttr.base_url", s.ttr_base_url);
  url("ttcc.base_url", s.ttcc_base_url);
  if (!flags.base_url.empty()) {
    std::string override = flags.base_url;
    while (override.size() > 1 && override.back() == '/') override.pop_back();
    s.coc_base_url = s.ttr_base_url = s.ttcc_base_url = override;
  }
  s.coc_keys = cfg.get_list("coc.key");
  if (!flags.coc_keys.empty()) {
    s.warnings.emplace_back(
        "an API key on the command line shows in ps and the shell's history; prefer --key-file, "
        "OVERWORLD_COC_KEY or coc.key in the config file");
  }
  if (auto const file = cfg.get("coc.key_file"); !file.empty() && flags.coc_keys.empty()) {
    auto keys = read_key_file(file, why);
    if (!keys) return errc::bad_config;
    s.coc_keys = std::move(*keys);
  }
  s.coc_email = cfg.get("coc.email");
  s.coc_password = cfg.get("coc.password");
  s.ttcc_password = cfg.get("ttcc.password");
  s.ttr_password = cfg.get("ttr.password");
  s.coc_portal_url = cfg.get("coc.portal_url");
  while (s.coc_portal_url.size() > 1 && s.coc_portal_url.back() == '/') s.coc_portal_url.pop_back();
  if (s.coc_portal_url.empty()) {
    // The real API and portal live on different hosts; an emulator (overworld's sandbox) serves
    // both, /v1 beside /api.
    if (s.coc_base_url == "https://api.clashofclans.com/v1") {
      s.coc_portal_url = "https://developer.clashofclans.com/api";
    } else {
      std::string_view base = s.coc_base_url;
      if (base.ends_with("/v1")) base.remove_suffix(3);
      s.coc_portal_url = std::string{base} + "/api";
    }
  }
  auto timeout = cfg.get_duration("timeout");
  if (!timeout || timeout->count() <= 0) {
    why = "timeout: expected a duration such as 500ms, 10s or 2m, got '" + cfg.get("timeout") + "'";
    return errc::bad_config;
  }
  s.timeout = *timeout;
  auto const flag = [&](char const* key, bool& out) -> bool {
    auto v = cfg.get_bool(key);
    if (!v) {
      why = std::string{key} + ": expected true or false, got '" + cfg.get(key) + "'";
      return false;
    }
    out = *v;
    return true;
  };
  if (!flag("json", s.json) || !flag("pager", s.pager)) return errc::bad_config;
  if (!read_output(cfg.get("output"), s.json, s.output, why) || !read_color(cfg.get("color"), getenv, s, why)) {
    return errc::bad_config;
  }
  s.json = s.output == output_format::json || s.output == output_format::jsonl;
  s.fields = split_fields(flags.fields);
  s.verbose = flags.verbose;
  return s;
}

}  // namespace overworld::cli
