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

void blocking_client::each_player(std::vector<std::string> tags,
                                  std::function<void(std::string const&, api_result<coc::player>&)> on_answer,
                                  unsigned concurrency) {
  std::function<api::call<coc::player>(std::string)> fetch = [this](std::string tag) { return api_.player(tag); };
  client_.wait(each_answer<coc::player>(std::move(tags), std::move(fetch), std::move(on_answer), concurrency));
}

void blocking_client::each_clan(std::vector<std::string> tags,
                                std::function<void(std::string const&, api_result<coc::clan>&)> on_answer,
                                unsigned concurrency) {
  std::function<api::call<coc::clan>(std::string)> fetch = [this](std::string tag) { return api_.clan(tag); };
  client_.wait(each_answer<coc::clan>(std::move(tags), std::move(fetch), std::move(on_answer), concurrency));
}

}  // namespace overworld::coc
