// Whole requests through the server's connection code: one in-process server on loopback, each
// input written to a fresh connection, then read until the server closes. A crash, a sanitizer
// report or a hang (libFuzzer -timeout) is a finding.
#include <overworld/http/server.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

overworld::http::server& instance() {
  using namespace overworld::http;
  static auto routes = [] {
    auto r = std::make_shared<router>();
    r->get("/v1/players/{tag}", sync_handler{[](request const& req) {
             return response::json(200, "{\"tag\":\"" + std::string{req.param("tag")} + "\"}");
           }});
    route_options small;
    small.limits = route_limits{1024, 64, std::chrono::milliseconds{200}};
    r->post("/report/{name}",
            sync_handler{[](request const& req) { return response::text(200, std::string{req.body}); }}, small);
    r->get("/files/{path...}", sync_handler{[](request const& req) {
             return response::text(200, req.query_param("q").value_or("") + std::string{req.param("path")});
           }});
    return r;
  }();
  static server s = [] {
    server_options o;
    o.listen = {listen_address{"127.0.0.1", 0}};
    o.idle_timeout = std::chrono::milliseconds{200};
    return server{o, routes};
  }();
  static bool const started = static_cast<bool>(s.start());
  (void)started;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto& s = instance();
  int const fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(s.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < size) {
    auto const n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buf[4096];
  while (::recv(fd, buf, sizeof buf, 0) > 0) {
  }
  ::close(fd);
  return 0;
}
