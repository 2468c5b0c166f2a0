// Black-box test support: start a real program with arguments and environment, read its output,
// signal it, wait for it. Header-only so any test binary can use it.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace overworld::testing {

/// The folder test binaries live in (apps are built beside them in build/<preset>/bin).
inline std::string bin_dir() {
  char buf[4096];
  auto const n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path{buf, static_cast<std::size_t>(n)};
  return path.substr(0, path.rfind('/'));
}

class child_process {
 public:
  /// Starts `program` with `args`; `env` entries are added to (or replace) the current environment.
  child_process(std::string const& program, std::vector<std::string> const& args,
                std::map<std::string, std::string> const& env = {}) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    std::vector<std::string> argv_s{program};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s;
    for (char** e = environ; *e; ++e) {
      std::string const entry = *e;
      auto const key = entry.substr(0, entry.find('='));
      if (!env.count(key)) env_s.push_back(entry);
    }
    for (auto const& [k, v] : env) env_s.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    int const rc = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    fd_ = out[0];
    if (rc != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot start " + program);
    }
  }
  child_process(child_process const&) = delete;
  child_process& operator=(child_process const&) = delete;
  ~child_process() {
    if (pid_ > 0 && !exit_status_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }

  /// Reads output until a line containing `needle` appears; returns it, or nullopt on timeout/exit.
  std::optional<std::string> wait_for_line(std::string const& needle,
                                           std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      for (std::size_t nl; (nl = pending_.find('\n')) != std::string::npos;) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        output_ += line + "\n";
        if (line.find(needle) != std::string::npos) return line;
      }
      auto const left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(left)) return std::nullopt;
    }
  }

  /// Everything printed so far (after draining what is available now).
  std::string const& output() {
    while (read_some(std::chrono::milliseconds{0})) {
    }
    output_ += pending_;
    pending_.clear();
    return output_;
  }

  void signal(int sig) { ::kill(pid_, sig); }

  /// Waits for the exit; returns the exit code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_status_) {
      int status = 0;
      pid_t const r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      read_some(std::chrono::milliseconds{20});
    }
    return exit_status_;
  }

  pid_t pid() const { return pid_; }

 private:
  bool read_some(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buf[4096];
    auto const n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string pending_;
  std::string output_;
  std::optional<int> exit_status_;
};

/// A fresh temporary folder, removed with its contents at the end of the scope.
class temp_dir {
 public:
  temp_dir() {
    char tmpl[] = "/tmp/overworld-test.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~temp_dir() {
    std::string const cmd = "rm -rf '" + path_ + "'";
    [[maybe_unused]] int const rc = std::system(cmd.c_str());
  }
  temp_dir(temp_dir const&) = delete;
  temp_dir& operator=(temp_dir const&) = delete;
  std::string const& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace overworld::testing
