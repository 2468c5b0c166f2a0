// Whole connections through the server's session code over in-memory streams, no sockets: the
// input is written in pieces (the server works between them), then the client closes its sending
// side and the session must end. Routing, limits, chunked bodies with extensions and trailers,
// Expect: 100-continue, absolute-form targets, filters, pipelining, file and streamed bodies, and
// the PROXY header. A crash, a sanitizer report or a session that does not end is a finding.
//
// Input: byte 0 picks the server (bit 0: PROXY protocol on) and byte 1 the piece size (1..256
// bytes); the rest is what the client sends.
#include "http/server/in_memory.hpp"  // src/

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace {

using namespace overworld::http;

/// Two chunks, then the end.
class two_chunks final : public stream_source {
 public:
  boost::asio::awaitable<std::optional<std::string>> next() override {
    if (left_ == 0 || stopped_) co_return std::nullopt;
    --left_;
    co_return std::string{"data: tick\n\n"};
  }
  void stop() override { stopped_ = true; }

 private:
  int left_ = 2;
  bool stopped_ = false;
};

std::string const& file_path() {
  static std::string const path = [] {
    char name[] = "/tmp/overworld-fuzz-request.XXXXXX";
    int const fd = ::mkstemp(name);
    if (fd < 0) std::abort();
    std::string const content(10'000, 'f');
    if (::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) std::abort();
    ::close(fd);
    std::atexit([] { ::unlink(file_path().c_str()); });
    return std::string{name};
  }();
  return path;
}

std::shared_ptr<router> make_routes() {
  auto r = std::make_shared<router>();
  r->get("/v1/players/{tag}", sync_handler{[](request const& req) {
           return response::json(200, "{\"tag\":\"" + std::string{req.param("tag")} + "\"}");
         }});
  route_options small;
  small.limits = route_limits{1024, 64, std::chrono::milliseconds{200}};
  small.group = "keyed";
  r->post("/report/{name}", sync_handler{[](request const& req) { return response::text(200, std::string{req.body}); }},
          small);
  r->add_filter("keyed", [](request const& req) -> std::optional<response> {
    if (req.header("Authorization")) return std::nullopt;
    return default_error(401, "key required");
  });
  r->get("/files/{path...}", sync_handler{[](request const& req) {
           response res{200};
           int const fd = ::open(file_path().c_str(), O_RDONLY);
           if (fd < 0) return default_error(500, "no file");
           res.file = std::make_shared<file_body>(fd, req.param("path").size() % 100, 1000);
           return res;
         }});
  r->get("/stream", sync_handler{[](request const&) {
           response res{200};
           res.content_type = "text/event-stream";
           res.stream = std::make_shared<two_chunks>();
           return res;
         }});
  r->add(verb::put, "/echo", async_handler{[](request req) -> boost::asio::awaitable<response> {
           co_return response::text(200, std::string{req.target} + std::string{req.body});
         }});
  return r;
}

detail::in_memory_server& instance(bool proxy_protocol) {
  static auto routes = make_routes();
  auto const make = [](bool proxy) {
    server_options o;
    o.idle_timeout = std::chrono::milliseconds{200};
    o.write_timeout = std::chrono::milliseconds{200};
    o.proxy_protocol = proxy;
    o.trusted_proxies = {*ip_network::parse("192.0.2.0/24")};
    return std::make_unique<detail::in_memory_server>(o, routes);
  };
  static auto plain = make(false);
  static auto proxied = make(true);
  return proxy_protocol ? *proxied : *plain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size < 2) return 0;
  auto& server = instance(data[0] & 1);
  std::size_t const piece = 1 + data[1];
  auto client = server.connect("192.0.2.1");
  if (!client) __builtin_trap();  // one connection at a time: never refused
  for (std::size_t at = 2; at < size; at += piece) {
    std::size_t const n = std::min(piece, size - at);
    boost::system::error_code ec;
    boost::asio::write(*client, boost::asio::buffer(data + at, n), ec);
    if (ec) break;  // the server closed: the rest is not read
    server.poll();
    client->clear();  // what the server wrote so far
  }
  client->close();
  if (!server.run_until_closed(std::chrono::seconds{5})) __builtin_trap();  // a session that never ends
  return 0;
}
