// Test support for the command line: runs the overworld binary with arguments, a clean
// environment and optional standard input, and captures its exit status, stdout and stderr apart
// (stdout must parse as JSON on its own). run_on_terminal() gives it a pseudo-terminal as stdout.
#pragma once

#include <boost/json.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace overworld::cli::testing {

struct run_result {
  int code = -1;  ///< exit status; 128+signal when killed; -1 when it did not end in time
  std::string out;
  std::string err;
};

/// The environment of the test minus anything that could change the program's behaviour
/// (OVERWORLD_*, NO_COLOR, a user's config file and tag history), plus `env`.
inline std::vector<std::string> clean_environment(std::map<std::string, std::string> const& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string const entry = *e;
    auto const key = entry.substr(0, entry.find('='));
    if (key.starts_with("OVERWORLD_") || key == "NO_COLOR" || key == "HOME" || key == "XDG_CONFIG_HOME" ||
        key == "XDG_STATE_HOME") {
      continue;
    }
    if (env.count(key)) continue;
    out.push_back(entry);
  }
  out.push_back("HOME=/nonexistent/overworld-cli-test");
  for (auto const& [k, v] : env) {
    if (k != "HOME") out.push_back(k + "=" + v);
  }
  return out;
}

namespace detail {

inline int spawn(std::vector<std::string> const& args, std::map<std::string, std::string> const& env, int in_fd,
                 int out_fd, int err_fd, std::vector<int> const& close_in_child, pid_t& pid) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  for (int fd : close_in_child) posix_spawn_file_actions_addclose(&actions, fd);
  std::vector<std::string> argv_s{OVERWORLD_CLI_PATH};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto env_s = clean_environment(env);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  int const rc = posix_spawn(&pid, OVERWORLD_CLI_PATH, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc;
}

// Reads every fd until EOF and waits for the child, killing it past the deadline.
inline int collect(pid_t pid, std::vector<std::pair<int, std::string*>> fds, std::chrono::milliseconds timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  bool killed = false;
  while (!fds.empty()) {
    std::vector<pollfd> p;
    for (auto const& [fd, sink] : fds) p.push_back({fd, POLLIN, 0});
    auto const left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (::poll(p.data(), p.size(), static_cast<int>(left.count())) <= 0) continue;
    for (std::size_t i = p.size(); i-- > 0;) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      auto const n = ::read(p[i].fd, buf, sizeof buf);
      if (n > 0) {
        fds[i].second->append(buf, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].first);
        fds.erase(fds.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  for (auto const& [fd, sink] : fds) ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (killed) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace detail

/// Runs `overworld args…`; `input` is its standard input (then closed).
inline run_result run(std::vector<std::string> const& args, std::map<std::string, std::string> const& env = {},
                      std::string const& input = {}, std::chrono::milliseconds timeout = std::chrono::seconds{60}) {
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe");
  }
  pid_t pid = -1;
  int const rc = detail::spawn(args, env, in[0], out[1], err[1], {}, pid);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) throw std::runtime_error("cannot start " OVERWORLD_CLI_PATH);
  // Small inputs fit the pipe; the program reads at most a line, and may exit before it reads
  // any: the write then fails with EPIPE, and the SIGPIPE it raises is kept from this process.
  if (!input.empty()) {
    sigset_t pipe_signal, before;
    ::sigemptyset(&pipe_signal);
    ::sigaddset(&pipe_signal, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_signal, &before);
    if (::write(in[1], input.data(), input.size()) < 0 && errno == EPIPE) {
      timespec const now{0, 0};
      ::sigtimedwait(&pipe_signal, nullptr, &now);
    }
    ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  }
  ::close(in[1]);
  run_result r;
  r.code = detail::collect(pid, {{out[0], &r.out}, {err[0], &r.err}}, timeout);
  return r;
}

/// False where no pseudo-terminal can be opened (some containers).
inline bool terminals_available() {
  int const fd = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

/// Runs `overworld args…` with a pseudo-terminal of `columns` × 24 as stdout (stderr and stdin
/// are pipes; with `stderr_too`, stderr is the terminal as well and r.err stays empty).
inline run_result run_on_terminal(std::vector<std::string> const& args,
                                  std::map<std::string, std::string> const& env = {}, unsigned short columns = 80,
                                  bool stderr_too = false) {
  int const master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) throw std::runtime_error("pty");
  char const* name = ::ptsname(master);
  int const slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  int err[2], in[2];
  if (slave < 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  winsize size{};
  size.ws_col = columns;
  size.ws_row = 24;
  if (::ioctl(slave, TIOCSWINSZ, &size) != 0) throw std::runtime_error("TIOCSWINSZ");
  // The terminal's own line discipline would turn "\n" into "\r\n": tests compare lines.
  termios mode{};
  ::tcgetattr(slave, &mode);
  mode.c_oflag &= ~static_cast<tcflag_t>(ONLCR);
  ::tcsetattr(slave, TCSANOW, &mode);
  pid_t pid = -1;
  int const rc = detail::spawn(args, env, in[0], slave, stderr_too ? slave : err[1], {}, pid);
  ::close(slave);
  ::close(in[0]);
  ::close(in[1]);
  ::close(err[1]);
  if (rc != 0) throw std::runtime_error("cannot start " OVERWORLD_CLI_PATH);
  run_result r;
  // The master reads EIO once the child (the slave's last holder) exits: that ends the loop.
  r.code = detail::collect(pid, {{master, &r.out}, {err[0], &r.err}}, std::chrono::seconds{60});
  return r;
}

/// A TCP port on 127.0.0.1 that refuses connections for as long as this object lives (bound,
/// never listening, so nobody else can take it meanwhile).
class refusing_port {
 public:
  refusing_port() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      throw std::runtime_error("refusing_port");
    }
    port_ = ntohs(a.sin_port);
  }
  ~refusing_port() { ::close(fd_); }
  refusing_port(refusing_port const&) = delete;
  refusing_port& operator=(refusing_port const&) = delete;
  std::uint16_t port() const { return port_; }
  std::string url(std::string const& path = {}) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

/// Lines of `text`, without their '\n'.
inline std::vector<std::string> lines(std::string const& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

/// The line of a table or block that starts with `first` (after leading blanks), or "".
inline std::string line_starting(std::string const& text, std::string const& first) {
  for (auto const& l : lines(text)) {
    auto const begin = l.find_first_not_of(' ');
    if (begin != std::string::npos && l.compare(begin, first.size(), first) == 0) return l;
  }
  return {};
}

inline std::string to_text(boost::json::value const& v) {
  if (v.is_string()) return std::string{v.as_string()};
  if (v.is_bool()) return v.as_bool() ? "yes" : "no";
  return boost::json::serialize(v);
}

}  // namespace overworld::cli::testing
