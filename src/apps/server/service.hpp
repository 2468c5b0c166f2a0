// What overworld-server runs, as two lists: the listeners (the public API, the admin API, the CoC
// sandbox), each with its routes, and the services (the parts with a life of their own: the world
// tracker, the launcher's hashing pool, the sandbox's clock) behind one interface. serve() starts
// the listeners, then the services in order; on SIGTERM it stops the services in reverse order,
// drains and joins the listeners, then closes the services in reverse order.
#pragma once

#include <overworld/http/router.hpp>
#include <overworld/http/server.hpp>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace overworld::app {

/// A part of the server with work of its own. Its routes are installed when it is built.
class service {
 public:
  virtual ~service() = default;
  /// Once every listener runs: background work on the public listener's first loop.
  virtual void start(boost::asio::io_context& loop) { (void)loop; }
  /// On SIGTERM, before the listeners drain: no new background work.
  virtual void stop() {}
  /// After every listener has finished: waits for work still under way, flushes what is queued.
  virtual void close() {}
};

/// A service made of a callback per step (for parts whose object has its own names for them).
class service_steps final : public service {
 public:
  std::function<void(boost::asio::io_context&)> on_start;
  std::function<void()> on_stop, on_close;
  std::shared_ptr<void> owned;  ///< what the steps work on, destroyed with the service

  void start(boost::asio::io_context& loop) override {
    if (on_start) on_start(loop);
  }
  void stop() override {
    if (on_stop) on_stop();
  }
  void close() override {
    if (on_close) on_close();
  }
};

/// One listening server and its routes.
struct listener {
  std::string what;  ///< "the admin API", in errors
  http::server_options options;
  std::shared_ptr<http::router> routes = std::make_shared<http::router>();
  std::function<void(http::server&)> announce;  ///< log lines once it listens
  std::unique_ptr<http::server> server;         ///< made by serve()
};

/// Everything serve() runs. The listeners go first (their routes point at the services), then the
/// services, the last built first (a later one may use an earlier one).
struct server_parts {
  server_parts() = default;
  server_parts(server_parts&&) = default;
  server_parts& operator=(server_parts&&) = default;
  ~server_parts() {
    listeners.clear();
    while (!services.empty()) services.pop_back();
  }

  std::vector<std::unique_ptr<service>> services;  ///< in start order
  std::vector<listener> listeners;                 ///< the public API first
};

}  // namespace overworld::app
