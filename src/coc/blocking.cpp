#include <overworld/coc/blocking.hpp>

#include <stdexcept>

namespace overworld::coc {
namespace {

client_options with_key(char const* key, char const* base_url) {
  if (!key || !*key) throw std::invalid_argument("coc::blocking_client: no API key (is OVERWORLD_COC_KEY set?)");
  client_options o;
  o.keys = {key};
  if (base_url && *base_url) o.base_url = base_url;
  return o;
}

}  // namespace

blocking_client::blocking_client(char const* key, char const* base_url) : blocking_client(with_key(key, base_url)) {}

blocking_client::blocking_client(client_options options) : client_(std::move(options)), api_(client_) {}

}  // namespace overworld::coc
