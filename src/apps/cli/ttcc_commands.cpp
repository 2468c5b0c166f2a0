#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/toon/ttcc.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

namespace overworld::cli {
namespace {

template <class Body>
int with_ttcc(run_context const& ctx, Body const& body) {
  std::optional<toon::ttcc_client> client;
  try {
    toon::ttcc_options options;
    options.base_url = ctx.config.ttcc_base_url;
    options.polling = cli_polling(ctx.config, api::ttcc, toon::ttcc_polling());
    client.emplace(std::move(options));
  } catch (std::invalid_argument const& e) {
    return fail(exit_usage, std::string{"ttcc: "} + e.what());
  }
  return body(*client);
}

int login_exit_code(toon::ttcc_login const& login) {
  switch (login.reason) {
    case toon::login_reason::success:
      return exit_ok;
    case toon::login_reason::maintenance:
    case toon::login_reason::rate_limited:
      return exit_unavailable;
    case toon::login_reason::terminated:
    case toon::login_reason::banned:
    case toon::login_reason::invalid_credentials:
      return exit_auth;
    case toon::login_reason::unknown:
      break;
  }
  return login.status ? exit_ok : exit_api_error;
}

/// The exit status of a launcher v1 answer: a bad token is an authentication failure.
int token_exit_code(toon::launcher_token_answer const& a) {
  if (a.bad_token) return exit_auth;
  if (a.http_status == 429) return exit_unavailable;
  if (a.status) return exit_ok;
  toon::ttcc_login as_login;
  as_login.reason = a.reason;
  return a.toonstep ? exit_auth : login_exit_code(as_login);
}

int print_token_answer(run_context const& ctx, toon::api_result<toon::launcher_token_answer> const& answer,
                       char const* done) {
  if (!answer) return fail(answer.error());
  if (ctx.config.json) {
    print_json(answer->json);
  } else {
    print(toon_render::launcher_token_answer(*answer, done, ctx.color));
  }
  int const code = token_exit_code(*answer);
  if (code != exit_ok && ctx.config.json) {
    (void)fail(code, answer->bad_token ? "the launcher token is unknown or revoked" : "refused: " + answer->message);
  }
  return code;
}

/// The launcher token: the first line of `file` ("-": standard input).
std::optional<std::string> read_token_file(std::string const& file) {
  std::string line;
  if (file == "-") {
    if (!std::getline(std::cin, line)) return std::nullopt;
  } else {
    std::ifstream in{file};
    if (!std::getline(in, line)) return std::nullopt;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) return std::nullopt;
  return line;
}

/// Writes the token to `file`, readable by its owner only.
bool save_token(std::string const& file, std::string const& token) {
  int const fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  std::string const line = token + "\n";
  bool const ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  return ::close(fd) == 0 && ok;
}

struct login_flags {
  std::string username;
  std::string token_file;
};

int login(run_context const& ctx, login_flags const& f) {
  if (!f.token_file.empty()) {
    auto token = read_token_file(f.token_file);
    if (!token) return fail(exit_usage, "ttcc login: no launcher token in " + f.token_file);
    return with_ttcc(ctx, [&](toon::ttcc_client& c) {
      return print_token_answer(ctx, c.wait(c.login_with_launcher_token(*token)), "logged in");
    });
  }
  if (f.username.empty()) return fail(exit_usage, "ttcc login: give a username, or --launcher-token-file");
  auto password = read_secret(ctx.config.ttcc_password, "password: ");
  if (!password) {
    return fail(exit_usage,
                "ttcc login: no password (OVERWORLD_TTCC_PASSWORD, ttcc.password or one line on standard input)");
  }
  return with_ttcc(ctx, [&](toon::ttcc_client& c) {
    auto answer = c.wait(c.login(f.username, *password));
    if (!answer) return fail(answer.error());
    if (ctx.config.json) {
      print_json(answer->json);
    } else {
      print(toon_render::ttcc_login(*answer, ctx.color));
    }
    int const code = login_exit_code(*answer);
    if (code != exit_ok && ctx.config.json) {
      (void)fail(code, "login refused: " + std::to_string(answer->reason_code) + " " + answer->friendly_reason);
    }
    return code;
  });
}

void add_login(command_line& cl, CLI::App* ttcc) {
  auto* command = ttcc->add_subcommand(
      "login",
      "log in and print a game token: with the password (OVERWORLD_TTCC_PASSWORD or standard input) "
      "or a launcher token (ttcc register)");
  add_examples(command,
               "  overworld ttcc login mytoon\n  echo \"$PASSWORD\" | overworld ttcc login mytoon -o json\n"
               "  overworld ttcc login --launcher-token-file ~/.config/overworld/ttcc-token");
  auto f = std::make_shared<login_flags>();
  command->add_option("username", f->username, "account name (not with --launcher-token-file)");
  command->add_option("--launcher-token-file", f->token_file,
                      "log in with the launcher token in this file (- for standard input) instead of a password");
  cl.on_run(
      command, [f](run_context const& ctx) { return login(ctx, *f); }, false);
}

struct token_flags {
  std::string username, device, save, token_file;
};

int register_launcher(run_context const& ctx, token_flags const& f) {
  auto password = read_secret(ctx.config.ttcc_password, "password: ");
  if (!password) return fail(exit_usage, "ttcc register: no password (OVERWORLD_TTCC_PASSWORD or standard input)");
  return with_ttcc(ctx, [&](toon::ttcc_client& c) {
    auto answer = c.wait(c.register_launcher(f.username, *password, f.device));
    if (answer && answer->status && !f.save.empty()) {
      if (!save_token(f.save, answer->token)) return fail(exit_usage, "ttcc register: cannot write " + f.save);
      (void)fail(exit_ok, "launcher token saved in " + f.save + " (readable by you only)");
    }
    return print_token_answer(ctx, answer, "registered");
  });
}

void add_token_commands(command_line& cl, CLI::App* ttcc) {
  auto f = std::make_shared<token_flags>();
  auto* reg = ttcc->add_subcommand("register",
                                   "trade the username and password for a long-lived launcher token (launcher v1 API)");
  reg->add_option("username", f->username, "account name")->required();
  reg->add_option("--device", f->device, "this device's name, shown in the account's token list");
  reg->add_option("--save", f->save, "write the token to this file (mode 0600) for ttcc login --launcher-token-file");
  add_examples(reg, "  overworld ttcc register mytoon --device laptop --save ~/.config/overworld/ttcc-token");
  cl.on_run(
      reg, [f](run_context const& ctx) { return register_launcher(ctx, *f); }, false);

  auto* revoke = ttcc->add_subcommand("revoke", "end a launcher token (it cannot log in again)");
  revoke->add_option("--launcher-token-file", f->token_file, "the token's file (- for standard input)")->required();
  add_examples(revoke, "  overworld ttcc revoke --launcher-token-file ~/.config/overworld/ttcc-token");
  cl.on_run(revoke, [f](run_context const& ctx) {
    auto token = read_token_file(f->token_file);
    if (!token) return fail(exit_usage, "ttcc revoke: no launcher token in " + f->token_file);
    return with_ttcc(ctx, [&](toon::ttcc_client& c) {
      return print_token_answer(ctx, c.wait(c.revoke_launcher_token(*token)), "revoked");
    });
  });

  auto* metadata = ttcc->add_subcommand("metadata", "the launcher's metadata for a launcher token (JSON)");
  metadata->add_option("--launcher-token-file", f->token_file, "the token's file (- for standard input)")->required();
  add_examples(metadata, "  overworld ttcc metadata --launcher-token-file ~/.config/overworld/ttcc-token");
  cl.on_run(metadata, [f](run_context const& ctx) {
    auto token = read_token_file(f->token_file);
    if (!token) return fail(exit_usage, "ttcc metadata: no launcher token in " + f->token_file);
    return with_ttcc(ctx, [&](toon::ttcc_client& c) {
      auto body = c.wait(c.launcher_metadata(*token));
      if (!body) return fail(body.error());
      print_json(*body);
      return int{exit_ok};
    });
  });
}

}  // namespace

void add_ttcc_commands(command_line& cl) {
  auto* ttcc = cl.add_group("ttcc", "Toontown: Corporate Clash's public API");

  auto* districts = ttcc->add_subcommand("districts", "districts, their population and invasions");
  add_examples(districts, "  overworld ttcc districts\n  overworld ttcc districts --legacy -o json");
  auto legacy = std::make_shared<bool>(false);
  districts->add_flag("--legacy", *legacy, "use the 2018 endpoint /api/v1/districts/");
  cl.on_run(districts, [legacy](run_context const& ctx) {
    return with_ttcc(ctx, [&](toon::ttcc_client& c) {
      auto const which = *legacy ? toon::districts_endpoint::legacy : toon::districts_endpoint::current;
      return finish(ctx, c.wait(c.districts(which)), toon_render::districts);
    });
  });

  auto* news = ttcc->add_subcommand("news", "launcher news, or one article by id");
  add_examples(news, "  overworld ttcc news\n  overworld ttcc news 42");
  auto id = std::make_shared<std::optional<std::int64_t>>();
  news->add_option("id", *id, "an article id");
  cl.on_run(news, [id](run_context const& ctx) {
    return with_ttcc(ctx, [&](toon::ttcc_client& c) {
      if (!*id) return finish(ctx, c.wait(c.news()), toon_render::articles);
      auto one = c.wait(c.news_article(**id));
      if (one && one->articles.size() == 1 && !ctx.config.json) {
        print(toon_render::article(one->articles.front(), ctx.color));
        return int{exit_ok};
      }
      return finish(ctx, one, toon_render::articles);
    });
  });

  auto* version = ttcc->add_subcommand("version", "the launcher's current version");
  add_examples(version, "  overworld ttcc version");
  cl.on_run(version, [](run_context const& ctx) {
    return with_ttcc(
        ctx, [&](toon::ttcc_client& c) { return finish(ctx, c.wait(c.version()), toon_render::launcher_version); });
  });

  auto* info = ttcc->add_subcommand("info", "game info: open or closed, toons in game, game version");
  add_examples(info, "  overworld ttcc info -o json");
  cl.on_run(info, [](run_context const& ctx) {
    return with_ttcc(ctx,
                     [&](toon::ttcc_client& c) { return finish(ctx, c.wait(c.game_info()), toon_render::game_info); });
  });

  add_login(cl, ttcc);
  add_token_commands(cl, ttcc);
}

}  // namespace overworld::cli
