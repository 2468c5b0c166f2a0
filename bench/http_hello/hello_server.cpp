// The server side of bench/http_hello: overworld's HTTP core answering one fixed JSON route with a
// pre-serialised body, the way the world snapshots are served.
#include <overworld/core/signals.hpp>
#include <overworld/http/server.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  using namespace overworld;
  std::string listen = argc > 1 ? argv[1] : "127.0.0.1:8090";
  std::size_t threads = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 1;

  auto body = std::make_shared<std::string const>(HELLO_BODY);
  auto routes = std::make_shared<http::router>();
  routes->get("/hello", http::sync_handler{[body](http::request const&) {
                http::response r{200};
                r.content_type = "application/json";
                r.shared_body = body;
                return r;
              }});

  sigset_t const signals = block_stop_signals();

  http::server_options o;
  auto addr = http::listen_address::parse(listen);
  if (!addr) {
    std::fprintf(stderr, "hello_server: bad address %s\n", listen.c_str());
    return 2;
  }
  o.listen = {*addr};
  o.threads = threads;
  http::server s{o, routes};
  if (!s.start()) return 1;
  std::printf("listening on %s\n", s.local_addresses().front().to_string().c_str());
  std::fflush(stdout);
  wait_for_stop_signal(signals);
  s.shutdown();
  s.join();
  return 0;
}
