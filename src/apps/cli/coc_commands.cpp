#include "coc_commands.hpp"

#include "coc_render.hpp"
#include "output.hpp"
#include "request_log.hpp"
#include "tag_history.hpp"

#include <overworld/coc/client.hpp>
#include <overworld/coc/war.hpp>

#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

namespace overworld::cli {
namespace {

using coc_call = std::function<coc::client::call(coc::client&)>;
using coc_renderer = renderer;

// Per-command option storage lives as long as the command line (the callbacks hold it).
struct paging_flags {
  std::optional<unsigned> limit;
  std::string after, before;
  bool all = false;
  coc::paging page() const { return {limit, after, before}; }
};

/// At most this many pages with --all (documented in docs/cli.md).
constexpr unsigned max_pages = 100;

std::optional<coc::client> make_client(run_context const& ctx, int& code) {
  if (ctx.config.coc_keys.empty()) {
    code =
        fail(exit_auth, "no Clash of Clans API key: pass --key, set OVERWORLD_COC_KEY or coc.key in the config file");
    return std::nullopt;
  }
  coc::client_options options;
  options.base_url = ctx.config.coc_base_url;
  options.keys = ctx.config.coc_keys;
  options.user_agent = "overworld-cli/0.1";
  options.cache_enabled = false;  // one call per process: a cache would only cost memory
  options.http = with_timeouts(options.http, ctx.config);
  options.retry.max_attempts = 2;
  options.throttle_retries = 0;  // a script would rather hear "rate limited" now than wait a minute
  if (ctx.config.verbose) options.on_response.push_back(request_log(ctx.config.coc_base_url));
  try {
    return std::optional<coc::client>{std::in_place, std::move(options)};
  } catch (std::invalid_argument const& e) {
    code = fail(exit_usage, std::string{"coc: "} + e.what());
    return std::nullopt;
  }
}

// The body of every page, following the cursors (--all), joined as one {"items":[…]} document.
result<std::string> all_pages(run_context const& ctx, coc::client& client, coc_call const& op, paging_flags& paging,
                              error_words const& words, int& code) {
  std::string items;
  for (unsigned page = 0; page < max_pages; ++page) {
    auto answer = client.wait(op(client));
    if (!answer) {
      code = fail(answer.error(), words);
      return errc::invalid_argument;
    }
    json_document doc;
    std::string why;
    auto root = doc.parse(answer->body(), why);
    if (!root) {
      code = fail(exit_api_error, "the answer is not JSON: " + why);
      return errc::parse_error;
    }
    for (json item : array(*root, "/items")) items += (items.empty() ? "" : ",") + simdjson::minify(item);
    paging.after = text(*root, "/paging/cursors/after");
    if (paging.after.empty()) return "{\"items\":[" + items + "]}";
  }
  (void)ctx;
  (void)fail(exit_ok,
             "--all: stopped after " + std::to_string(max_pages) + " pages (more: --after " + paging.after + ")");
  return "{\"items\":[" + items + "]}";
}

int run_coc(run_context const& ctx, coc_call const& op, coc_renderer const& render, error_words words = {},
            paging_flags* paging = nullptr) {
  int code = exit_ok;
  auto client = make_client(ctx, code);
  if (!client) return code;
  words.base_url = ctx.config.coc_base_url;
  words.coc = true;
  std::string body;
  if (paging && paging->all) {
    auto joined = all_pages(ctx, *client, op, *paging, words, code);
    if (!joined) return code;
    body = std::move(*joined);
  } else {
    auto answer = client->wait(op(*client));
    if (!answer) return fail(answer.error(), words);
    body = answer->body();
  }
  json_document doc;
  std::string why;
  auto root = doc.parse(body, why);
  if (!root) return fail(exit_api_error, "the answer is not JSON: " + why);
  // The next page's cursor goes to stderr, so that stdout stays the data alone.
  bool const table = ctx.config.output == output_format::table;
  if (auto const after = text(*root, "/paging/cursors/after"); table && !after.empty() && !(paging && paging->all)) {
    (void)fail(exit_ok, "more: --after " + after + " (or --all)");
  }
  return print_result(ctx, body, *root, render);
}

void add_paging(CLI::App* command, paging_flags& p) {
  command->add_option("-l,--limit", p.limit, "at most this many items (per page)")->check(positive_count);
  auto* after = command->add_option("--after", p.after, "the page after this cursor (from the previous page)");
  auto* before = command->add_option("--before", p.before, "the page before this cursor")->excludes(after);
  command->add_flag("-a,--all", p.all, "follow the cursors and print every page (at most 100)")->excludes(before);
}

// "#2PP" from "2pp" or "#2PP" (for messages; the SDK checks and encodes tags itself).
std::string shown_tag(std::string tag) {
  for (auto& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return tag.starts_with('#') ? tag : "#" + tag;
}

// A command that takes one tag, with or without paging.
// The war a clan is in now: a regular war, else its war in the current Clan War League round.
struct war_round {
  unsigned round = 0;  ///< the CWL round, 0 for a regular war
};

boost::asio::awaitable<coc::api_result<coc::raw_response>> current_war_answer(coc::client& c, std::string tag,
                                                                              std::shared_ptr<war_round> round) {
  auto resolved = co_await coc::resolve_current_war(c, std::move(tag));
  if (!resolved) co_return coc::api_result<coc::raw_response>{boost::system::in_place_error, resolved.error()};
  round->round = resolved->round;
  if (!resolved->war) {
    co_return coc::api_result<coc::raw_response>{boost::system::in_place_error,
                                                 sdk::decode_error("/currentwar", "no war answer")};
  }
  co_return std::move(*resolved->war);
}

/// The command's exit status; a tag that was found goes into the completion history.
int remembering(std::string const& tag, int code) {
  if (code == exit_ok) remember_tag(tag, std::getenv);
  return code;
}

void add_war(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("war", "a clan's current war: a regular war, or its Clan War League war");
  auto tag = std::make_shared<std::string>();
  command->add_option("tag", *tag, "tag, e.g. '#2PP' or 2PP")->required();
  add_examples(command, "  overworld coc war 29Y8PRCJR\n  overworld coc war '#2PP' -o json");
  cl.on_run(command, [tag](run_context const& ctx) {
    auto round = std::make_shared<war_round>();
    error_words words;
    words.not_found = "no clan with tag " + shown_tag(*tag);
    return remembering(*tag,
                       run_coc(
                           ctx, [&](coc::client& c) { return current_war_answer(c, *tag, round); },
                           [&](json root, bool color) { return coc_render::war(root, color, round->round); }, words));
  });
}

struct tag_command {
  std::string tag;
  paging_flags paging;
};

void add_tag_command(command_line& cl, CLI::App* group, char const* name, char const* description, char const* what,
                     bool paged, std::function<coc::client::call(coc::client&, tag_command const&)> call,
                     coc_renderer render) {
  auto* command = group->add_subcommand(name, description);
  auto args = std::make_shared<tag_command>();
  std::string const example = std::string{"  overworld coc "} + name + " 2PP";
  add_examples(command, example + (paged ? " --limit 10\n" + example + " --all -o csv" : "\n" + example + " -o json"));
  command->add_option("tag", args->tag, what)->required();
  if (paged) add_paging(command, args->paging);
  cl.on_run(command, [args, name, paged, call = std::move(call), render = std::move(render)](run_context const& ctx) {
    error_words words;
    std::string const noun = std::string_view{name} == "player" ? "player" : "clan";
    words.not_found = "no " + noun + " with tag " + shown_tag(args->tag);
    return remembering(args->tag, run_coc(
                                      ctx, [&](coc::client& c) { return call(c, *args); }, render, words,
                                      paged ? &args->paging : nullptr));
  });
}

void add_search(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("search", "search clans by name and filters");
  add_examples(command,
               "  overworld coc search lions --min-members 30\n  overworld coc search --war-frequency always "
               "--location 32000006 --limit 5 -o json");
  struct search_flags {
    std::string name, war_frequency;
    std::optional<std::int64_t> location, min_clan_points;
    std::optional<unsigned> min_members, max_members, min_clan_level;
    std::vector<std::int64_t> labels;
    paging_flags paging;
  };
  auto f = std::make_shared<search_flags>();
  command->add_option("name", f->name, "part of the clan's name (at least 3 characters)");
  command
      ->add_option("--war-frequency", f->war_frequency,
                   "always, moreThanOncePerWeek, oncePerWeek, lessThanOncePerWeek, never, unknown")
      ->check(
          CLI::IsMember({"always", "moreThanOncePerWeek", "oncePerWeek", "lessThanOncePerWeek", "never", "unknown"}));
  command->add_option("--location", f->location, "location id (see `coc locations`)");
  command->add_option("--min-members", f->min_members, "at least this many members");
  command->add_option("--max-members", f->max_members, "at most this many members");
  command->add_option("--min-clan-points", f->min_clan_points, "at least this many clan points");
  command->add_option("--min-clan-level", f->min_clan_level, "at least this clan level");
  command->add_option("--label", f->labels, "label id (repeat for several)");
  add_paging(command, f->paging);
  cl.on_run(command, [f](run_context const& ctx) {
    coc::clan_search s;
    s.name = f->name;
    s.war_frequency = f->war_frequency;
    s.location_id = f->location;
    s.min_members = f->min_members;
    s.max_members = f->max_members;
    s.min_clan_points = f->min_clan_points;
    s.min_clan_level = f->min_clan_level;
    s.label_ids = f->labels;
    s.page = f->paging.page();
    if (s.name.empty() && !s.location_id && !s.min_members && !s.max_members && !s.min_clan_points &&
        !s.min_clan_level && s.label_ids.empty() && s.war_frequency.empty()) {
      return fail(exit_usage, "coc search: give a name or at least one filter (see --help)");
    }
    return run_coc(
        ctx,
        [&](coc::client& c) {
          s.page = f->paging.page();
          return c.search_clans(s);
        },
        coc_render::clan_list, {}, &f->paging);
  });
}

void add_rankings(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("rankings", "clan, player, builder base and capital rankings of a location");
  add_examples(
      command,
      "  overworld coc rankings clans --limit 10\n  overworld coc rankings players --location 32000006 -o csv");
  struct rankings_flags {
    std::string kind = "clans";
    std::string location = "global";
    paging_flags paging;
  };
  auto f = std::make_shared<rankings_flags>();
  command->add_option("kind", f->kind, "clans (default), players, builder-clans, builder-players or capitals")
      ->check(CLI::IsMember({"clans", "players", "builder-clans", "builder-players", "capitals"}));
  command->add_option("--location", f->location, "location id or global (default)");
  add_paging(command, f->paging);
  cl.on_run(command, [f](run_context const& ctx) {
    std::optional<coc::location_ref> where;
    if (f->location == "global") {
      where = coc::location_ref::global();
    } else {
      try {
        std::size_t used = 0;
        std::int64_t const id = std::stoll(f->location, &used);
        if (used == f->location.size()) where = coc::location_ref{id};
      } catch (std::exception const&) {
      }
    }
    if (!where) return fail(exit_usage, "coc rankings: --location must be a location id or global");
    auto const& kind = f->kind;
    auto page = f->paging.page();
    coc_call call = [&](coc::client& c) {
      if (kind == "players") return c.player_rankings(*where, page);
      if (kind == "builder-clans") return c.clan_builder_base_rankings(*where, page);
      if (kind == "builder-players") return c.player_builder_base_rankings(*where, page);
      if (kind == "capitals") return c.capital_rankings(*where, page);
      return c.clan_rankings(*where, page);
    };
    return run_coc(
        ctx,
        [&](coc::client& c) {
          page = f->paging.page();
          return call(c);
        },
        [&](json root, bool color) { return coc_render::rankings(root, kind, color); }, {}, &f->paging);
  });
}

void add_locations(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("locations", "locations (regions and countries), or one of them");
  add_examples(command, "  overworld coc locations\n  overworld coc locations 32000006");
  struct locations_flags {
    std::optional<std::int64_t> id;
    paging_flags paging;
  };
  auto f = std::make_shared<locations_flags>();
  command->add_option("id", f->id, "a location id: show only that one");
  add_paging(command, f->paging);
  cl.on_run(command, [f](run_context const& ctx) {
    if (f->id)
      return run_coc(
          ctx, [&](coc::client& c) { return c.location(*f->id); }, coc_render::location);
    return run_coc(
        ctx, [&](coc::client& c) { return c.locations(f->paging.page()); }, coc_render::locations, {}, &f->paging);
  });
}

void add_leagues(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("leagues", "leagues of a kind, or one of them");
  add_examples(command, "  overworld coc leagues\n  overworld coc leagues --kind war -o json");
  struct leagues_flags {
    std::string kind = "home";
    std::optional<std::int64_t> id;
    paging_flags paging;
  };
  auto f = std::make_shared<leagues_flags>();
  command->add_option("id", f->id, "a league id: show only that one");
  command->add_option("--kind", f->kind, "home (default), tiers, war, capital or builder-base")
      ->check(CLI::IsMember({"home", "tiers", "war", "capital", "builder-base"}));
  add_paging(command, f->paging);
  cl.on_run(command, [f](run_context const& ctx) {
    auto const& kind = f->kind;
    auto page = f->paging.page();
    if (f->id) {
      std::int64_t const id = *f->id;
      coc_call one = [&](coc::client& c) {
        if (kind == "tiers") return c.league_tier(id);
        if (kind == "war") return c.war_league(id);
        if (kind == "capital") return c.capital_league(id);
        if (kind == "builder-base") return c.builder_base_league(id);
        return c.league(id);
      };
      return run_coc(ctx, one, coc_render::league);
    }
    coc_call all = [&](coc::client& c) {
      page = f->paging.page();
      if (kind == "tiers") return c.league_tiers(page);
      if (kind == "war") return c.war_leagues(page);
      if (kind == "capital") return c.capital_leagues(page);
      if (kind == "builder-base") return c.builder_base_leagues(page);
      return c.leagues(page);
    };
    return run_coc(ctx, all, coc_render::leagues, {}, &f->paging);
  });
}

void add_cwl(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("cwl", "a clan's Clan War League group, or one CWL war with --war");
  add_examples(command, "  overworld coc cwl 29Y8PRCJR\n  overworld coc cwl --war '#8QU8J9LP'");
  struct cwl_flags {
    std::string tag, war;
  };
  auto f = std::make_shared<cwl_flags>();
  auto* tag = command->add_option("tag", f->tag, "clan tag");
  command->add_option("--war", f->war, "a war tag from the group's rounds: show that war")->excludes(tag);
  cl.on_run(command, [f](run_context const& ctx) {
    if (!f->war.empty())
      return run_coc(
          ctx, [&](coc::client& c) { return c.cwl_war(f->war); },
          [](json root, bool color) { return coc_render::war(root, color); });
    if (f->tag.empty()) return fail(exit_usage, "coc cwl: give a clan tag or --war WAR_TAG");
    error_words words;
    words.not_found = "clan " + shown_tag(f->tag) +
                      " is not in a Clan War League group now (groups exist only during the league's week)";
    return remembering(
        f->tag, run_coc(
                    ctx, [&](coc::client& c) { return c.league_group(f->tag); }, coc_render::league_group, words));
  });
}

}  // namespace

void add_coc_commands(command_line& cl) {
  auto* coc = cl.add_group("coc", "Clash of Clans API (key: --key or OVERWORLD_COC_KEY)");
  coc->add_option("--key", cl.flags().coc_keys,
                  "API key (repeat for several); it shows in ps: prefer --key-file or OVERWORLD_COC_KEY");
  coc->add_option("--key-file", cl.flags().coc_key_file,
                  "a file with the API key(s), one per line (also coc.key_file)");
  auto const tag_help = "tag, e.g. '#2PP' or 2PP";
  add_tag_command(
      cl, coc, "player", "a player's profile", tag_help, false,
      [](coc::client& c, tag_command const& a) { return c.player(a.tag); }, coc_render::player);
  add_tag_command(
      cl, coc, "clan", "a clan's profile and members", tag_help, false,
      [](coc::client& c, tag_command const& a) { return c.clan(a.tag); }, coc_render::clan);
  add_tag_command(
      cl, coc, "members", "a clan's members", tag_help, true,
      [](coc::client& c, tag_command const& a) { return c.clan_members(a.tag, a.paging.page()); }, coc_render::members);
  add_war(cl, coc);
  add_cwl(cl, coc);
  add_tag_command(
      cl, coc, "warlog", "a clan's war log (when public)", tag_help, true,
      [](coc::client& c, tag_command const& a) { return c.war_log(a.tag, a.paging.page()); }, coc_render::war_log);
  add_tag_command(
      cl, coc, "raids", "a clan's capital raid seasons", tag_help, true,
      [](coc::client& c, tag_command const& a) { return c.raid_seasons(a.tag, a.paging.page()); }, coc_render::raids);
  add_search(cl, coc);
  add_rankings(cl, coc);
  add_locations(cl, coc);
  add_leagues(cl, coc);
  add_coc_keys_commands(cl, coc);
  add_coc_watch_command(cl, coc);
  auto* goldpass = coc->add_subcommand("goldpass", "the current gold pass season");
  add_examples(goldpass, "  overworld coc goldpass\n  overworld coc goldpass -o json");
  cl.on_run(goldpass, [](run_context const& ctx) {
    return run_coc(
        ctx, [](coc::client& c) { return c.gold_pass(); }, coc_render::gold_pass);
  });
}

}  // namespace overworld::cli
