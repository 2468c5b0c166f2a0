#include <overworld/toon/poller.hpp>

namespace overworld::toon {

sdk::pipeline_options pipeline_options_of(polling_options const& o, std::string base_url) {
  sdk::pipeline_options p;
  p.base_url = std::move(base_url);
  p.http = o.http;
  p.user_agent = o.user_agent;
  p.cache = o.cache;
  p.honour_max_age = o.honour_max_age;
  p.retry = o.retry;
  p.backoff = o.backoff;
  p.min_interval = o.min_interval;
  p.remember_failures = true;  // a failing endpoint is asked less and less often, across calls
  p.request_limit = o.rate_limit;
  p.max_wait = o.max_wait;
  p.time = o.time;
  return p;
}

}  // namespace overworld::toon
