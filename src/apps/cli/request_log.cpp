#include "request_log.hpp"

#include "text_width.hpp"

#include <cstdio>

namespace overworld::cli {

sdk::response_hook request_log(std::string base_url) {
  return [base = std::move(base_url)](sdk::response_event const& e) {
    std::string const url = e.path.starts_with("http") ? std::string{e.path} : base + std::string{e.path};
    std::string line = "> " + std::string{http::to_string(e.method)} + " " + sanitize(url) + "  ";
    line += e.status == 0 ? std::string{"no answer"} : std::to_string(e.status);
    if (e.from_cache) {
      line += "  cache hit";
    } else {
      auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(e.latency).count();
      line += "  " + std::to_string(ms) + " ms";
      if (e.attempt > 1) line += "  try " + std::to_string(e.attempt);
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

}  // namespace overworld::cli
