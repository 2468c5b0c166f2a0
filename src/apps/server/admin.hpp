// overworld-server admin <noun> <verb> …: operator commands on the launcher store.
#pragma once

#include <overworld/server/launcher/passwords.hpp>
#include <overworld/store/launcher_store.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace overworld::app {

/// Adds the `admin` subcommand tree to `cli`. After parsing, `run_admin()` runs what was asked.
class admin_commands {
 public:
  explicit admin_commands(CLI::App& cli);
  bool requested() const;
  /// Exit status: 0; 1 with a one-line error on standard error when the store refuses (no such
  /// account…); 2 with a one-line error for an argument out of range, before the store is opened.
  int run();

 private:
  CLI::App* admin_ = nullptr;
  std::string data_ = "./var";
  std::string config_;
  std::function<int()> action_;
  /// Runs `f` on the store (after `check`, before the store is opened) as the command's action.
  using store_action = std::function<int(store::launcher_store&, launcher::password_policy const&)>;
  void on(CLI::App* cmd, store_action f, std::function<std::string()> check = {});
  void add_content_commands();  // release notes, news list, launcher tokens, two-step (admin_content.cpp)
  // arguments of the leaf commands
  std::string name_, value_, title_, summary_, author_ = "The Team", category_ = "Blog", image_, body_, slug_;
  bool off_ = false;
  std::string number_, id_, hours_;  // range-checked by run() (launcher/admin_api.hpp)
};

}  // namespace overworld::app
