// The server side of bench/world: the world service with 50 districts and 20 invasions, one
// server thread, a snapshot every second, reports accepted with the key "bench".
#include <overworld/core/signals.hpp>
#include <overworld/http/server.hpp>
#include <overworld/server/world/world_service.hpp>

#include <csignal>
#include <cstdio>

int main(int argc, char** argv) {
  using namespace overworld;
  std::string const listen = argc > 1 ? argv[1] : "127.0.0.1:18092";
  world::world_options o;
  o.reporter_key = "bench";
  world::world_service service{o};
  auto const& names = world::simulator::district_names();
  auto const cogs = world::cog_catalogue();
  for (int i = 0; i < 50; ++i) {
    world::district_report r;
    r.population = 100 + i;
    if (i < 20) {
      world::invasion inv;
      inv.cog = std::string{cogs[static_cast<std::size_t>(i) % cogs.size()].name};
      inv.dept = cogs[static_cast<std::size_t>(i) % cogs.size()].dept;
      inv.skelecog = i % 5 == 1;
      inv.v2 = i % 5 == 2;
      inv.defeated = 100 * i;
      inv.total = 4000;
      inv.started_at = unix_seconds(clock::system().now()) - 600;
      r.current = inv;
    }
    std::string const name = i < static_cast<int>(names.size())
                                 ? names[static_cast<std::size_t>(i)]
                                 : names[static_cast<std::size_t>(i) % names.size()] + " II";
    service.districts().apply(name, r);
  }
  service.publish();
  auto routes = std::make_shared<http::router>();
  service.install(*routes);

  sigset_t const signals = block_stop_signals();
  http::server_options so;
  so.listen = {*http::listen_address::parse(listen)};
  http::server server{so, routes};
  if (!server.start()) return 1;
  service.start(server.context(0));
  std::printf("listening on %s\n", server.local_addresses().front().to_string().c_str());
  std::fflush(stdout);
  wait_for_stop_signal(signals);
  service.stop();
  server.shutdown();
  server.join();
  service.close();
  return 0;
}
