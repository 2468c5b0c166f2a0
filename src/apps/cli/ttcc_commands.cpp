#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/toon/ttcc.hpp>

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

  auto* login = ttcc->add_subcommand(
      "login", "log in and print a game token (password: OVERWORLD_TTCC_PASSWORD or standard input)");
  add_examples(login, "  overworld ttcc login mytoon\n  echo \"$PASSWORD\" | overworld ttcc login mytoon -o json");
  auto username = std::make_shared<std::string>();
  login->add_option("username", *username, "account name")->required();
  cl.on_run(
      login,
      [username](run_context const& ctx) {
        auto password = read_secret(ctx.config.ttcc_password, "password: ");
        if (!password) {
          return fail(exit_usage,
                      "ttcc login: no password (OVERWORLD_TTCC_PASSWORD, ttcc.password or one line on standard input)");
        }
        return with_ttcc(ctx, [&](toon::ttcc_client& c) {
          auto answer = c.wait(c.login(*username, *password));
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
      },
      false);
}

}  // namespace overworld::cli
