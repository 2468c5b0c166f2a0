#include "request_log.hpp"
#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/toon/ttr.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

namespace overworld::cli {

toon::polling_options cli_polling(settings const& s, api which, toon::polling_options base) {
  if (s.verbose) base.on_response.push_back(request_log(s.base_url(which)));
  base.user_agent = "overworld-cli/0.1 (+https://github.com/overworld/overworld)";
  base.http = with_timeouts(base.http, s);
  base.retry.max_attempts = 2;
  base.backoff.initial = std::chrono::milliseconds{200};
  // Longer waits (a Retry-After, TTCC's own limit) come back as errors: exit 5, try again later.
  base.max_wait = std::min(s.timeout, std::chrono::milliseconds{5'000});
  return base;
}

namespace {

// Runs `body` with a TTR client on the configured base URL.
template <class Body>
int with_ttr(run_context const& ctx, Body const& body) {
  std::optional<toon::ttr_client> client;
  try {
    client.emplace(
        toon::ttr_options{.base_url = ctx.config.ttr_base_url, .polling = cli_polling(ctx.config, api::ttr)});
  } catch (std::invalid_argument const& e) {
    return fail(exit_usage, std::string{"ttr: "} + e.what());
  }
  return body(*client);
}

void add_simple(command_line& cl, CLI::App* group, char const* name, char const* description,
                std::function<int(run_context const&, toon::ttr_client&)> body) {
  auto* command = group->add_subcommand(name, description);
  std::string const example = std::string{"  overworld ttr "} + name;
  add_examples(command, example + "\n" + example + " -o json");
  cl.on_run(command, [body = std::move(body)](run_context const& ctx) {
    return with_ttr(ctx, [&](toon::ttr_client& c) { return body(ctx, c); });
  });
}

int login_exit_code(toon::ttr_login const& login) {
  switch (login.state) {
    case toon::login_state::success:
      return exit_ok;
    case toon::login_state::delayed:
      return exit_unavailable;
    case toon::login_state::partial:
    case toon::login_state::failure:
      break;
  }
  return exit_auth;
}

struct login_flags {
  std::string username;
  std::string code;  // the second step's code (appToken); asked when a partial answer comes
};

// Logs in, waits in the queue when the answer is `delayed` and sends the second step's code
// after a `partial` answer.
int login(run_context const& ctx, toon::ttr_client& c, login_flags const& f) {
  auto password = read_secret(ctx.config.ttr_password, "password: ");
  if (!password) {
    return fail(exit_usage,
                "ttr login: no password (OVERWORLD_TTR_PASSWORD, ttr.password or one line on standard input)");
  }
  auto answer = c.wait(c.login(f.username, *password));
  for (int step = 0; answer && step < 2; ++step) {
    if (answer->state == toon::login_state::delayed) {
      std::fprintf(stderr, "in the login queue: position %lld, about %llds\n",
                   static_cast<long long>(answer->position.value_or(0)),
                   static_cast<long long>(answer->eta.value_or(0)));
      answer = c.wait(c.wait_in_queue(*answer));
    } else if (answer->state == toon::login_state::partial) {
      auto code = f.code.empty() ? read_secret("", (answer->banner + "\ncode: ").c_str()) : std::optional{f.code};
      if (!code)
        return fail(exit_usage, "ttr login: the account asks for a code (--code or one line on standard input)");
      answer = c.wait(c.login_2fa(*code, answer->response_token));
    }
  }
  if (!answer) return fail(answer.error());
  if (ctx.config.json) {
    print_json(answer->json);
  } else {
    print(toon_render::ttr_login(*answer, ctx.color));
  }
  int const code = login_exit_code(*answer);
  if (code != exit_ok && ctx.config.json) {
    (void)fail(code, "login refused: " + std::string{toon::to_string(answer->state)} + " " + answer->banner);
  }
  return code;
}

void add_login(command_line& cl, CLI::App* ttr) {
  auto* command = ttr->add_subcommand(
      "login", "log in and print the game server and play cookie (password: OVERWORLD_TTR_PASSWORD or standard input)");
  auto f = std::make_shared<login_flags>();
  command->add_option("username", f->username, "account name")->required();
  command->add_option("--code", f->code, "the two-step verification code, when the account has it");
  add_examples(command, "  overworld ttr login mytoon\n  echo \"$PASSWORD\" | overworld ttr login mytoon -o json");
  cl.on_run(
      command,
      [f](run_context const& ctx) { return with_ttr(ctx, [&](toon::ttr_client& c) { return login(ctx, c, *f); }); },
      false);
}

void add_release_notes(command_line& cl, CLI::App* ttr) {
  auto* command = ttr->add_subcommand("releasenotes", "the game's release notes, or one of them by id");
  auto id = std::make_shared<std::optional<std::int64_t>>();
  command->add_option("id", *id, "a release note's id");
  add_examples(command, "  overworld ttr releasenotes\n  overworld ttr releasenotes 105");
  cl.on_run(command, [id](run_context const& ctx) {
    return with_ttr(ctx, [&](toon::ttr_client& c) {
      if (*id) return finish(ctx, c.wait(c.release_note(**id)), toon_render::release_note);
      return finish(ctx, c.wait(c.release_notes()), toon_render::release_notes);
    });
  });
}

}  // namespace

void add_ttr_commands(command_line& cl) {
  auto* ttr = cl.add_group("ttr", "Toontown Rewritten's public API");
  add_simple(cl, ttr, "invasions", "cog invasions now", [](run_context const& ctx, toon::ttr_client& c) {
    return finish(ctx, c.wait(c.invasions()), toon_render::invasions);
  });
  add_simple(cl, ttr, "population", "toons per district, and each district's status",
             [](run_context const& ctx, toon::ttr_client& c) {
               return finish(ctx, c.wait(c.population()), toon_render::population);
             });
  add_simple(
      cl, ttr, "status", "whether the game is open, and its banner",
      [](run_context const& ctx, toon::ttr_client& c) { return finish(ctx, c.wait(c.status()), toon_render::status); });
  add_simple(cl, ttr, "fieldoffices", "Sellbot field offices", [](run_context const& ctx, toon::ttr_client& c) {
    return finish(ctx, c.wait(c.field_offices()), toon_render::field_offices);
  });
  add_simple(cl, ttr, "sillymeter", "the Silly Meter and its teams", [](run_context const& ctx, toon::ttr_client& c) {
    return finish(ctx, c.wait(c.silly_meter()), toon_render::silly_meter);
  });
  add_simple(cl, ttr, "doodles", "doodles for sale in each district's playgrounds",
             [](run_context const& ctx, toon::ttr_client& c) {
               return finish(ctx, c.wait(c.doodles()), toon_render::doodles);
             });

  auto* news = ttr->add_subcommand("news", "the newest post, one post by id, or the list of posts");
  struct news_flags {
    std::optional<std::int64_t> id;
    bool list = false;
  };
  auto f = std::make_shared<news_flags>();
  auto* id = news->add_option("id", f->id, "a post id");
  news->add_flag("--list", f->list, "every post, newest first (several MiB)")->excludes(id);
  cl.on_run(news, [f](run_context const& ctx) {
    return with_ttr(ctx, [&](toon::ttr_client& c) {
      if (f->list) return finish(ctx, c.wait(c.news_list()), toon_render::news_list);
      if (f->id) return finish(ctx, c.wait(c.news_post(*f->id)), toon_render::news_post);
      return finish(ctx, c.wait(c.news()), toon_render::news_post);
    });
  });
  add_examples(news, "  overworld ttr news\n  overworld ttr news --list\n  overworld ttr news 318 -o json");
  add_release_notes(cl, ttr);
  add_login(cl, ttr);
}

}  // namespace overworld::cli
