// `overworld coc keys …`: API keys through the developer portal (overworld::coc key management).
#include "coc_commands.hpp"
#include "table.hpp"

#include <overworld/coc/keys.hpp>
#include <overworld/core/log.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <memory>

namespace overworld::cli {
namespace {

namespace asio = boost::asio;

struct keys_flags {
  std::string name = "overworld";
  std::string description;
  std::vector<std::string> cidrs;
  std::string id;
  unsigned count = 1;
};

// The portal's calls are coroutines; the command runs them one after the other on its own loop.
class portal_loop {
 public:
  explicit portal_loop(settings const& s) : http_{ioc_.get_executor(), options(s)} {}
  http::client& http() noexcept { return http_; }
  template <class T>
  T wait(asio::awaitable<T> op) {
    auto future = asio::co_spawn(ioc_, std::move(op), asio::use_future);
    ioc_.restart();
    ioc_.run();
    return future.get();
  }

 private:
  static http::client_options options(settings const& s) {
    http::client_options o = with_timeouts({}, s);
    o.user_agent = "overworld-cli/0.1";
    return o;
  }
  asio::io_context ioc_;
  http::client http_;
};

void append_string(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += name;
  out += "\":\"";
  append_json_escaped(out, value);
  out += '"';
}

void append_strings(std::string& out, std::string_view name, std::vector<std::string> const& values) {
  if (out.back() != '{') out += ',';
  out += '"';
  out += name;
  out += "\":[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    append_json_escaped(out, values[i]);
    out += '"';
  }
  out += ']';
}

// A key as the portal lists it, with the portal's own member names.
std::string key_json(coc::portal_key const& k) {
  std::string out = "{";
  append_string(out, "id", k.id);
  append_string(out, "name", k.name);
  append_string(out, "description", k.description);
  append_string(out, "key", k.key);
  append_strings(out, "cidrRanges", k.cidr_ranges);
  append_strings(out, "scopes", k.scopes);
  return out + "}";
}

std::string keys_table(std::vector<coc::portal_key> const& keys, bool color) {
  table t{{{"ID"}, {"Name"}, {"Description"}, {"CIDR ranges"}, {"Key"}}};
  for (auto const& k : keys) {
    std::string cidrs;
    for (auto const& c : k.cidr_ranges) cidrs += (cidrs.empty() ? "" : " ") + c;
    // A key is ~700 characters: its start tells keys apart; -o json prints it whole.
    t.add_row({k.id, {k.name, style::bold}, k.description, cidrs, truncate_to(k.key, 24)});
  }
  if (t.empty()) return "No keys.\n";
  return t.render(color) + paint("keys shortened; -o json (or --fields key) prints them whole", style::dim, color) +
         "\n";
}

error_words portal_words(run_context const& ctx, std::string not_found = {}) {
  error_words w;
  w.base_url = ctx.config.coc_portal_url;
  w.not_found = std::move(not_found);
  return w;
}

using action = std::function<int(run_context const&, portal_loop&, coc::portal_session const&, keys_flags const&)>;

// Logs in, then runs `then` with the session.
int with_session(run_context const& ctx, keys_flags const& f, action const& then) {
  if (ctx.config.coc_email.empty()) {
    return fail(exit_usage, "coc keys: no developer account (--email, OVERWORLD_COC_EMAIL or coc.email)");
  }
  auto password = read_secret(ctx.config.coc_password, "developer portal password: ");
  if (!password)
    return fail(exit_usage, "coc keys: no password (OVERWORLD_COC_PASSWORD, coc.password or standard input)");
  portal_loop loop{ctx.config};
  auto session = loop.wait(coc::portal_session::login(loop.http(), ctx.config.coc_portal_url,
                                                      coc::developer_account{ctx.config.coc_email, *password}));
  if (!session) return fail(session.error(), portal_words(ctx));
  return then(ctx, loop, *session, f);
}

int list(run_context const& ctx, portal_loop& loop, coc::portal_session const& s, keys_flags const&) {
  auto keys = loop.wait(s.list(loop.http()));
  if (!keys) return fail(keys.error(), portal_words(ctx));
  if (ctx.config.json) {
    std::string out = "[";
    for (auto const& k : *keys) out += (out.size() > 1 ? "," : "") + key_json(k);
    print_json(out + "]");
  } else {
    print(keys_table(*keys, ctx.color));
  }
  return exit_ok;
}

int create(run_context const& ctx, portal_loop& loop, coc::portal_session const& s, keys_flags const& f) {
  auto cidrs = f.cidrs;
  if (cidrs.empty()) cidrs.push_back(s.ip() + "/32");
  auto key = loop.wait(s.create(loop.http(), f.name, f.description.empty() ? f.name : f.description, cidrs, {"clash"}));
  if (!key) return fail(key.error(), portal_words(ctx));
  if (ctx.config.json) {
    print_json(key_json(*key));
  } else {
    print(keys_table({*key}, ctx.color));
  }
  return exit_ok;
}

int revoke(run_context const& ctx, portal_loop& loop, coc::portal_session const& s, keys_flags const& f) {
  auto done = loop.wait(s.revoke(loop.http(), f.id));
  if (!done) return fail(done.error(), portal_words(ctx, "the account has no key with id " + f.id));
  if (ctx.config.json) {
    std::string out = "{";
    append_string(out, "revoked", f.id);
    print_json(out + "}");
  } else {
    print("revoked " + f.id + "\n");
  }
  return exit_ok;
}

int provision(run_context const& ctx, keys_flags const& f) {
  if (ctx.config.coc_email.empty()) {
    return fail(exit_usage, "coc keys: no developer account (--email, OVERWORLD_COC_EMAIL or coc.email)");
  }
  auto password = read_secret(ctx.config.coc_password, "developer portal password: ");
  if (!password)
    return fail(exit_usage, "coc keys: no password (OVERWORLD_COC_PASSWORD, coc.password or standard input)");
  coc::portal_options options;
  options.base_url = ctx.config.coc_portal_url;
  options.accounts = {{ctx.config.coc_email, *password}};
  options.keys_per_account = f.count;
  options.key_name = f.name;
  if (!f.description.empty()) options.key_description = f.description;
  portal_loop loop{ctx.config};
  auto got = loop.wait(coc::provision_keys(loop.http(), std::move(options)));
  if (!got) return fail(got.error(), portal_words(ctx));
  if (ctx.config.json) {
    std::string out = "{";
    append_string(out, "ip", got->ip);
    append_strings(out, "keys", got->keys);
    out += ",\"reused\":" + std::to_string(got->reused) + ",\"created\":" + std::to_string(got->created) +
           ",\"revoked\":" + std::to_string(got->revoked) + "}";
    print_json(out);
  } else {
    // One key per line, so that `OVERWORLD_COC_KEY=$(overworld coc keys provision | paste -sd,)` works.
    std::string out;
    for (auto const& k : got->keys) out += k + "\n";
    print(out);
    (void)fail(exit_ok, "keys for " + got->ip + ": " + std::to_string(got->reused) + " reused, " +
                            std::to_string(got->created) + " created, " + std::to_string(got->revoked) + " revoked");
  }
  return exit_ok;
}

}  // namespace

