#include "settings.hpp"

#include <algorithm>
#include <cstdlib>
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
      {"coc.email", "", "developer portal account for coc keys (also --email)"},
      {"coc.password", "", "its password; asked on standard input when unset"},
      {"coc.portal_url", "", "developer portal URL; default: from coc.base_url (/v1 -> /api)"},
      {"ttcc.password", "", "password for ttcc login; asked on standard input when unset"},
      {"ttr.base_url", "https://www.toontownrewritten.com", "Toontown Rewritten base URL"},
      {"ttcc.base_url", "https://corporateclash.net", "Toontown Corporate Clash base URL"},
      {"timeout", "30s", "how long one command may wait for answers"},
      {"color", "true", "colour tables on a terminal (NO_COLOR turns it off too)"},
      {"json", "false", "print the APIs' JSON instead of tables"},
  };
}

std::filesystem::path config_file_path(global_flags const& flags, getenv_function const& getenv) {
  if (!flags.config_file.empty()) return flags.config_file;
  if (char const* env = getenv("OVERWORLD_CLI_CONFIG"); env && *env) return env;
  std::filesystem::path dir;
  if (char const* xdg = getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    dir = xdg;
  } else if (char const* home = getenv("HOME"); home && *home) {
    dir = std::filesystem::path{home} / ".config";
  } else {
    return {};
  }
  auto file = dir / "overworld" / "cli.toml";
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec) ? file : std::filesystem::path{};
}

result<settings> load_settings(global_flags const& flags, std::string& why, getenv_function getenv) {
  if (!getenv) getenv = [](char const* name) -> char const* { return std::getenv(name); };
  config cfg{cli_config_schema()};
  if (auto const file = config_file_path(flags, getenv); !file.empty()) {
    if (auto merged = cfg.merge_toml_file(file, &why); !merged) return merged.error();
  }
  cfg.merge_environment(getenv);
  auto const set_flag = [&](char const* key, std::string const& value) {
    if (!value.empty()) (void)cfg.set(key, value, config_source::flag);
  };
  set_flag("timeout", flags.timeout);
  if (!flags.coc_keys.empty()) {
    std::string joined;
    for (auto const& k : flags.coc_keys) joined += (joined.empty() ? "" : ",") + k;
    set_flag("coc.key", joined);
  }
  set_flag("coc.email", flags.coc_email);
  set_flag("coc.portal_url", flags.portal_url);
  if (flags.json) set_flag("json", "true");
  if (flags.no_color) set_flag("color", "false");

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
  s.coc_email = cfg.get("coc.email");
  s.coc_password = cfg.get("coc.password");
  s.ttcc_password = cfg.get("ttcc.password");
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
  if (!flag("json", s.json) || !flag("color", s.color)) return errc::bad_config;
  return s;
}

}  // namespace overworld::cli
