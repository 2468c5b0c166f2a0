// Listener and lifecycle: bind, spread connections over the worker threads, drain on shutdown.
#include "server_impl.hpp"

#include <overworld/core/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>

namespace overworld::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using detail::server_state;
using detail::worker;

result<listen_address> listen_address::parse(std::string_view text) {
  listen_address out;
  std::string_view port_text;
  if (text.starts_with('[')) {
    auto const close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return errc::invalid_argument;
    out.host = std::string{text.substr(1, close - 1)};
    port_text = text.substr(close + 2);
  } else if (auto const colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) return errc::invalid_argument;  // bare IPv6 needs brackets
    out.host = colon == 0 ? std::string{"0.0.0.0"} : std::string{text.substr(0, colon)};
    port_text = text.substr(colon + 1);
  } else {
    out.host = "0.0.0.0";
    port_text = text;
  }
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || p != port_text.data() + port_text.size() || port > 65535) {
    return errc::invalid_argument;
  }
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

std::string listen_address::to_string() const {
  return host.find(':') != std::string::npos ? "[" + host + "]:" + std::to_string(port)
                                             : host + ":" + std::to_string(port);
}

namespace detail {

server_state::server_state(server_options o, std::shared_ptr<router const> r, metrics_registry* m)
    : options(std::move(o)),
      routes(std::move(r)),
      metrics(m),
      proxies(options.trusted_proxies),
      max_limits(routes->max_limits()),
      read_buffer_limit(std::max<std::size_t>(max_limits.header_limit, std::size_t{16} * 1024)),
      per_address(options.max_connections_per_address, clock::system()) {
  if (options.threads == 0) options.threads = 1;
  unmatched.name = "unmatched";
  unmatched.method = "";
  for (auto const& route : routes->routes()) {
    auto st = std::make_unique<route_stats>();
    st->name = route->options.name;
    st->method = std::string{to_string(route->method)};
    stats.emplace(route.get(), std::move(st));
  }
  for (std::size_t i = 0; i < options.threads; ++i) workers.push_back(std::make_unique<worker>());
  if (metrics) metrics_id = metrics->add([this](std::string& out) { render_metrics(out); });
}

server_state::~server_state() {
  if (metrics) metrics->remove(metrics_id);
}

bool server_state::speaks_for_others(std::string const& peer) const noexcept {
  return proxies.empty() ? options.proxy_protocol : proxies.trusts(peer);
}

void server_state::refuse(refusal reason, std::string const& peer, address_table::admission const* why) {
  refused[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
  if (reason == refusal::per_address && why && why->log) {
    spdlog::warn("{}: refused a connection from {}: it holds {} (http.max_connections_per_address); {} refused",
                 options.name, peer, why->open, why->refused);
  } else if (reason == refusal::max_connections) {
    // One line a minute for the whole listener: a full server refuses many connections a second.
    auto const now =
        std::chrono::duration_cast<std::chrono::seconds>(clock::system().steady_now().time_since_epoch()).count();
    auto last = last_full_line.load();
    if ((last < 0 || now - last >= address_table::log_interval.count()) &&
        last_full_line.compare_exchange_strong(last, now)) {
      spdlog::warn("{}: refused a connection from {}: {} connections open (http.max_connections)", options.name, peer,
                   open.load());
    }
  }
}

std::optional<address_table::slot> server_state::admit(std::string const& peer) {
  if (draining.load()) {
    refuse(refusal::draining, peer);
    return std::nullopt;
  }
  if (open.load() >= static_cast<std::int64_t>(options.max_connections)) {
    refuse(refusal::max_connections, peer);
    return std::nullopt;
  }
  if (peer.empty() || speaks_for_others(peer)) return address_table::slot{};
  auto admission = per_address.admit(peer);
  if (!admission.admitted) {
    refuse(refusal::per_address, peer, &admission);
    return std::nullopt;
  }
  return std::move(admission.place);
}

std::string address_text(asio::ip::address a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a.to_string();
}

void server_state::render_metrics(std::string& out) const {
  std::string const server_label = "server=\"" + escape_label(options.name) + "\"";
  render_help(out, "overworld_http_requests_total", "counter", "HTTP requests answered, by route, method and status.");
  auto const requests = [&](route_stats const& s) {
    for (std::size_t i = 0; i < s.by_status.size(); ++i) {
      auto const n = s.by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      render_sample(out, "overworld_http_requests_total",
                    server_label + ",route=\"" + escape_label(s.name) + "\",method=\"" + s.method + "\",code=\"" +
                        std::to_string(i + 100) + "\"",
                    n);
    }
  };
  for (auto const& [r, s] : stats) requests(*s);
  requests(unmatched);
  render_help(out, "overworld_http_request_duration_seconds", "histogram", "Time from first byte to handler result.");
  for (auto const& [r, s] : stats) {
    if (s->latency.count() == 0) continue;
    s->latency.render(out, "overworld_http_request_duration_seconds",
                      server_label + ",route=\"" + escape_label(s->name) + "\",method=\"" + s->method + "\"");
  }
  render_help(out, "overworld_http_open_connections", "gauge", "Connections open now.");
  render_sample(out, "overworld_http_open_connections", server_label,
                static_cast<std::uint64_t>(std::max<std::int64_t>(0, open.load())));
  render_help(out, "overworld_http_connections_total", "counter", "Connections accepted since start.");
  render_sample(out, "overworld_http_connections_total", server_label, accepted.load());
  render_help(out, "overworld_http_connections_refused_total", "counter",
              "Connections closed as soon as they were accepted, by reason.");
  constexpr std::array<char const*, 3> reasons{"max_connections", "per_address", "draining"};
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    render_sample(out, "overworld_http_connections_refused_total", server_label + ",reason=\"" + reasons[i] + "\"",
                  refused[i].load(std::memory_order_relaxed));
  }
}

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> accept_loop(server_state* state, worker* owner, tcp::acceptor* acceptor, bool spread) {
  for (;;) {
    worker* target = owner;
    if (spread) target = state->workers[state->next_worker.fetch_add(1) % state->workers.size()].get();
    auto [ec, socket] = co_await acceptor->async_accept(target->ioc, use_tuple);
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {
      // Out of descriptors and the like: back off instead of spinning.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause{owner->ioc, std::chrono::milliseconds{50}};
      co_await pause.async_wait(use_tuple);
      continue;
    }
    state->accepted.fetch_add(1, std::memory_order_relaxed);
    std::string peer = peer_address(socket);
    auto admitted = state->admit(peer);
    if (!admitted) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(target->ioc, run_session(state, target, std::move(socket), std::move(peer), std::move(*admitted)),
                   asio::detached);
  }
}

}  // namespace

