// The commands made from the rows of the operation list (coc/operation_list.hpp): each row's
// arguments from its parameter shape, its paging flags when it pages, and its table; and
// `coc operations`, the list of every row with the command that calls it.
#include "coc_operations.hpp"

#include "coc_render.hpp"
#include "coc_run.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <variant>
#include <vector>

namespace overworld::cli {
namespace {

// The arguments of an operation's command, for every parameter shape (coc/operation_list.hpp):
// each row's command declares the ones its shape takes.
struct op_args {
  std::string tag, season, player, token;
  std::int64_t id = 0;
  std::string location = "global";
  paging_flags paging;
};

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

// One argument ("tag") or option ("--token") of a shape's commands.
struct argument {
  char const* name;
  char const* help;
  std::variant<std::string op_args::*, std::int64_t op_args::*> field;
  bool required = true;
};

// What the commands of a parameter shape take, and a sample of it for the examples.
struct shape_arguments {
  std::vector<argument> arguments;
  std::string sample;
};

shape_arguments arguments_of(coc::param_shape s) {
  using shape = coc::param_shape;
  switch (s) {
    case shape::tag:
      return {{{"tag", "tag, e.g. '#2PP' or 2PP", &op_args::tag}}, " 2PP"};
    case shape::tag_token:
      return {{{"tag", "player tag", &op_args::tag},
               {"--token", "the API token from the player's game settings", &op_args::token}},
              " 2PP --token TOKEN"};
    case shape::tag_season_player:
      return {{{"group", "the group's tag (a player's currentLeagueGroupTag)", &op_args::tag},
               {"season", "the season id (the player's currentLeagueSeasonId)", &op_args::season},
               {"--player", "the group as this player sees it", &op_args::player, false}},
              " '#2PP' 1773032400"};
    case shape::id_season:
      return {{{"id", "league id", &op_args::id}, {"season", "season id, e.g. 2026-03", &op_args::season}},
              " 29000022 2026-03"};
    case shape::id:
      return {{{"id", "id", &op_args::id}}, " 29000022"};
    case shape::where:
      return {{{"--location", "location id or global (default)", &op_args::location, false}}, ""};
    case shape::none:
    case shape::filters:
      return {};
  }
  return {};
}

void add_arguments(CLI::App* command, std::vector<argument> const& arguments, op_args& a) {
  for (auto const& arg : arguments) {
    auto* option = std::visit([&](auto field) { return command->add_option(arg.name, a.*field, arg.help); }, arg.field);
    if (arg.required) option->required();
  }
}

// The call of row `id` with the command's arguments.
coc_call call_of(coc::op id, op_args const& args, coc::location_ref where) {
  return [id, &args, where](coc::client& c) { return op_calls[static_cast<std::size_t>(id)](c, args, where); };
}

std::optional<coc::location_ref> location_or_fail(std::string_view command, std::string const& text, int& code) {
  auto where = location_of(text);
  if (!where) code = fail(exit_usage, "coc " + std::string{command} + ": --location must be a location id or global");
  return where;
}

// "no player with tag #2PP": the noun from the row's path.
std::string not_found_of(coc::operation const& o, std::string const& tag) {
  std::string_view const noun = o.path.starts_with("/players/") ? "player"
                                : o.path.starts_with("/clans/") ? "clan"
                                                                : "";
  if (noun.empty()) return {};
  return "no " + std::string{noun} + " with tag " + shown_tag(tag);
}

}  // namespace

std::string command_name(op_face const& f) {
  if (!f.command.empty()) return std::string{f.command};
  std::string name{coc::operation_of(f.id).name};
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

void add_op_command(command_line& cl, CLI::App* group, op_face const& face) {
  auto const& o = coc::operation_of(face.id);
  auto const name = command_name(face);
  std::string const help = face.help ? face.help : std::string{http::to_string(o.method)} + " " + std::string{o.path};
  auto* command = group->add_subcommand(name, help);
  auto args = std::make_shared<op_args>();
  auto const shape = arguments_of(o.shape);
  std::string const example = "  overworld coc " + name + shape.sample;
  add_examples(command,
               example + (o.paged ? " --limit 10\n" + example + " --all -o csv" : "\n" + example + " -o json"));
  add_arguments(command, shape.arguments, *args);
  if (o.paged) add_paging(command, args->paging);
  auto render = face.render ? face.render : coc_renderer{coc_render::fields};
  cl.on_run(command, [args, &o, name, render = std::move(render)](run_context const& ctx) {
    int code = exit_ok;
    auto const where = location_or_fail(name, args->location, code);
    if (!where) return code;
    error_words words;
    words.not_found = not_found_of(o, args->tag);
    code = run_coc(ctx, call_of(o.id, *args, *where), render, words, o.paged ? &args->paging : nullptr);
    return args->tag.empty() ? code : remembering(args->tag, code);
  });
}

void add_kind_command(command_line& cl, CLI::App* group, kind_command spec) {
  auto* command = group->add_subcommand(spec.name, spec.help);
  add_examples(command, spec.examples);
  struct state {
    std::string kind;
    std::optional<std::int64_t> id;
    op_args args;
  };
  auto s = std::make_shared<state>();
  s->kind = std::string{spec.kinds.front().kind};
  if (spec.id_help) command->add_option("id", s->id, spec.id_help);
  if (spec.kind_option) {
    std::vector<std::string> kinds;
    for (auto const& k : spec.kinds) kinds.emplace_back(k.kind);
    command->add_option(spec.kind_option, s->kind, spec.kind_help)->check(CLI::IsMember(kinds));
  }
  auto const& list = coc::operation_of(spec.kinds.front().list);
  add_arguments(command, arguments_of(list.shape).arguments, s->args);
  if (list.paged) add_paging(command, s->args.paging);
  cl.on_run(command, [s, spec = std::move(spec)](run_context const& ctx) {
    int code = exit_ok;
    auto const where = location_or_fail(spec.name, s->args.location, code);
    if (!where) return code;
    auto const rows = *std::find_if(spec.kinds.begin(), spec.kinds.end(), [&](auto& k) { return k.kind == s->kind; });
    if (s->id && rows.one) {
      s->args.id = *s->id;
      return run_coc(ctx, call_of(*rows.one, s->args, *where), spec.render_one);
    }
    auto const render = [&](json root, bool color) { return spec.render_list(root, color, s->kind); };
    return run_coc(ctx, call_of(rows.list, s->args, *where), render, {}, &s->args.paging);
  });
}

namespace {

op_face face_of(coc::op id, std::vector<op_face> const& faces) {
  for (auto const& f : faces) {
    if (f.id == id) return f;
  }
  return {id};
}

// `coc operations`: every operation of the API and the command that calls it.
void add_operations_list(command_line& cl, CLI::App* group, std::vector<op_face> faces) {
  auto* command = group->add_subcommand("operations", "every operation of the API and the command that calls it");
  add_examples(command, "  overworld coc operations\n  overworld coc operations -o csv");
  cl.on_run(command, [faces = std::move(faces)](run_context const& ctx) {
    std::string body = "{\"items\":[";
    for (auto const& o : coc::operations()) {
      if (body.back() != '[') body += ',';
      body += '{';
      json_member(body, "operation", o.name, true);
      json_member(body, "method", http::to_string(o.method), true);
      json_member(body, "path", o.path, true);
      json_member(body, "command", "coc " + command_name(face_of(o.id, faces)), true);
      body += '}';
    }
    return print_body(ctx, body + "]}", coc_render::operations);
  });
}

}  // namespace

void add_other_op_commands(command_line& cl, CLI::App* group, std::vector<op_face> const& faces) {
  for (auto const& o : coc::operations()) {
    bool const named = std::any_of(faces.begin(), faces.end(), [&](op_face const& f) { return f.id == o.id; });
    if (!named) add_op_command(cl, group, {o.id});
  }
  add_operations_list(cl, group, faces);
}

}  // namespace overworld::cli
