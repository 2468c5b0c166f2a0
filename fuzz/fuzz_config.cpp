// Configuration as users write it: a TOML file (the bytes before the first NUL) and OVERWORLD_*
// environment variables (NAME=value lines after it), against the services' real keys, read the
// way each service reads them at start. Either merges or says why; nothing crashes.
#include <overworld/core/config.hpp>
#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/launcher/launcher_service.hpp>
#include <overworld/server/sandbox/portal.hpp>
#include <overworld/server/sandbox/sandbox_service.hpp>
#include <overworld/server/world/world_service.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace overworld;
  std::string_view const text{reinterpret_cast<char const*>(data), size};
  auto const split = text.find('\0');
  std::vector<config_key> schema;
  for (auto const& keys : {world::world_config_keys(), launcher::launcher_config_keys(), sandbox::sandbox_config_keys(),
                           sandbox::portal_config_keys(), server::rate_limit_config_keys("ttcc", "10", "60s")}) {
    schema.insert(schema.end(), keys.begin(), keys.end());
  }
  config cfg{std::move(schema)};
  std::string why;
  if (!cfg.merge_toml_string(text.substr(0, split), &why) && why.empty()) __builtin_trap();
  if (split == std::string_view::npos) return 0;
  std::map<std::string, std::string> environment;
  std::string_view rest = text.substr(split + 1);
  while (!rest.empty()) {
    auto const end = rest.find('\n');
    auto const line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    auto const eq = line.find('=');
    if (eq != std::string_view::npos) environment[std::string{line.substr(0, eq)}] = std::string{line.substr(eq + 1)};
  }
  cfg.merge_environment([&](char const* name) -> char const* {
    auto it = environment.find(name);
    return it == environment.end() ? nullptr : it->second.c_str();
  });
  // Every typed reading a server does at start.
  for (auto const& key : cfg.schema()) {
    (void)cfg.get_int(key.key);
    (void)cfg.get_bool(key.key);
    (void)cfg.get_duration(key.key);
    (void)cfg.get_size(key.key);
    (void)cfg.get_list(key.key);
  }
  std::string reason;
  (void)world::world_options_from(cfg, reason);
  (void)launcher::launcher_options_from(cfg, reason);
  (void)sandbox::sandbox_options_from(cfg, reason);
  (void)sandbox::portal_options_from(cfg, reason);
  (void)server::rate_limit_from_config(cfg, "ttcc", reason);
  return 0;
}
