// The Redis client's connection: everything below runs on one strand. Callers hand their command
// bytes to the strand (submit); the writer sends whatever has gathered in one write (pipelining);
// the reader decodes replies and completes the oldest request with each. A loss fails every
// request in flight (their outcome is unknown, so nothing is replayed) and the loop reconnects
// with back-off; meanwhile commands fail at once with errc::unavailable.
#include <overworld/store/redis.hpp>

#include <overworld/core/log.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <deque>
#include <functional>
#include <random>

namespace overworld::store {

namespace asio = boost::asio;
using stream_protocol = asio::generic::stream_protocol;
using steady = std::chrono::steady_clock;

namespace {
using replies = std::vector<redis_reply>;
using signature = void(error_code, replies);
/// A waiting caller: posts its handler, with the outcome, to the handler's own executor (never
/// inside the strand's step). Copyable, so the handler is held by a shared_ptr.
using completion = std::function<void(error_code, replies)>;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

void complete(completion done, error_code ec, replies r) { done(ec, std::move(r)); }
}  // namespace

struct redis_client::impl : std::enable_shared_from_this<impl> {
  struct request {
    std::size_t expected;
    replies got;
    completion done;
    steady::time_point sent;
  };

  impl(asio::any_io_executor ex, redis_options o, redis_endpoint e)
      : strand(asio::make_strand(ex)),
        options(std::move(o)),
        endpoint(std::move(e)),
        socket(strand),
        resolver(strand),
        wake(strand),
        timer(strand),
        watchdog(strand),
        buffer(64 * 1024) {}

  asio::strand<asio::any_io_executor> strand;
  redis_options options;
  redis_endpoint endpoint;
  stream_protocol::socket socket;
  asio::ip::tcp::resolver resolver;
  asio::steady_timer wake;      // the writer waits on it for bytes to send
  asio::steady_timer timer;     // the connect deadline and the back-off
  asio::steady_timer watchdog;  // the command deadline
  std::vector<char> buffer;
  std::optional<resp_decoder> decoder;
  std::string outbox;           // bytes of submitted requests not yet written
  std::deque<request> pending;  // submitted, unanswered, in the order sent
  std::atomic<bool> up{false};  // connected and ready: submit() accepts commands
  std::atomic<std::uint64_t> errors{0};
  std::uint64_t generation = 0;  // of the connection; the writer and watchdog of an old one stop
  bool stopped = false;
  bool started = false;
  bool deadline_passed = false;
  bool outage = false;  // since a loss or a failed attempt; logged once, and its end once
  std::minstd_rand random{std::random_device{}()};

  void submit(std::string bytes, std::size_t expected, completion done) {
    if (stopped) return complete(std::move(done), errc::shutting_down, {});
    if (!up || pending.size() >= options.max_pending) return complete(std::move(done), errc::unavailable, {});
    outbox += bytes;
    pending.push_back(request{expected, {}, std::move(done), steady::now()});
    wake.cancel();
  }

  void fail_all(error_code ec) {
    outbox.clear();
    while (!pending.empty()) {
      auto req = std::move(pending.front());
      pending.pop_front();
      complete(std::move(req.done), ec, {});
    }
  }

  void close() {
    up = false;
    error_code ignored;
    socket.close(ignored);
    resolver.cancel();
    wake.cancel();
    watchdog.cancel();
    timer.cancel();
  }

  /// Closes the connection when it or its handshake passes `limit` (the timer is cancelled once
  /// connected); `gen` keeps a late expiry from closing a later connection.
  void arm_deadline(std::chrono::milliseconds limit, std::uint64_t gen) {
    deadline_passed = false;
    timer.expires_after(limit);
    timer.async_wait([self = shared_from_this(), gen](error_code ec) {
      if (ec || gen != self->generation || self->up) return;
      self->deadline_passed = true;
      error_code ignored;
      self->socket.close(ignored);
      self->resolver.cancel();
    });
  }

  /// Drops the connection when the oldest request has waited longer than command_timeout.
  void arm_watchdog(std::uint64_t gen) {
    auto const period = std::max(options.command_timeout / 4, std::chrono::milliseconds{5});
    watchdog.expires_after(period);
    watchdog.async_wait([self = shared_from_this(), gen](error_code ec) {
      if (ec || gen != self->generation || !self->up) return;
      if (!self->pending.empty() && steady::now() - self->pending.front().sent > self->options.command_timeout) {
        self->deadline_passed = true;
        error_code ignored;
        self->socket.close(ignored);
        return;
      }
      self->arm_watchdog(gen);
    });
  }

