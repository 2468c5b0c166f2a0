// The server side of bench/coc_client's real-sized run: overworld's HTTP core answering every
// GET /v1/players/{tag} with one recorded player, /v1/clans/{tag} with a clan of 50 members and
// /v1/clans/{tag}/warlog with a 50-war log, read once from files and served as shared bytes with
// the API's own headers. Clients and wrk measured against it see the same server.
// Usage: bench_coc_static LISTEN THREADS PLAYER_JSON CLAN_JSON WARLOG_JSON
#include <overworld/core/signals.hpp>
#include <overworld/http/server.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace {

std::shared_ptr<std::string const> read_file(char const* path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    std::fprintf(stderr, "bench_coc_static: cannot read %s\n", path);
    std::exit(2);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return std::make_shared<std::string const>(std::move(s).str());
}

overworld::http::sync_handler serve(std::shared_ptr<std::string const> body) {
  return overworld::http::sync_handler{[body](overworld::http::request const&) {
    overworld::http::response r{200};
    r.content_type = "application/json; charset=utf-8";
    r.header("Cache-Control", "public max-age=120");
    r.header("Vary", "Accept-Encoding");
    r.shared_body = body;
    return r;
  }};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace overworld;
  if (argc != 6) {
    std::fprintf(stderr, "usage: bench_coc_static LISTEN THREADS PLAYER_JSON CLAN_JSON WARLOG_JSON\n");
    return 2;
  }
  auto routes = std::make_shared<http::router>();
  routes->get("/v1/players/{tag}", serve(read_file(argv[3])));
  routes->get("/v1/clans/{tag}", serve(read_file(argv[4])));
  routes->get("/v1/clans/{tag}/warlog", serve(read_file(argv[5])));

  sigset_t const signals = block_stop_signals();
  http::server_options o;
  auto addr = http::listen_address::parse(argv[1]);
  if (!addr) {
    std::fprintf(stderr, "bench_coc_static: bad address %s\n", argv[1]);
    return 2;
  }
  o.listen = {*addr};
  o.threads = static_cast<std::size_t>(std::atoi(argv[2]));
  http::server s{o, routes};
  if (!s.start()) return 1;
  std::printf("listening on %s\n", s.local_addresses().front().to_string().c_str());
  std::fflush(stdout);
  wait_for_stop_signal(signals);
  s.shutdown();
  s.join();
  return 0;
}