void add_coc_keys_commands(command_line& cl, CLI::App* coc) {
  auto* keys =
      coc->add_subcommand("keys", "API keys through the developer portal (account: --email, password on stdin)");
  keys->require_subcommand(1);
  keys->add_option("--email", cl.flags().coc_email, "developer portal account (also OVERWORLD_COC_EMAIL)");
  keys->add_option(
      "--portal-url", cl.flags().portal_url,
      "developer portal URL (default: from the API base URL, /v1 -> /api; the real portal for the real API)");
  auto f = std::make_shared<keys_flags>();

  auto* list_command = keys->add_subcommand("list", "the account's keys");
  add_examples(list_command, "  overworld coc keys list --email me@example.com\n  overworld coc keys list -o json");
  cl.on_run(
      list_command, [f](run_context const& ctx) { return with_session(ctx, *f, list); }, false);

  auto* create_command = keys->add_subcommand("create", "a new key, allowed from this machine's address by default");
  add_examples(create_command,
               "  overworld coc keys create --name bot\n  overworld coc keys create --name bot --cidr 203.0.113.7");
  create_command->add_option("--name", f->name, "key name (default overworld)");
  create_command->add_option("--description", f->description, "key description (default: the name)");
  create_command->add_option("--cidr", f->cidrs,
                             "allowed address range (repeat; default: the address the portal sees)");
  cl.on_run(
      create_command, [f](run_context const& ctx) { return with_session(ctx, *f, create); }, false);

  auto* revoke_command = keys->add_subcommand("revoke", "revoke a key by id");
  add_examples(revoke_command,
               "  overworld coc keys list\n  overworld coc keys revoke 1f2e3d4c-0000-4000-8000-000000000000");
  revoke_command->add_option("id", f->id, "the key's id (see keys list)")->required();
  cl.on_run(
      revoke_command, [f](run_context const& ctx) { return with_session(ctx, *f, revoke); }, false);

  auto* provision_command = keys->add_subcommand(
      "provision", "make sure keys named --name exist for this address: reuse, revoke stale ones, create; print them");
  add_examples(provision_command, "  overworld coc keys provision --name bot --count 2 > ~/.config/overworld/coc-keys");
  provision_command->add_option("--name", f->name, "name of the managed keys (default overworld)");
  provision_command->add_option("--description", f->description, "description of keys it creates");
  provision_command->add_option("--count", f->count, "keys wanted (default 1)")->check(CLI::Range(1, 10));
  cl.on_run(
      provision_command, [f](run_context const& ctx) { return provision(ctx, *f); }, false);
}

}  // namespace overworld::cli