  asio::awaitable<error_code> connect_socket() {
    if (!endpoint.socket_path.empty()) {
      auto [ec] = co_await socket.async_connect(
          stream_protocol::endpoint{asio::local::stream_protocol::endpoint{endpoint.socket_path}}, use_tuple);
      co_return ec;
    }
    auto [rec, found] = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), use_tuple);
    if (rec) co_return rec;
    error_code ec = asio::error::host_not_found;
    for (auto const& entry : found) {
      if (socket.is_open()) socket.close(ec);
      std::tie(ec) = co_await socket.async_connect(stream_protocol::endpoint{entry.endpoint()}, use_tuple);
      if (!ec || deadline_passed) break;
    }
    co_return ec;
  }

  /// Reads until `count` replies are in (the handshake's).
  asio::awaitable<result<replies>> read_replies(std::size_t count) {
    replies got;
    while (got.size() < count) {
      auto r = decoder->next();
      if (!r) co_return r.error();
      if (*r) {
        got.push_back(std::move(**r));
        continue;
      }
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), use_tuple);
      if (ec) co_return ec;
      if (auto f = decoder->feed({buffer.data(), n}); !f) co_return f.error();
    }
    co_return got;
  }

  /// AUTH and SELECT when the URL asks for them, and a PING: the server answers, as itself.
  /// A plain function: g++ 12 rejects string literals in a braced list inside a coroutine.
  std::vector<std::vector<std::string>> handshake_commands() const {
    std::vector<std::vector<std::string>> commands;
    if (!endpoint.password.empty()) {
      if (endpoint.username.empty())
        commands.push_back({"AUTH", endpoint.password});
      else
        commands.push_back({"AUTH", endpoint.username, endpoint.password});
    }
    if (endpoint.database != 0) commands.push_back({"SELECT", std::to_string(endpoint.database)});
    commands.push_back({"PING"});
    return commands;
  }

  asio::awaitable<error_code> handshake() {
    auto const commands = handshake_commands();
    std::string bytes;
    for (auto const& c : commands) encode_command(bytes, c);
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(bytes), use_tuple);
    if (ec) co_return ec;
    auto got = co_await read_replies(commands.size());
    if (!got) co_return got.error();
    for (auto const& r : *got) {
      if (r.is_error()) {
        spdlog::error("redis: {} refused {}: {}", endpoint.describe(), commands[0][0], r.text);
        co_return errc::protocol_error;
      }
    }
    co_return error_code{};
  }

  asio::awaitable<void> write_loop([[maybe_unused]] std::shared_ptr<impl> self, std::uint64_t gen) {
    std::string out;
    while (gen == generation && up) {
      if (outbox.empty()) {
        wake.expires_at(steady::time_point::max());
        co_await wake.async_wait(use_tuple);
        continue;
      }
      out.clear();
      out.swap(outbox);
      auto [ec, n] = co_await asio::async_write(socket, asio::buffer(out), use_tuple);
      if (ec) {
        if (gen == generation) socket.close(ec);  // the reader sees it and the loop reconnects
        co_return;
      }
    }
  }

  /// Hands each reply to the oldest request; returns why the connection ended.
  asio::awaitable<error_code> read_loop() {
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), use_tuple);
      if (ec) co_return deadline_passed ? make_error_code(errc::timeout) : ec;
      if (auto f = decoder->feed({buffer.data(), n}); !f) co_return f.error();
      for (;;) {
        auto r = decoder->next();
        if (!r) co_return r.error();
        if (!*r) break;
        if (pending.empty()) co_return errc::protocol_error;  // a reply nobody asked for
        auto& front = pending.front();
        front.got.push_back(std::move(**r));
        if (front.got.size() < front.expected) continue;
        auto req = std::move(front);
        pending.pop_front();
        complete(std::move(req.done), {}, std::move(req.got));
      }
    }
  }

  /// One connection from connect to loss; errc::ok only after stop().
  asio::awaitable<error_code> connection(std::shared_ptr<impl> self, bool& was_up) {
    std::uint64_t const gen = ++generation;
    decoder.emplace(options.max_reply_bytes);
    arm_deadline(options.connect_timeout, gen);
    error_code ec = co_await connect_socket();
    if (!ec) ec = co_await handshake();
    if (ec && deadline_passed) ec = errc::timeout;
    timer.cancel();
    if (ec || stopped) co_return ec;
    up = true;
    was_up = true;
    if (outage)
      spdlog::info("redis: {} can be reached again", endpoint.describe());
    else
      spdlog::info("redis: connected to {}", endpoint.describe());
    outage = false;
    arm_watchdog(gen);
    asio::co_spawn(strand, write_loop(self, gen), asio::detached);
    co_return co_await read_loop();
  }

  asio::awaitable<void> run(std::shared_ptr<impl> self) {
    auto backoff = options.backoff_min;
    while (!stopped) {
      bool was_up = false;
      error_code const ec = co_await connection(self, was_up);
      close();
      fail_all(stopped ? make_error_code(errc::shutting_down) : make_error_code(errc::unavailable));
      if (stopped) break;
      errors.fetch_add(1, std::memory_order_relaxed);
      if (was_up) {
        spdlog::error("redis: lost the connection to {}: {} (reconnecting)", endpoint.describe(), ec.message());
        backoff = options.backoff_min;
      } else if (!outage) {
        spdlog::error("redis: cannot connect to {}: {} (retrying)", endpoint.describe(), ec.message());
      }
      outage = true;
      auto const wait = std::uniform_int_distribution<std::int64_t>{backoff.count() / 2, backoff.count()}(random);
      timer.expires_after(std::chrono::milliseconds{wait});
      co_await timer.async_wait(use_tuple);
      backoff = std::min(backoff * 2, options.backoff_max);
    }
    fail_all(errc::shutting_down);
  }
};

