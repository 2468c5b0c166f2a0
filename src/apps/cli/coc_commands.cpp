#include "coc_commands.hpp"

#include "coc_render.hpp"
#include "output.hpp"
#include "request_log.hpp"
#include "tag_history.hpp"

#include <overworld/coc/client.hpp>
#include <overworld/coc/operations.hpp>
#include <overworld/coc/war.hpp>

#include <algorithm>
#include <array>
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

// The arguments of an operation's command, for every parameter shape (coc/operation_list.hpp):
// each row's command declares the ones its shape takes.
struct op_args {
  std::string tag, season, player, token;
  std::int64_t id = 0;
  std::string location = "global";
  paging_flags paging;
};

// A location of the rankings from the command line: an id or "global".
std::optional<coc::location_ref> location_of(std::string const& text) {
  if (text == "global") return coc::location_ref::global();
  try {
    std::size_t used = 0;
    std::int64_t const id = std::stoll(text, &used);
    if (used == text.size()) return coc::location_ref{id};
  } catch (std::exception const&) {
  }
  return std::nullopt;
}

// The client's call of each row, with the row's own arguments (named as the SDK names them).
using op_call = coc::client::call (*)(coc::client&, op_args const&, coc::location_ref const&);
#define OVERWORLD_CLI_OP_CALL(name, method, route, shape, query, pg, model)                       \
  +[](coc::client& c, op_args const& a, coc::location_ref const& where) {                         \
    [[maybe_unused]] std::string_view const tag = a.tag, group_tag = a.tag, season_id = a.season; \
    [[maybe_unused]] std::string_view const player_tag = a.player, token = a.token;               \
    [[maybe_unused]] std::int64_t const id = a.id, league_id = a.id;                              \
    [[maybe_unused]] coc::clan_search const filters;                                              \
    [[maybe_unused]] coc::paging const page = a.paging.page();                                    \
    (void)where;                                                                                  \
    return c.name(OVERWORLD_COC_ARGS(shape, pg));                                                 \
  },
constexpr std::array<op_call, coc::operation_count> op_calls{OVERWORLD_COC_OPERATIONS(OVERWORLD_CLI_OP_CALL)};
#undef OVERWORLD_CLI_OP_CALL

// The positional arguments and options of a row's shape.
void add_shape_arguments(CLI::App* command, coc::operation const& o, op_args& a) {
  using shape = coc::param_shape;
  switch (o.shape) {
    case shape::tag:
      command->add_option("tag", a.tag, "tag, e.g. '#2PP' or 2PP")->required();
      break;
    case shape::tag_token:
      command->add_option("tag", a.tag, "player tag")->required();
      command->add_option("--token", a.token, "the API token from the player's game settings")->required();
      break;
    case shape::tag_season_player:
      command->add_option("group", a.tag, "the group's tag (a player's currentLeagueGroupTag)")->required();
      command->add_option("season", a.season, "the season id (the player's currentLeagueSeasonId)")->required();
      command->add_option("--player", a.player, "the group as this player sees it");
      break;
    case shape::id_season:
      command->add_option("id", a.id, "league id")->required();
      command->add_option("season", a.season, "season id, e.g. 2026-03")->required();
      break;
    case shape::id:
      command->add_option("id", a.id, "id")->required();
      break;
    case shape::where:
      command->add_option("--location", a.location, "location id or global (default)");
      break;
    case shape::none:
    case shape::filters:
      break;
  }
}

// Sample arguments of a shape, for the examples.
std::string sample_of(coc::param_shape s) {
  using shape = coc::param_shape;
  switch (s) {
    case shape::tag:
      return " 2PP";
    case shape::tag_token:
      return " 2PP --token TOKEN";
    case shape::tag_season_player:
      return " '#2PP' 2026-03";
    case shape::id_season:
      return " 29000022 2026-03";
    case shape::id:
      return " 29000022";
    default:
      return "";
  }
}

// "no player with tag #2PP": the noun from the row's path.
std::string not_found_of(coc::operation const& o, std::string const& tag) {
  std::string_view const noun = o.path.starts_with("/players/") ? "player"
                                : o.path.starts_with("/clans/") ? "clan"
                                                                : "";
  if (noun.empty()) return {};
  return "no " + std::string{noun} + " with tag " + shown_tag(tag);
}

/// The command of one row: its name, its shape's arguments, its paging flags when it pages, and
/// how its answer is shown (`render`, or the generic table of its fields).
struct op_face {
  coc::op id;
  std::string_view command;  ///< empty: the operation's name with '-' for '_'
  char const* help = nullptr;
  coc_renderer render;
};

