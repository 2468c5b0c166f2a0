#include "coc_commands.hpp"

#include "coc_operations.hpp"
#include "coc_render.hpp"
#include "coc_run.hpp"
#include "output.hpp"

#include <overworld/coc/client.hpp>
#include <overworld/coc/operations.hpp>
#include <overworld/coc/war.hpp>

#include <initializer_list>
#include <memory>
#include <optional>

namespace overworld::cli {
namespace {

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

kind_command rankings_command() {
  using coc::op;
  return {.name = "rankings",
          .help = "clan, player, builder base and capital rankings of a location",
          .examples =
              "  overworld coc rankings clans --limit 10\n  overworld coc rankings players --location 32000006 -o csv",
          .kind_option = "kind",
          .kind_help = "clans (default), players, builder-clans, builder-players or capitals",
          .kinds = {{"clans", op::clan_rankings},
                    {"players", op::player_rankings},
                    {"builder-clans", op::clan_builder_base_rankings},
                    {"builder-players", op::player_builder_base_rankings},
                    {"capitals", op::capital_rankings}},
          .render_list = [](json root, bool color, std::string_view kind) {
            return coc_render::rankings(root, kind, color);
          }};
}

kind_command locations_command() {
  return {.name = "locations",
          .help = "locations (regions and countries), or one of them",
          .examples = "  overworld coc locations\n  overworld coc locations 32000006",
          .kinds = {{"", coc::op::locations, coc::op::location}},
          .id_help = "a location id: show only that one",
          .render_list = [](json root, bool color, std::string_view) { return coc_render::locations(root, color); },
          .render_one = coc_render::location};
}

kind_command leagues_command() {
  using coc::op;
  return {.name = "leagues",
          .help = "leagues of a kind, or one of them",
          .examples = "  overworld coc leagues\n  overworld coc leagues --kind war -o json",
          .kind_option = "--kind",
          .kind_help = "home (default), tiers, war, capital or builder-base",
          .kinds = {{"home", op::leagues, op::league},
                    {"tiers", op::league_tiers, op::league_tier},
                    {"war", op::war_leagues, op::war_league},
                    {"capital", op::capital_leagues, op::capital_league},
                    {"builder-base", op::builder_base_leagues, op::builder_base_league}},
          .id_help = "a league id: show only that one",
          .render_list = [](json root, bool color, std::string_view) { return coc_render::leagues(root, color); },
          .render_one = coc_render::league};
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

namespace {

// How each row shows: the rows with a command of their own name, help and table, and the rows the
// commands above call (search's filters, the war resolver, cwl, and the kind commands over several
// rows). Every other row is a command of its own, named after it (add_other_op_commands).
std::vector<op_face> faces() {
  using coc::op;
  std::vector<op_face> out{{op::player, "player", "a player's profile", coc_render::player},
                           {op::clan, "clan", "a clan's profile and members", coc_render::clan},
                           {op::clan_members, "members", "a clan's members", coc_render::members},
                           {op::war_log, "warlog", "a clan's war log (when public)", coc_render::war_log},
                           {op::raid_seasons, "raids", "a clan's capital raid seasons", coc_render::raids},
                           {op::gold_pass, "goldpass", "the current gold pass season", coc_render::gold_pass}};
  auto const by = [&](std::string_view command, std::initializer_list<op> ids) {
    for (auto id : ids) out.push_back({id, command, nullptr, {}, false});
  };
  by("search", {op::search_clans});
  by("war", {op::current_war});
  by("cwl", {op::league_group, op::cwl_war});
  for (auto const& k : {rankings_command(), locations_command(), leagues_command()}) {
    for (auto const& rows : k.kinds) {
      by(k.name, {rows.list});
      if (rows.one) by(k.name, {*rows.one});
    }
  }
  return out;
}

void add_named(command_line& cl, CLI::App* group, std::vector<op_face> const& all, coc::op id) {
  for (auto const& f : all) {
    if (f.id == id) add_op_command(cl, group, f);
  }
}

}  // namespace

void add_coc_commands(command_line& cl) {
  auto* coc = cl.add_group("coc", "Clash of Clans API (key: --key or OVERWORLD_COC_KEY)");
  coc->add_option("--key", cl.flags().coc_keys,
                  "API key (repeat for several); it shows in ps: prefer --key-file or OVERWORLD_COC_KEY");
  coc->add_option("--key-file", cl.flags().coc_key_file,
                  "a file with the API key(s), one per line (also coc.key_file)");
  auto const all = faces();
  add_named(cl, coc, all, coc::op::player);
  add_named(cl, coc, all, coc::op::clan);
  add_named(cl, coc, all, coc::op::clan_members);
  add_war(cl, coc);
  add_cwl(cl, coc);
  add_named(cl, coc, all, coc::op::war_log);
  add_named(cl, coc, all, coc::op::raid_seasons);
  add_search(cl, coc);
  add_kind_command(cl, coc, rankings_command());
  add_kind_command(cl, coc, locations_command());
  add_kind_command(cl, coc, leagues_command());
  add_coc_keys_commands(cl, coc);
  add_coc_watch_command(cl, coc);
  add_named(cl, coc, all, coc::op::gold_pass);
  add_other_op_commands(cl, coc, all);
}

}  // namespace overworld::cli