void close_idle(worker* w) {
  for (auto& c : w->connections) {
    if (c.streaming) c.streaming->stop();
    if (c.idle && c.cancel) c.cancel(c.stream);
  }
}

asio::awaitable<void> drain(server_state* state) {
  auto const deadline = std::chrono::steady_clock::now() + state->options.drain_timeout;
  asio::steady_timer timer{co_await asio::this_coro::executor};
  while (state->open.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    // Connections that finished a response since the last look may have gone idle: close them too.
    for (auto& w : state->workers) asio::post(w->ioc, [wp = w.get()] { close_idle(wp); });
    timer.expires_after(std::chrono::milliseconds{20});
    co_await timer.async_wait(use_tuple);
  }
  if (state->open.load() > 0)
    spdlog::warn("shutdown: {} connections still open after the drain timeout", state->open.load());
  for (auto& w : state->workers) {
    w->guard.reset();
    w->ioc.stop();
  }
}

}  // namespace detail

struct server::impl {
  impl(server_options o, std::shared_ptr<router const> r, metrics_registry* m) : state(std::move(o), std::move(r), m) {}
  server_state state;
};

server::server(server_options options, std::shared_ptr<router const> routes, metrics_registry* metrics)
    : impl_(std::make_unique<impl>(std::move(options), std::move(routes), metrics)) {}

server::~server() {
  shutdown();
  join();
}

result<void> server::start() {
  auto& s = impl_->state;
  if (s.started.exchange(true)) return errc::invalid_argument;
  bool const per_thread = s.options.reuse_port && s.workers.size() > 1;
  for (auto const& addr : s.options.listen) {
    boost::system::error_code ec;
    auto const ip = asio::ip::make_address(addr.host, ec);
    if (ec) {
      spdlog::error("cannot listen on {}: not an IP address", addr.to_string());
      return errc::invalid_argument;
    }
    std::uint16_t port = addr.port;
    std::size_t const count = per_thread ? s.workers.size() : 1;
    for (std::size_t i = 0; i < count; ++i) {
      auto acceptor = std::make_unique<tcp::acceptor>(s.workers[i]->ioc);
      tcp::endpoint const ep{ip, port};
      acceptor->open(ep.protocol(), ec);
      if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec && s.options.reuse_port) {
        int const one = 1;
        if (::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
          ec = boost::system::error_code{errno, boost::system::system_category()};
        }
      }
      if (!ec && ip.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
      if (!ec) acceptor->bind(ep, ec);
      if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        spdlog::error("cannot listen on {}: {}", addr.to_string(), ec.message());
        return ec;
      }
      port = acceptor->local_endpoint().port();  // the others join the port 0 picked
      if (i == 0) s.bound.push_back(listen_address{addr.host, port});
      s.workers[i]->acceptors.push_back(std::move(acceptor));
    }
  }
  for (auto& w : s.workers) {
    for (auto& a : w->acceptors) {
      asio::co_spawn(w->ioc, detail::accept_loop(&s, w.get(), a.get(), !per_thread && s.workers.size() > 1),
                     asio::detached);
    }
    w->guard.emplace(w->ioc.get_executor());
    w->thread = std::thread([wp = w.get()] {
      for (;;) {
        try {
          wp->ioc.run();
          return;
        } catch (std::exception const& e) {
          // A throwing completion handler is a bug; keep serving the other connections.
          spdlog::error("worker loop: {}", e.what());
        }
      }
    });
  }
  return {};
}

std::vector<listen_address> server::local_addresses() const { return impl_->state.bound; }

std::uint16_t server::port() const { return impl_->state.bound.empty() ? 0 : impl_->state.bound.front().port; }

void server::shutdown() {
  auto& s = impl_->state;
  if (s.draining.exchange(true)) return;
  if (!s.started.load()) return;
  for (auto& w : s.workers) {
    asio::post(w->ioc, [wp = w.get()] {
      for (auto& a : wp->acceptors) {
        boost::system::error_code ignored;
        a->close(ignored);
      }
      detail::close_idle(wp);
    });
  }
  asio::co_spawn(s.workers.front()->ioc, detail::drain(&s), asio::detached);
}

void server::join() {
  for (auto& w : impl_->state.workers) {
    if (w->thread.joinable() && w->thread.get_id() != std::this_thread::get_id()) w->thread.join();
  }
}

asio::io_context& server::context(std::size_t i) { return impl_->state.workers.at(i)->ioc; }

std::size_t server::open_connections() const {
  return static_cast<std::size_t>(std::max<std::int64_t>(0, impl_->state.open.load()));
}

std::uint64_t server::requests_served() const { return impl_->state.served.load(); }

}  // namespace overworld::http