std::string command_name(op_face const& f) {
  if (!f.command.empty()) return std::string{f.command};
  std::string name{coc::operation_of(f.id).name};
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

void add_op_command(command_line& cl, CLI::App* group, op_face face) {
  auto const& o = coc::operation_of(face.id);
  auto const name = command_name(face);
  std::string const help = face.help ? face.help : std::string{http::to_string(o.method)} + " " + std::string{o.path};
  auto* command = group->add_subcommand(name, help);
  auto args = std::make_shared<op_args>();
  std::string const example = "  overworld coc " + name + sample_of(o.shape);
  add_examples(command,
               example + (o.paged ? " --limit 10\n" + example + " --all -o csv" : "\n" + example + " -o json"));
  add_shape_arguments(command, o, *args);
  if (o.paged) add_paging(command, args->paging);
  auto render = face.render ? face.render : coc_renderer{coc_render::fields};
  cl.on_run(command, [args, &o, render = std::move(render)](run_context const& ctx) {
    auto const where = location_of(args->location);
    if (!where) return fail(exit_usage, "coc: --location must be a location id or global");
    error_words words;
    words.not_found = not_found_of(o, args->tag);
    auto const call = [&](coc::client& c) { return op_calls[static_cast<std::size_t>(o.id)](c, *args, *where); };
    int const code = run_coc(ctx, call, render, words, o.paged ? &args->paging : nullptr);
    return args->tag.empty() ? code : remembering(args->tag, code);
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
    auto const where = location_of(f->location);
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

// The rows served by the hand-written commands above (several rows in one command, or a resolver
// in front of them); every other row is a command of its own (add_op_command).
struct served {
  coc::op id;
  std::string_view command;
};
constexpr served hand_written[] = {
    {coc::op::search_clans, "search"},
    {coc::op::current_war, "war"},
    {coc::op::league_group, "cwl"},
    {coc::op::cwl_war, "cwl"},
    {coc::op::league_tiers, "leagues"},
    {coc::op::league_tier, "leagues"},
    {coc::op::leagues, "leagues"},
    {coc::op::league, "leagues"},
    {coc::op::war_leagues, "leagues"},
    {coc::op::war_league, "leagues"},
    {coc::op::capital_leagues, "leagues"},
    {coc::op::capital_league, "leagues"},
    {coc::op::builder_base_leagues, "leagues"},
    {coc::op::builder_base_league, "leagues"},
    {coc::op::locations, "locations"},
    {coc::op::location, "locations"},
    {coc::op::clan_rankings, "rankings"},
    {coc::op::player_rankings, "rankings"},
    {coc::op::clan_builder_base_rankings, "rankings"},
    {coc::op::player_builder_base_rankings, "rankings"},
    {coc::op::capital_rankings, "rankings"},
};

// Rows whose command has a name, help and table of its own.
std::vector<op_face> named_faces() {
  return {{coc::op::player, "player", "a player's profile", coc_render::player},
          {coc::op::clan, "clan", "a clan's profile and members", coc_render::clan},
          {coc::op::clan_members, "members", "a clan's members", coc_render::members},
          {coc::op::war_log, "warlog", "a clan's war log (when public)", coc_render::war_log},
          {coc::op::raid_seasons, "raids", "a clan's capital raid seasons", coc_render::raids},
          {coc::op::gold_pass, "goldpass", "the current gold pass season", coc_render::gold_pass}};
}

op_face face_of(coc::op id) {
  for (auto& f : named_faces()) {
    if (f.id == id) return f;
  }
  return {id, {}, nullptr, {}};
}

std::string command_of(coc::op id) {
  for (auto const& h : hand_written) {
    if (h.id == id) return std::string{h.command};
  }
  return command_name(face_of(id));
}

// `coc operations`: every operation of the API and the command that calls it.
void add_operations_list(command_line& cl, CLI::App* group) {
  auto* command = group->add_subcommand("operations", "every operation of the API and the command that calls it");
  add_examples(command, "  overworld coc operations\n  overworld coc operations -o csv");
  cl.on_run(command, [](run_context const& ctx) {
    std::string body = "{\"items\":[";
    for (auto const& o : coc::operations()) {
      if (body.back() != '[') body += ',';
      body += '{';
      json_member(body, "operation", o.name, true);
      json_member(body, "method", http::to_string(o.method), true);
      json_member(body, "path", o.path, true);
      json_member(body, "command", "coc " + command_of(o.id), true);
      body += '}';
    }
    return print_body(ctx, body + "]}", coc_render::operations);
  });
}

void add_coc_commands(command_line& cl) {
  auto* coc = cl.add_group("coc", "Clash of Clans API (key: --key or OVERWORLD_COC_KEY)");
  coc->add_option("--key", cl.flags().coc_keys,
                  "API key (repeat for several); it shows in ps: prefer --key-file or OVERWORLD_COC_KEY");
  coc->add_option("--key-file", cl.flags().coc_key_file,
                  "a file with the API key(s), one per line (also coc.key_file)");
  add_op_command(cl, coc, face_of(coc::op::player));
  add_op_command(cl, coc, face_of(coc::op::clan));
  add_op_command(cl, coc, face_of(coc::op::clan_members));
  add_war(cl, coc);
  add_cwl(cl, coc);
  add_op_command(cl, coc, face_of(coc::op::war_log));
  add_op_command(cl, coc, face_of(coc::op::raid_seasons));
  add_search(cl, coc);
  add_rankings(cl, coc);
  add_locations(cl, coc);
  add_leagues(cl, coc);
  add_coc_keys_commands(cl, coc);
  add_coc_watch_command(cl, coc);
  add_op_command(cl, coc, face_of(coc::op::gold_pass));
  // Every other row: a command named after it, with the generic table.
  auto const named = named_faces();
  for (auto const& o : coc::operations()) {
    bool const taken =
        std::any_of(std::begin(hand_written), std::end(hand_written), [&](auto& h) { return h.id == o.id; }) ||
        std::any_of(named.begin(), named.end(), [&](auto& f) { return f.id == o.id; });
    if (!taken) add_op_command(cl, coc, face_of(o.id));
  }
  add_operations_list(cl, coc);
}

}  // namespace overworld::cli
