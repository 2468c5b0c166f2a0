// Support of the tests that run overworld-server as users do: where the binary is, the port a
// listener logged, and `overworld-server admin …` with its standard input.
#pragma once

#include "http/server/support.hpp"
#include "support/process.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <utility>

namespace overworld::testing {

inline std::string server_binary() { return bin_dir() + "/overworld-server"; }

// Every server these tests start puts its admin API and sandbox on a free port, so that tests
// run in parallel.
[[maybe_unused]] inline int const admin_on_any_port = ::setenv("OVERWORLD_ADMIN_LISTEN", "127.0.0.1:0", 1);
[[maybe_unused]] inline int const sandbox_on_any_port = ::setenv("OVERWORLD_SANDBOX_LISTEN", "127.0.0.1:0", 1);

/// Parses the port that follows `before` (a regular expression) in a logged line; by default the
/// port of "listening on 127.0.0.1:PORT".
inline std::uint16_t port_of(std::string const& line, std::string const& before = "listening on .*:") {
  std::smatch m;
  std::regex const re{before + R"((\d+))"};
  if (!std::regex_search(line, m, re)) return 0;
  return static_cast<std::uint16_t>(std::stoi(m[1]));
}

/// Runs `overworld-server admin …` with `input` on standard input and `env` ("NAME='value' …")
/// before it; returns exit status and output.
inline std::pair<int, std::string> admin(std::string const& data, std::string const& args,
                                         std::string const& input = {}, std::string const& env = {}) {
  std::string const cmd =
      "printf '%s' '" + input + "' | " + env + " " + server_binary() + " admin --data " + data + " " + args + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buf[256];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int const status = ::pclose(p);
  return {WEXITSTATUS(status), out};
}

}  // namespace overworld::testing
