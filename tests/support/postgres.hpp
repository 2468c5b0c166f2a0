// A real PostgreSQL 15 server for tests: a new cluster (initdb) in a temporary folder, listening
// only on a Unix socket in that folder (no port to collide with), stopped when the test process
// ends — and killed with it if the process dies (parent-death signal). Run as root (CI), the
// server runs as the `postgres` user, as PostgreSQL requires. A missing PostgreSQL is a failure
// that says what to install, never a skipped test.
#pragma once

#include "support/process.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <csignal>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace overworld::testing {

class postgres_server {
 public:
  postgres_server() {
    if (!std::filesystem::exists(bin + "postgres"))
      throw std::runtime_error("PostgreSQL 15 is not installed (" + bin + "postgres); run scripts/bootstrap");
    if (::geteuid() == 0) {
      passwd const* pw = ::getpwnam("postgres");
      if (!pw) throw std::runtime_error("running as root needs the `postgres` user (package postgresql)");
      uid_ = pw->pw_uid;
      gid_ = pw->pw_gid;
      if (::chown(dir_.path().c_str(), uid_, gid_) != 0) throw std::runtime_error("cannot chown " + dir_.path());
    }
    if (run_as_owner(bin + "initdb",
                     {"-D", data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"}) != 0)
      throw std::runtime_error("initdb failed in " + data());
    start();
  }
  ~postgres_server() { stop(); }
  postgres_server(postgres_server const&) = delete;
  postgres_server& operator=(postgres_server const&) = delete;

  /// libpq connection string of database `db` on this server.
  std::string conninfo(std::string const& db = "postgres") const {
    return "host=" + dir_.path() + " user=postgres dbname=" + db;
  }

  /// Starts the server on the cluster (again, after stop()); waits until it accepts connections.
  void start() {
    server_ = spawn_as_owner(bin + "postgres", {"-D", data(), "-k", dir_.path(), "-c", "listen_addresses=", "-c",
                                                "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=40"});
    if (!wait_ready()) throw std::runtime_error("PostgreSQL did not start in " + data());
  }

  /// Stops the server at once, as a crash would (immediate shutdown: tests keep nothing).
  void stop() {
    if (server_ <= 0) return;
    ::kill(server_, SIGQUIT);
    int status = 0;
    ::waitpid(server_, &status, 0);
    server_ = -1;
  }

  /// A new, empty database; returns its connection string.
  std::string create_database() {
    std::string const name = "test_" + std::to_string(++databases_);
    if (run_as_owner(bin + "psql", {"-q", "-h", dir_.path(), "-U", "postgres", "-d", "postgres", "-c",
                                    "CREATE DATABASE " + name}) != 0)
      throw std::runtime_error("CREATE DATABASE " + name + " failed");
    return conninfo(name);
  }

 private:
  /// Runs `program` as the data folder's owner and waits; its exit code.
  int run_as_owner(std::string const& program, std::vector<std::string> const& args) {
    pid_t const pid = spawn_as_owner(program, args);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string data() const { return dir_.path() + "/data"; }

  pid_t spawn_as_owner(std::string const& program, std::vector<std::string> const& args) {
    std::vector<std::string> argv_s{program};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string const log = dir_.path() + "/postgres.log";
    pid_t const parent = ::getpid();
    pid_t const pid = ::fork();
    if (pid != 0) return pid;
    // The child: only async-signal-safe calls until exec.
    int const fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    if (uid_ != 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid_) != 0 || ::setuid(uid_) != 0)) ::_exit(126);
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);  // after setuid, which clears it
    if (::getppid() != parent) ::_exit(125);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }

  bool wait_ready() {
    for (int i = 0; i < 300; ++i) {  // 30 s at the most
      if (run_as_owner(bin + "pg_isready", {"-q", "-h", dir_.path(), "-U", "postgres"}) == 0) return true;
      int status = 0;
      if (::waitpid(server_, &status, WNOHANG) == server_) return false;
      ::usleep(100'000);
    }
    return false;
  }

  std::string const bin = "/usr/lib/postgresql/15/bin/";
  temp_dir dir_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  pid_t server_ = -1;
  int databases_ = 0;
};

/// The server of this test process, started on first use.
inline postgres_server& shared_postgres() {
  static postgres_server server;
  return server;
}

}  // namespace overworld::testing
