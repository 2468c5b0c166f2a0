#include <overworld/core/config.hpp>

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

namespace overworld {
namespace {

std::string trim(std::string_view s) {
  auto const b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto const e = s.find_last_not_of(" \t\r\n");
  return std::string{s.substr(b, e - b + 1)};
}

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::optional<std::string> scalar_text(toml::node const& node) {
  if (auto const* s = node.as_string()) return std::string{s->get()};
  if (auto const* i = node.as_integer()) return std::to_string(i->get());
  if (auto const* f = node.as_floating_point()) {
    std::ostringstream os;
    os << f->get();
    return os.str();
  }
  if (auto const* b = node.as_boolean()) return std::string{b->get() ? "true" : "false"};
  return std::nullopt;
}

}  // namespace

config::config(std::vector<config_key> schema) : schema_(std::move(schema)) {
  for (auto const& k : schema_) {
    if (!k.key.ends_with(".*") && !k.default_value.empty()) values_[k.key] = {k.default_value, config_source::defaults};
  }
}

std::string config::env_name(std::string_view key) {
  std::string out = "OVERWORLD_";
  for (char c : key)
    out += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool config::declared(std::string_view key) const {
  return std::any_of(schema_.begin(), schema_.end(), [&](config_key const& k) {
    if (k.key.ends_with(".*")) {
      auto const prefix = std::string_view{k.key}.substr(0, k.key.size() - 1);
      return key.size() > prefix.size() && key.starts_with(prefix);
    }
    return k.key == key;
  });
}

result<void> config::set(std::string_view key, std::string value, config_source source) {
  if (!declared(key)) return errc::bad_config;
  auto it = values_.find(key);
  if (it == values_.end()) {
    values_.emplace(std::string{key}, entry{std::move(value), source});
  } else if (source >= it->second.source) {
    it->second = {std::move(value), source};
  }
  return {};
}

result<void> config::merge_toml_file(std::filesystem::path const& file, std::string* why) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (why) *why = "cannot read config file " + file.string();
    return errc::bad_config;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto r = merge_toml_string(text.str(), &error);
  if (!r && why) *why = file.string() + ": " + error;
  return r;
}

result<void> config::merge_toml_string(std::string_view text, std::string* why) {
  if (text.empty()) return {};
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (toml::parse_error const& e) {  // toml++ is built with exceptions; stop them at this boundary
    if (why) {
      std::ostringstream os;
      os << "line " << e.source().begin.line << ": " << e.description();
      *why = os.str();
    }
    return errc::bad_config;
  }
  std::string error;
  std::function<void(toml::table const&, std::string const&)> walk = [&](toml::table const& t,
                                                                         std::string const& prefix) {
    for (auto const& [k, node] : t) {
      if (!error.empty()) return;
      std::string const key = prefix.empty() ? std::string{k.str()} : prefix + "." + std::string{k.str()};
      if (auto const* sub = node.as_table()) {
        walk(*sub, key);
        continue;
      }
      std::optional<std::string> text_value;
      if (auto const* arr = node.as_array()) {
        std::string joined;
        for (auto const& item : *arr) {
          auto item_text = scalar_text(item);
          if (!item_text) {
            error = "unsupported array item at " + key;
            return;
          }
          if (!joined.empty()) joined += ',';
          joined += *item_text;
        }
        text_value = std::move(joined);
      } else {
        text_value = scalar_text(node);
      }
      if (!text_value) {
        error = "unsupported value at " + key;
        return;
      }
      if (!set(key, std::move(*text_value), config_source::file)) error = "unknown config key: " + key;
    }
  };
  walk(table, "");
  if (!error.empty()) {
    if (why) *why = error;
    return errc::bad_config;
  }
  return {};
}

void config::merge_environment(std::function<char const*(char const*)> getenv) {
  if (!getenv) getenv = [](char const* name) { return std::getenv(name); };
  for (auto const& k : schema_) {
    if (k.key.ends_with(".*")) continue;
    if (char const* v = getenv(env_name(k.key).c_str())) (void)set(k.key, v, config_source::environment);
  }
}

bool config::has(std::string_view key) const { return values_.find(key) != values_.end(); }

std::string config::get(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string{} : it->second.value;
}

config_source config::source_of(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? config_source::defaults : it->second.source;
}

result<std::int64_t> config::get_int(std::string_view key) const {
  auto const text = trim(get(key));
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return errc::bad_config;
  return v;
}

result<bool> config::get_bool(std::string_view key) const { return parse_bool(get(key)); }

result<std::chrono::milliseconds> config::get_duration(std::string_view key) const { return parse_duration(get(key)); }

result<std::uint64_t> config::get_size(std::string_view key) const { return parse_size(get(key)); }

std::vector<std::string> config::get_list(std::string_view key) const {
  std::vector<std::string> out;
  std::string const all = get(key);
  std::size_t start = 0;
  while (start <= all.size()) {
    auto const comma = all.find(',', start);
    auto item =
        trim(std::string_view{all}.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::map<std::string, std::string> config::get_table(std::string_view prefix) const {
  std::map<std::string, std::string> out;
  std::string const p = std::string{prefix} + ".";
  for (auto const& [k, e] : values_) {
    if (k.size() > p.size() && k.starts_with(p)) out.emplace(k.substr(p.size()), e.value);
  }
  return out;
}

result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto const s = trim(text);
  double value = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || value < 0) return errc::bad_config;
  std::string const unit = lower(trim(std::string_view{p, static_cast<std::size_t>(s.data() + s.size() - p)}));
  double ms = 0;
  if (unit.empty() || unit == "s")
    ms = value * 1000;
  else if (unit == "ms")
    ms = value;
  else if (unit == "m" || unit == "min")
    ms = value * 60'000;
  else if (unit == "h")
    ms = value * 3'600'000;
  else
    return errc::bad_config;
  // Not a number, infinity, or beyond what milliseconds hold (about 292 million years): refused
  // before the conversion, which would be undefined.
  if (!std::isfinite(ms) || ms >= 9.2e18) return errc::bad_config;
  return std::chrono::milliseconds{static_cast<std::int64_t>(ms)};
}

result<std::uint64_t> parse_size(std::string_view text) {
  auto const s = trim(text);
  std::uint64_t value = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{}) return errc::bad_config;
  std::string const unit = lower(trim(std::string_view{p, static_cast<std::size_t>(s.data() + s.size() - p)}));
  std::uint64_t mult = 1;
  if (unit.empty() || unit == "b")
    mult = 1;
  else if (unit == "kib" || unit == "k")
    mult = 1024;
  else if (unit == "mib" || unit == "m")
    mult = 1024ull * 1024;
  else if (unit == "gib" || unit == "g")
    mult = 1024ull * 1024 * 1024;
  else if (unit == "kb")
    mult = 1000;
  else if (unit == "mb")
    mult = 1000ull * 1000;
  else if (unit == "gb")
    mult = 1000ull * 1000 * 1000;
  else
    return errc::bad_config;
  if (value > std::numeric_limits<std::uint64_t>::max() / mult) return errc::bad_config;  // would wrap
  return value * mult;
}

result<bool> parse_bool(std::string_view text) {
  auto const s = lower(trim(text));
  if (s == "1" || s == "true" || s == "yes" || s == "on") return true;
  if (s == "0" || s == "false" || s == "no" || s == "off" || s.empty()) return false;
  return errc::bad_config;
}

}  // namespace overworld
