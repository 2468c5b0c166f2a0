// The keys the sandbox accepts, and keys minted as the developer portal mints them.
#include <overworld/server/sandbox/sandbox_service.hpp>

#include <overworld/core/base64.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace overworld::sandbox {

result<void> key_registry::add(api_key key) {
  return add_limited(std::move(key), std::numeric_limits<std::size_t>::max());
}

result<void> parse_networks(api_key& key) {
  key.networks.clear();
  for (auto const& cidr : key.cidrs) {
    auto network = http::ip_network::parse(cidr);
    if (!network) return errc::bad_config;
    key.networks.push_back(*network);
  }
  return {};
}

result<void> key_registry::put(api_key key) {
  if (auto parsed = parse_networks(key); !parsed) return parsed;
  std::lock_guard lock{mutex_};
  auto it = std::find_if(keys_.begin(), keys_.end(), [&](api_key const& k) { return k.key == key.key; });
  if (it != keys_.end()) {
    *it = std::move(key);
  } else {
    keys_.push_back(std::move(key));
  }
  return {};
}

void key_registry::replace_portal_keys(std::vector<api_key> keys) {
  std::erase_if(keys, [](api_key& k) { return !parse_networks(k); });
  std::lock_guard lock{mutex_};
  std::erase_if(keys_, [](api_key const& k) { return !k.developer_id.empty(); });
  for (auto& k : keys) keys_.push_back(std::move(k));
}

result<void> key_registry::add_limited(api_key key, std::size_t max_per_developer) {
  if (auto parsed = parse_networks(key); !parsed) return parsed;
  std::lock_guard lock{mutex_};
  auto const held =
      std::count_if(keys_.begin(), keys_.end(), [&](api_key const& k) { return k.developer_id == key.developer_id; });
  if (static_cast<std::size_t>(held) >= max_per_developer) return errc::too_large;
  keys_.push_back(std::move(key));
  return {};
}

bool key_registry::revoke(std::string_view id) {
  std::lock_guard lock{mutex_};
  auto const before = keys_.size();
  std::erase_if(keys_, [id](api_key const& k) { return k.id == id; });
  return keys_.size() != before;
}

std::optional<api_key> key_registry::find(std::string_view key) const {
  std::lock_guard lock{mutex_};
  for (auto const& k : keys_) {
    if (k.key == key) return k;
  }
  return std::nullopt;
}

key_registry::access key_registry::check(std::string_view key, std::string_view client) const {
  std::lock_guard lock{mutex_};
  for (auto const& k : keys_) {
    if (k.key != key) continue;
    if (k.networks.empty()) return access::allowed;
    auto const address = http::ip_address::parse(client);
    bool const allowed = address && std::any_of(k.networks.begin(), k.networks.end(),
                                                [&](http::ip_network const& n) { return n.contains(*address); });
    return allowed ? access::allowed : access::wrong_address;
  }
  return access::unknown_key;
}

std::vector<api_key> key_registry::list(std::string_view developer_id) const {
  std::lock_guard lock{mutex_};
  std::vector<api_key> out;
  for (auto const& k : keys_) {
    if (developer_id.empty() || k.developer_id == developer_id) out.push_back(k);
  }
  return out;
}

std::size_t key_registry::size() const {
  std::lock_guard lock{mutex_};
  return keys_.size();
}

std::string mint_key(std::string const& developer_id, std::vector<std::string> const& cidrs) {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("no randomness for a sandbox key");
  std::string jti;
  for (unsigned char b : raw) jti += "0123456789abcdef"[b & 15];
  std::string payload = R"({"iss":"supercell","aud":"supercell:gameapi","jti":")" + jti.substr(0, 16) +
                        R"(","sub":"developer/)" + developer_id +
                        R"(","scopes":["clash"],"limits":[{"tier":"developer/silver","type":"throttling"},{"cidrs":[)";
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    if (i) payload += ',';
    payload += "\"" + cidrs[i] + "\"";
  }
  payload += R"(],"type":"client"}]})";
  return base64url_encode(R"({"typ":"JWT","alg":"HS512","kid":"28a318f7-0000-a1eb-7fa1-2c7433c6cca5"})") + "." +
         base64url_encode(payload) + "." +
         base64url_encode(std::string_view{reinterpret_cast<char const*>(raw), sizeof raw});
}

}  // namespace overworld::sandbox
