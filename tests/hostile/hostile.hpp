// Support of the hostile-traffic suite: the real overworld-server on loopback (--demo, every
// listener on a port of its own), its resident memory, a probe from a second loopback address,
// raw attack connections, and `under_attack`, which runs an attack while it watches the server.
#pragma once

#include "support/process.hpp"

#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace overworld::hostile {

using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;
using wire_response = bhttp::response<bhttp::string_body>;

/// The bounds every attack is held to while it runs.
inline constexpr std::size_t rss_allowance = std::size_t{64} * 1024 * 1024;
inline constexpr std::chrono::milliseconds probe_budget{50};

/// Resident memory of a process (VmRSS), in bytes; 0 when it is gone.
inline std::size_t rss_bytes(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmRSS:")) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

/// Raises this process's descriptor limit to its hard limit (attacks open many connections).
inline void raise_descriptor_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

/// A TCP connection from `source` (a loopback address) to 127.0.0.1:port, as raw bytes.
class raw_socket {
 public:
  raw_socket(std::uint16_t port, char const* source = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
    int const one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  raw_socket(raw_socket&& o) noexcept
      : fd_(std::exchange(o.fd_, -1)), connected_(o.connected_), in_(std::move(o.in_)) {}
  raw_socket& operator=(raw_socket&&) = delete;
  ~raw_socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  /// Sends all of `bytes` (waiting up to `timeout` for room); false when the server closed.
  bool send(std::string_view bytes, std::chrono::milliseconds timeout = 5s) {
    while (!bytes.empty()) {
      auto const n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait(POLLOUT, timeout)) return false;
      } else {
        return false;
      }
    }
    return true;
  }
  /// Sends without waiting: what fitted in the socket's buffer (0 when full, -1 when closed).
  long send_some(std::string_view bytes) {
    auto const n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return n;
    return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
  }
  /// Whether something (bytes or the close) arrived.
  bool readable(std::chrono::milliseconds timeout = 0ms) { return !in_.empty() || wait(POLLIN, timeout); }

  /// The next response, waiting up to `timeout`; nullopt when the connection closed (or timed out)
  /// before a whole one arrived.
  std::optional<wire_response> read(std::chrono::milliseconds timeout = 5s, bool head = false) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto r = take(head)) return r;
      if (!wait(POLLIN, until(deadline))) return std::nullopt;
      char buf[16384];
      auto const n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) return take(head);
      in_.append(buf, static_cast<std::size_t>(n));
    }
  }
  /// True when the server closed the connection (EOF or reset) within `timeout`; what it sent
  /// before is kept for read().
  bool closed_by_server(std::chrono::milliseconds timeout = 5s) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (!wait(POLLIN, until(deadline))) return false;
      char buf[16384];
      auto const n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN)) return true;
      if (n > 0) in_.append(buf, static_cast<std::size_t>(n));
    }
  }

 private:
  static std::chrono::milliseconds until(std::chrono::steady_clock::time_point deadline) {
    auto const left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return std::max(left, std::chrono::milliseconds{0});  // 0: one look at what is there now
  }
  bool wait(short events, std::chrono::milliseconds timeout) {
    pollfd p{fd_, events, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }
  std::optional<wire_response> take(bool head) {
    if (in_.empty()) return std::nullopt;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.eager(true);
    parser.skip(head);
    parser.body_limit(256 * 1024 * 1024);
    boost::system::error_code ec;
    auto const used = parser.put(boost::asio::buffer(in_), ec);
    if (ec || !parser.is_done()) return std::nullopt;
    in_.erase(0, used);
    return parser.release();
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string in_;
};

/// A request as bytes.
inline std::string get(std::string_view target, std::string_view extra = {}) {
  return "GET " + std::string{target} + " HTTP/1.1\r\nHost: localhost\r\n" + std::string{extra} + "\r\n";
}

/// overworld-server --demo on loopback: the public API, the CoC sandbox and the admin API, each on
/// a port the system chose. `toml` is added to its configuration file.
class target_server {
 public:
  explicit target_server(std::string const& toml = {}) {
    raise_descriptor_limit();
    std::string const config = dir_.path() + "/overworld.toml";
    std::ofstream{config} << "listen = \"127.0.0.1:0\"\nsandbox_listen = \"127.0.0.1:0\"\n" << toml;
    process_.emplace(testing::bin_dir() + "/overworld-server",
                     std::vector<std::string>{"--demo", "--config", config, "--data", dir_.path()},
                     std::map<std::string, std::string>{{"OVERWORLD_ADMIN_LISTEN", "127.0.0.1:0"}});
    auto line = process_->wait_for_line("listening on", 30s);
    if (!line) throw std::runtime_error("overworld-server did not start:\n" + process_->output());
    public_port = port_after(*line, "listening on ");
    sandbox_port = port_after(process_->output(), "Clash of Clans sandbox on http://");
    admin_port = port_after(process_->output(), "admin API on http://");
    // Warm up (first requests allocate the snapshot buffers and the like) before the baseline.
    for (int i = 0; i < 20; ++i) {
      raw_socket s{public_port};
      s.send(get("/api/v2/districts"));
      s.read();
    }
    baseline_rss = rss_bytes(process_->pid());
  }

  /// Stops the server as an operator would (SIGTERM): after an attack it must still shut down
  /// cleanly, with exit status 0 and no sanitizer report.
  ~target_server() {
    process_->signal(SIGTERM);
    auto const status = process_->wait(30s);
    auto const& out = process_->output();
    if (status != 0 || out.find("Sanitizer") != std::string::npos || out.find("runtime error") != std::string::npos) {
      ADD_FAILURE() << "overworld-server did not stop cleanly (status " << (status ? *status : -1) << "):\n" << out;
    }
  }
  target_server(target_server const&) = delete;
  target_server& operator=(target_server const&) = delete;

  std::uint16_t public_port = 0, sandbox_port = 0, admin_port = 0;
  std::size_t baseline_rss = 0;

  pid_t pid() { return process_->pid(); }
  std::size_t rss() { return rss_bytes(process_->pid()); }
  std::string const& output() { return process_->output(); }
  std::string const& data_dir() const { return dir_.path(); }
  /// A key the server keeps in its data folder (reporter-key, admin-key, sandbox-api-key…).
  std::string key(std::string const& file) const {
    std::ifstream in{dir_.path() + "/" + file};
    std::string k;
    std::getline(in, k);
    return k;
  }

 private:
  /// The port of "HOST:PORT" right after `prefix` in `text`.
  static std::uint16_t port_after(std::string const& text, std::string const& prefix) {
    auto at = text.find(prefix);
    if (at == std::string::npos) throw std::runtime_error("no '" + prefix + "' in:\n" + text);
    at = text.find(':', at + prefix.size());
    return static_cast<std::uint16_t>(std::stoi(text.substr(at + 1)));
  }

  testing::temp_dir dir_;
  std::optional<testing::child_process> process_;
};

/// One request from 127.0.0.2 on a new connection: its time to a whole answer (any status), or
/// nullopt when none came within a second.
inline std::optional<std::chrono::microseconds> probe(std::uint16_t port, std::string const& target = "/healthz") {
  auto const t0 = std::chrono::steady_clock::now();
  raw_socket s{port, "127.0.0.2"};
  if (!s.connected() || !s.send(get(target), 1s)) return std::nullopt;
  if (!s.read(1s)) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
}

struct attack_report {
  std::size_t rss_start = 0;
  std::size_t rss_peak = 0;
  std::vector<std::chrono::microseconds> probes;  // answered ones
  std::size_t unanswered = 0;

  std::chrono::microseconds median_probe() const {
    if (probes.empty()) return std::chrono::microseconds::max();
    auto sorted = probes;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
  }
};

/// Runs `attack` on a thread of its own; meanwhile samples the server's RSS every 10 ms and probes
/// `port` (`target`) from 127.0.0.2 every 20 ms, until the attack returns.
inline attack_report under_attack(target_server& server, std::function<void()> const& attack, std::uint16_t port = 0,
                                  std::string const& target = "/healthz") {
  if (port == 0) port = server.public_port;
  attack_report report;
  report.rss_start = server.baseline_rss;
  report.rss_peak = server.rss();
  std::atomic<bool> done{false};
  std::thread attacker{[&] {
    attack();
    done = true;
  }};
  auto next_probe = std::chrono::steady_clock::now();
  do {
    report.rss_peak = std::max(report.rss_peak, server.rss());
    if (std::chrono::steady_clock::now() >= next_probe) {
      if (auto t = probe(port, target)) {
        report.probes.push_back(*t);
      } else {
        ++report.unanswered;
      }
      next_probe = std::chrono::steady_clock::now() + 20ms;
    }
    std::this_thread::sleep_for(10ms);  // a sampling period, not a wait for an event
  } while (!done);
  attacker.join();
  report.rss_peak = std::max(report.rss_peak, server.rss());
  if (auto t = probe(port, target)) report.probes.push_back(*t);  // at least one, after the attack
  return report;
}

}  // namespace overworld::hostile

/// The two things every attack is held to: memory and service to others. Under the sanitizers
/// (OVERWORLD_HOSTILE_UNBOUNDED) only the service: their shadow memory and slowness are their own.
#ifdef OVERWORLD_HOSTILE_UNBOUNDED
#define EXPECT_SERVER_UNHARMED(report) EXPECT_EQ((report).unanswered, 0u) << "probes from 127.0.0.2 went unanswered"
#else
#define EXPECT_SERVER_UNHARMED(report)                                                                               \
  do {                                                                                                               \
    EXPECT_LE((report).rss_peak, (report).rss_start + ::overworld::hostile::rss_allowance)                           \
        << "RSS grew from " << (report).rss_start / 1024 << " KiB to " << (report).rss_peak / 1024 << " KiB";        \
    EXPECT_EQ((report).unanswered, 0u) << "probes from 127.0.0.2 went unanswered";                                   \
    EXPECT_LE((report).median_probe(), ::overworld::hostile::probe_budget)                                           \
        << "median probe " << (report).median_probe().count() << " us over " << (report).probes.size() << " probes"; \
  } while (false)
#endif
