#include <overworld/toon/poller.hpp>

namespace overworld::toon {

sdk::pipeline_options pipeline_options_of(polling_options const& o, std::string base_url) {
  auto p = sdk::common_pipeline_options(o);
  p.base_url = std::move(base_url);
  p.honour_max_age = o.honour_max_age;
  p.min_interval = o.min_interval;
  p.remember_failures = true;  // a failing endpoint is asked less and less often, across calls
  p.request_limit = o.rate_limit;
  p.max_wait = o.max_wait;
  p.on_response.insert(p.on_response.end(), o.on_response.begin(), o.on_response.end());
  return p;
}

}  // namespace overworld::toon