result<std::shared_ptr<redis_client>> redis_client::create(asio::any_io_executor executor, redis_options options,
                                                           std::string& why) {
  auto endpoint = parse_redis_url(options.url, why);
  if (!endpoint) return endpoint.error();
  if (options.backoff_min.count() < 1) options.backoff_min = std::chrono::milliseconds{1};
  options.backoff_max = std::max(options.backoff_max, options.backoff_min);
  auto p = std::make_shared<impl>(std::move(executor), std::move(options), std::move(*endpoint));
  return std::shared_ptr<redis_client>{new redis_client{std::move(p)}};
}

redis_client::~redis_client() { stop(); }

void redis_client::start() {
  asio::post(impl_->strand, [self = impl_] {
    if (self->started || self->stopped) return;
    self->started = true;
    asio::co_spawn(self->strand, self->run(self), asio::detached);
  });
}

void redis_client::stop() {
  asio::post(impl_->strand, [self = impl_] {
    self->stopped = true;
    self->close();
    self->fail_all(errc::shutting_down);
  });
}

namespace {
template <class Token>
auto async_send(std::shared_ptr<redis_client::impl> const& p, std::string bytes, std::size_t expected, Token&& token) {
  return asio::async_initiate<Token, signature>(
      [](auto handler, std::shared_ptr<redis_client::impl> self, std::string bytes, std::size_t expected) {
        auto const ex = asio::get_associated_executor(handler, self->strand.get_inner_executor());
        auto held = std::make_shared<decltype(handler)>(std::move(handler));
        completion done = [ex, held](error_code ec, replies r) {
          asio::post(ex, [held, ec, r = std::move(r)]() mutable { (*held)(ec, std::move(r)); });
        };
        auto& strand = self->strand;
        asio::post(strand,
                   [self = std::move(self), bytes = std::move(bytes), expected, done = std::move(done)]() mutable {
                     self->submit(std::move(bytes), expected, std::move(done));
                   });
      },
      token, p, std::move(bytes), expected);
}
}  // namespace

asio::awaitable<result<std::vector<redis_reply>>> redis_client::pipeline(std::vector<command_args> commands) {
  if (commands.empty()) co_return replies{};
  std::string bytes;
  for (auto const& c : commands) encode_command(bytes, c);
  auto p = impl_;
  auto [ec, got] = co_await async_send(p, std::move(bytes), commands.size(), use_tuple);
  if (ec) co_return ec;
  co_return std::move(got);
}

asio::awaitable<result<redis_reply>> redis_client::command(command_args args) {
  std::vector<command_args> one;
  one.push_back(std::move(args));
  auto r = co_await pipeline(std::move(one));
  if (!r) co_return r.error();
  co_return std::move(r->front());
}

asio::awaitable<result<redis_reply>> redis_client::eval(redis_script script, command_args keys, command_args args) {
  // Built by push_back: g++ 12 rejects string literals in a braced list inside a coroutine.
  command_args call;
  call.reserve(3 + keys.size() + args.size());
  call.push_back("EVALSHA");
  call.push_back(script.sha1());
  call.push_back(std::to_string(keys.size()));
  call.insert(call.end(), std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
  call.insert(call.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  auto r = co_await command(call);
  if (!r || !r->is_error() || !r->text.starts_with("NOSCRIPT")) co_return r;
  command_args load;
  load.push_back("SCRIPT");
  load.push_back("LOAD");
  load.push_back(script.source());
  auto loaded = co_await command(std::move(load));
  if (!loaded || loaded->is_error()) co_return loaded;
  co_return co_await command(std::move(call));
}

bool redis_client::connected() const noexcept { return impl_->up.load(); }
std::uint64_t redis_client::errors() const noexcept { return impl_->errors.load(std::memory_order_relaxed); }
redis_endpoint const& redis_client::endpoint() const noexcept { return impl_->endpoint; }

void redis_client::expose(metrics_registry& metrics, std::string name) {
  std::weak_ptr<impl> weak = impl_;
  metrics.add([weak, label = "redis=\"" + escape_label(name) + "\""](std::string& out) {
    auto p = weak.lock();
    if (!p) return;
    render_help(out, "overworld_redis_connected", "gauge", "1 while the connection to Redis is up");
    render_sample(out, "overworld_redis_connected", label, std::uint64_t{p->up.load() ? 1u : 0u});
    render_help(out, "overworld_redis_errors_total", "counter",
                "Connections to Redis lost, connection attempts failed and replies that broke the protocol");
    render_sample(out, "overworld_redis_errors_total", label, p->errors.load(std::memory_order_relaxed));
  });
}

}  // namespace overworld::store
