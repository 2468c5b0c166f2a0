// Test support: a server on 127.0.0.1:0 whose routes answer what a test says, in order, recording
// what they were asked. For SDK tests that need exact answers (429s, 304s, errors) on cue.
#pragma once

#include "http/server/support.hpp"

#include <overworld/http/router.hpp>

#include <cctype>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace overworld::testing {

/// What a scripted route was asked.
struct seen_request {
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;  ///< lower-case names
};

/// A server on 127.0.0.1:0 whose routes answer from a script: a queue of responses per route
/// (the last one repeats). Thread-safe: the server's threads answer while the test reads.
class scripted_server {
 public:
  scripted_server() = default;

  /// Answers GET (or another method) on `pattern` with `responses`, in order.
  void script(http::verb method, std::string const& pattern, std::vector<http::response> responses) {
    {
      std::lock_guard lock{mutex_};
      scripts_[pattern] = std::deque<http::response>(responses.begin(), responses.end());
    }
    server_.routes->add(method, pattern,
                        http::sync_handler{[this, pattern](http::request const& req) { return answer(pattern, req); }});
  }
  void get(std::string const& pattern, std::vector<http::response> responses) {
    script(http::verb::get, pattern, std::move(responses));
  }
  void post(std::string const& pattern, std::vector<http::response> responses) {
    script(http::verb::post, pattern, std::move(responses));
  }

  void start() { server_.start(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

  std::vector<seen_request> requests(std::string const& pattern) const {
    std::lock_guard lock{mutex_};
    auto it = seen_.find(pattern);
    return it == seen_.end() ? std::vector<seen_request>{} : it->second;
  }

  static http::response json(unsigned status, std::string body,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto r = http::response::json(status, std::move(body));
    for (auto const& [k, v] : headers) r.header(k, v);
    return r;
  }

 private:
  http::response answer(std::string const& pattern, http::request const& req) {
    std::lock_guard lock{mutex_};
    seen_request s;
    s.method = std::string{req.method_name};
    s.target = std::string{req.target};
    s.body = std::string{req.body};
    for (auto const& h : req.headers) {
      std::string name{h.name};
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      s.headers[name] = std::string{h.value};
    }
    seen_[pattern].push_back(std::move(s));
    auto& queue = scripts_[pattern];
    if (queue.empty()) return http::response::json(500, R"({"error":"script ran out"})");
    auto r = queue.front();
    if (queue.size() > 1) queue.pop_front();
    return r;
  }

  http::testing::running_server server_;
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<http::response>> scripts_;
  std::map<std::string, std::vector<seen_request>> seen_;
};

}  // namespace overworld::testing
