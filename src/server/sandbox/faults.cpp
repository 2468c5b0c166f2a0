#include <overworld/server/sandbox/faults.hpp>

#include "handlers.hpp"

namespace overworld::sandbox {

std::optional<std::string> fault_options::problem() const {
  if (error_status != 500 && error_status != 502 && error_status != 503 && error_status != 504) {
    return "error_status must be 500, 502, 503 or 504";
  }
  if (!(error_probability >= 0 && error_probability <= 1) || !(drop_probability >= 0 && drop_probability <= 1)) {
    return "probabilities must be between 0 and 1";
  }
  if (latency.count() < 0 || latency > std::chrono::minutes{1}) return "latency_ms must be between 0 and 60000";
  return std::nullopt;
}

fault_injector::fault_injector(fault_options options, std::uint64_t seed) : random_(seed) { set(options); }

void fault_injector::set(fault_options options) {
  std::lock_guard lock{mutex_};
  options_ = options;
  count_ = 0;
  active_.store(options_.active(), std::memory_order_release);
}

fault_options fault_injector::options() const {
  std::lock_guard lock{mutex_};
  return options_;
}

fault fault_injector::next() {
  if (!active_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock{mutex_};
  ++count_;
  fault f;
  f.latency = options_.latency;
  auto const roll = [this](double p) { return p > 0 && std::uniform_real_distribution<double>{0, 1}(random_) < p; };
  f.drop = (options_.drop_every > 0 && count_ % options_.drop_every == 0) || roll(options_.drop_probability);
  if (!f.drop &&
      ((options_.error_every > 0 && count_ % options_.error_every == 0) || roll(options_.error_probability))) {
    f.error_status = options_.error_status;
  }
  return f;
}

namespace {

http::response gateway_page(unsigned status, std::string_view title) {
  std::string body = "<html>\r\n<head><title>";
  body += title;
  body += "</title></head>\r\n<body>\r\n<center><h1>";
  body += title;
  body += "</h1></center>\r\n</body>\r\n</html>\r\n";
  auto r = http::response::text(status, std::move(body));
  r.content_type = "text/html";
  return r;
}

}  // namespace

http::response fault_response(unsigned status) {
  switch (status) {
    case 502:
      return gateway_page(502, "502 Bad Gateway");
    case 503:
      return detail::error(503, "inMaintenance", "Service is temporarily unavailable because of maintenance.");
    case 504:
      return gateway_page(504, "504 Gateway Time-out");
    default:
      return detail::error(500, "unknownException", "Unknown error happened when handling the request.");
  }
}

}  // namespace overworld::sandbox
