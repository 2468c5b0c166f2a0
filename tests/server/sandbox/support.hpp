// Test support: the sandbox over the recorded fixtures, on a real server on 127.0.0.1:0.
#pragma once

#include "http/server/support.hpp"
#include "support/data.hpp"

#include <overworld/server/sandbox/sandbox_service.hpp>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

namespace overworld::sandbox::testing {

using overworld::testing::read_data_file;
inline std::filesystem::path fixtures_dir() { return overworld::testing::coc_fixtures_dir(); }
inline std::string read_file(std::filesystem::path const& p) { return read_data_file(p); }

/// The fixtures loaded once per test binary (they are a few megabytes).
inline std::shared_ptr<dataset const> fixture_dataset() {
  static std::shared_ptr<dataset const> const data = [] {
    std::string why;
    auto loaded = load_dataset(fixtures_dir(), why, 1, 1'700'000'000);  // the test clock's start
    if (!loaded) throw std::runtime_error("fixtures: " + why);
    return std::shared_ptr<dataset const>{std::move(*loaded)};
  }();
  return data;
}

inline constexpr char const* test_key = "test-key";

struct sandbox_server {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  // Declared before the server, so that the server (and any request still inside the sandbox)
  // is gone before the sandbox is.
  std::unique_ptr<sandbox_service> sandbox;
  http::testing::running_server server;

  /// `setup` adds routes of its own before the server starts; `prepare` readies the sandbox
  /// before its routes are installed (shared keys and throttle).
  explicit sandbox_server(sandbox_options options = {}, std::shared_ptr<dataset const> data = fixture_dataset(),
                          std::function<void(sandbox_server&)> const& setup = {},
                          std::function<void(sandbox_service&)> const& prepare = {}) {
    if (options.keys.empty()) options.keys[test_key] = {"127.0.0.1"};
    sandbox = std::make_unique<sandbox_service>(std::move(data), std::move(options), time);
    if (prepare) prepare(*sandbox);
    sandbox->install(*server.routes);
    if (setup) setup(*this);
    server.start();
  }

  using response = boost::beast::http::response<boost::beast::http::string_body>;

  response request(std::string const& method, std::string const& target, std::string const& key = test_key,
                   std::string const& body = {}) {
    http::testing::raw_connection c{server.port()};
    std::string r = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n";
    if (!key.empty()) r += "Authorization: Bearer " + key + "\r\n";
    if (!body.empty() || method == "POST") {
      r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    r += "\r\n" + body;
    c.send(r);
    auto res = c.read();
    if (!res) throw std::runtime_error("no response to " + target);
    return *res;
  }
  response get(std::string const& target, std::string const& key = test_key) { return request("GET", target, key); }
};

}  // namespace overworld::sandbox::testing
