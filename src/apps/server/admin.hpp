// overworld-server admin <noun> <verb> …: operator commands on the launcher store.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace overworld::app {

/// Adds the `admin` subcommand tree to `cli`. After parsing, `run_admin()` runs what was asked.
class admin_commands {
 public:
  explicit admin_commands(CLI::App& cli);
  bool requested() const;
  /// Exit status: 0, or 1 with a one-line error on standard error.
  int run();

 private:
  CLI::App* admin_ = nullptr;
  std::string data_ = "./var";
  std::string config_;
  std::function<int()> action_;
  // arguments of the leaf commands
  std::string name_, value_, title_, summary_, author_ = "The Team", category_ = "Blog", image_;
  long long number_ = 0, id_ = 0;
  double hours_ = 0;
};

}  // namespace overworld::app
