#include "request_log.hpp"
#include "toon_commands.hpp"
#include "toon_render.hpp"

#include <overworld/toon/ttr.hpp>

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
  cl.on_run(command, [body = std::move(body)](run_context const& ctx) {
    return with_ttr(ctx, [&](toon::ttr_client& c) { return body(ctx, c); });
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
}

}  // namespace overworld::cli
