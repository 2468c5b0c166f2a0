// A real Redis 7 server for tests: redis-server in a temporary folder, listening only on a Unix
// socket there (--port 0: no port to collide with), keeping nothing on disk, and killed with the
// test process if that dies (parent-death signal). A missing redis-server is a failure that says
// what to install, never a skipped test.
#pragma once

#include "support/process.hpp"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace overworld::testing {

class redis_server {
 public:
  redis_server() {
    if (!std::filesystem::exists(program))
      throw std::runtime_error("Redis 7 is not installed (" + program +
                               "); run scripts/bootstrap (package redis-server)");
    start();
  }
  ~redis_server() { stop(); }
  redis_server(redis_server const&) = delete;
  redis_server& operator=(redis_server const&) = delete;

  std::string socket_path() const { return dir_.path() + "/redis.sock"; }
  /// The client URL of database `db`.
  std::string url(int db = 0) const { return "unix://" + socket_path() + "?db=" + std::to_string(db); }

  /// Starts the server (again, after stop()); waits until it answers PING.
  void start() {
    std::vector<std::string> args{program,        "--port",      "0",
                                  "--unixsocket", socket_path(), "--unixsocketperm",
                                  "700",          "--save",      "",
                                  "--appendonly", "no",          "--dir",
                                  dir_.path(),    "--logfile",   dir_.path() + "/redis.log"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t const parent = ::getpid();
    server_ = ::fork();
    if (server_ == 0) {  // the child: only async-signal-safe calls until exec
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(125);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    if (!wait_ready()) throw std::runtime_error("redis-server did not start; see " + dir_.path() + "/redis.log");
  }

  /// Kills the server at once, as a crash would: with --save "" its data is gone.
  void stop() {
    if (server_ <= 0) return;
    ::kill(server_, SIGKILL);
    int status = 0;
    ::waitpid(server_, &status, 0);
    server_ = -1;
    std::filesystem::remove(socket_path());
  }

  /// Sends one inline command and returns the first line of the answer ("+PONG", ":3", "-ERR …").
  std::string ask(std::string const& inline_command) const {
    int const fd = connect_socket();
    if (fd < 0) return "";
    std::string const line = inline_command + "\r\n";
    std::string answer;
    if (::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size())) {
      char c;
      while (::read(fd, &c, 1) == 1 && c != '\n') answer += c;
    }
    ::close(fd);
    if (!answer.empty() && answer.back() == '\r') answer.pop_back();
    return answer;
  }

 private:
  int connect_socket() const {
    int const fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string const path = socket_path();
    std::memcpy(addr.sun_path, path.c_str(), std::min(path.size() + 1, sizeof addr.sun_path));
    if (::connect(fd, reinterpret_cast<sockaddr const*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  bool wait_ready() {
    for (int i = 0; i < 500; ++i) {  // 10 s at the most
      if (std::filesystem::exists(socket_path()) && ask("PING") == "+PONG") return true;
      int status = 0;
      if (::waitpid(server_, &status, WNOHANG) == server_) {
        server_ = -1;
        return false;
      }
      ::usleep(20'000);
    }
    return false;
  }

  std::string const program = "/usr/bin/redis-server";
  temp_dir dir_;
  pid_t server_ = -1;
};

}  // namespace overworld::testing
