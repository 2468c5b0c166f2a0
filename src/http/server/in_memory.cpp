#include "in_memory.hpp"

#include "memory_stream.hpp"
#include "server_impl.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace overworld::http::detail {

struct in_memory_server::impl {
  impl(server_options o, std::shared_ptr<router const> r, metrics_registry* m) : state(std::move(o), std::move(r), m) {}
  server_state state;
  worker& only() { return *state.workers.front(); }
};

in_memory_server::in_memory_server(server_options options, std::shared_ptr<router const> routes,
                                   metrics_registry* metrics) {
  options.threads = 1;
  impl_ = std::make_unique<impl>(std::move(options), std::move(routes), metrics);
  impl_->state.started = true;
}

in_memory_server::~in_memory_server() = default;

std::optional<boost::beast::test::stream> in_memory_server::connect(std::string const& peer) {
  auto& state = impl_->state;
  auto& w = impl_->only();
  state.accepted.fetch_add(1, std::memory_order_relaxed);
  auto place = state.admit(peer);
  if (!place) return std::nullopt;
  boost::beast::test::stream server_end{w.ioc};
  boost::beast::test::stream client{w.ioc};
  client.connect(server_end);
  asio::co_spawn(w.ioc, run_session(&state, &w, memory_stream{std::move(server_end)}, peer, std::move(*place)),
                 asio::detached);
  return client;
}

void in_memory_server::poll() {
  auto& ioc = impl_->only().ioc;
  ioc.restart();
  ioc.poll();
}

bool in_memory_server::run_until_closed(std::chrono::milliseconds timeout) {
  auto& ioc = impl_->only().ioc;
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  ioc.restart();
  ioc.poll();  // sessions just spawned count themselves open when they start
  while (impl_->state.open.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    if (ioc.run_one_for(std::chrono::milliseconds{10}) == 0 && ioc.stopped()) ioc.restart();
  }
  return impl_->state.open.load() == 0;
}

void in_memory_server::shutdown() {
  impl_->state.draining = true;
  close_idle(&impl_->only());
}

boost::asio::io_context& in_memory_server::context() { return impl_->only().ioc; }

std::size_t in_memory_server::open_connections() const {
  return static_cast<std::size_t>(std::max<std::int64_t>(0, impl_->state.open.load()));
}

std::uint64_t in_memory_server::requests_served() const { return impl_->state.served.load(); }

}  // namespace overworld::http::detail
