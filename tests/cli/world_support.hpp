// Test support for the Toontown commands: overworld's own world service (TTR and TTCC formats,
// the v2 event stream) on a real server, fed with district reports over the wire.
#pragma once

#include "http/server/support.hpp"

#include <overworld/server/world/world_service.hpp>

#include <boost/json.hpp>

#include <memory>
#include <string>

namespace overworld::cli::testing {

struct world_server {
  manual_clock time{clock::wall_time{std::chrono::seconds{1'700'000'000}}};
  std::unique_ptr<world::world_service> world;
  http::testing::running_server server;

  explicit world_server(world::game_status game = {}) {
    world::world_options o;
    o.reporter_key = "reporter-key";
    o.game = std::move(game);
    world = std::make_unique<world::world_service>(o, time);
    world->install(*server.routes);
    server.start();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }

  /// A district's report (the JSON body of POST /internal/v1/districts/{name}/report).
  void report(std::string const& district, std::string const& body) {
    http::testing::raw_connection c{server.port()};
    c.send("POST /internal/v1/districts/" + http::percent_encode(district) +
           "/report HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer reporter-key\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    auto r = c.read();
    if (!r || r->result_int() != 200) throw std::runtime_error("report refused: " + (r ? r->body() : std::string{}));
  }
  /// The next snapshot, a second later.
  void publish() {
    time.advance(std::chrono::seconds{1});
    world->publish();
  }
  /// The body of GET `path`.
  std::string get(std::string const& path) {
    http::testing::raw_connection c{server.port()};
    c.send(http::testing::get_request(path));
    auto r = c.read();
    if (!r) throw std::runtime_error("no answer to " + path);
    return r->body();
  }
};

}  // namespace overworld::cli::testing
