#include "admin_world.hpp"

#include "options.hpp"

#include <overworld/core/log.hpp>
#include <overworld/http/client.hpp>
#include <overworld/http/server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace overworld::app {
namespace {

namespace asio = boost::asio;

struct world_call {
  http::verb method = http::verb::post;
  std::string path;
  std::string body;
};

asio::awaitable<void> send_admin_call(http::client* c, http::client_request req, result<http::client_response>* out) {
  *out = co_await c->request(std::move(req));
}

int fail(std::string const& message, int status = 1) {
  std::fprintf(stderr, "overworld-server admin: %s\n", message.c_str());
  return status;
}

/// The admin API of the server that `data` and `config` describe; prints its answer.
int call_running_server(std::string const& data, std::string const& config_file, world_call const& call) {
  config cfg{server_config_schema()};
  std::string why;
  if (!load_admin_config(cfg, data, config_file, why)) return fail(why);
  auto const listen = cfg.get("admin.listen");
  if (listen.empty()) return fail("admin.listen is empty: the server has no admin API to send this to");
  auto address = http::listen_address::parse(listen);
  if (!address) return fail("admin.listen: expected HOST:PORT, got '" + listen + "'");
  std::string host = address->host == "0.0.0.0" ? "127.0.0.1" : address->host == "::" ? "::1" : address->host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  std::string key = cfg.get("admin.key");
  if (key.empty()) {
    std::ifstream in{std::filesystem::path{data} / "admin-key"};
    std::getline(in, key);
    if (key.empty()) return fail("no admin key: set admin.key or run the server with --data " + data + " once");
  }
  asio::io_context ioc;
  http::client_options options;
  options.total_timeout = std::chrono::seconds{10};
  http::client client{ioc.get_executor(), options};
  http::client_request req;
  req.method = call.method;
  req.url = "http://" + host + ":" + std::to_string(address->port) + call.path;
  req.headers = {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
  req.body = call.body;
  result<http::client_response> answer = make_error_code(errc::timeout);
  asio::co_spawn(ioc, send_admin_call(&client, std::move(req), &answer), asio::detached);
  ioc.run();
  if (!answer) return fail("cannot reach the server's admin API at " + listen + ": " + answer.error().message());
  if (answer->status != 200) return fail(std::to_string(answer->status) + " " + answer->body);
  std::printf("%s\n", answer->body.c_str());
  return 0;
}

std::string json_string(std::string const& text) {
  std::string out = "\"";
  append_json_escaped(out, text);
  return out + "\"";
}

}  // namespace

void add_world_admin_commands(CLI::App* admin, std::string const& data, std::string const& config,
                              std::function<int()>& action) {
  auto* silly = admin->add_subcommand("sillymeter", "the Silly Meter of the running server")->require_subcommand(1);
  auto team = std::make_shared<std::string>();
  auto points = std::make_shared<std::string>();
  auto state = std::make_shared<std::string>();
  auto winner = std::make_shared<std::string>();

  auto* add = silly->add_subcommand("points", "add silly points to a team in play (prints the meter)");
  add->add_option("team", *team)->required();
  add->add_option("n", *points)->required();
  add->callback([&data, &config, &action, team, points] {
    action = [&data, &config, team, points]() -> int {
      std::int64_t n = 0;
      auto const [end, ec] = std::from_chars(points->data(), points->data() + points->size(), n);
      if (ec != std::errc{} || end != points->data() + points->size() || n < 1) {
        return fail("n must be a whole number from 1", 2);
      }
      return call_running_server(data, config,
                                 {http::verb::post, "/admin/v1/sillymeter/points",
                                  "{\"team\":" + json_string(*team) + ",\"points\":" + std::to_string(n) + "}"});
    };
  });

  auto* enter = silly->add_subcommand("state", "enter Active, Reward or Inactive now (prints the meter)");
  enter->add_option("state", *state)
      ->required()
      ->check(CLI::IsMember({"Active", "Reward", "Inactive"}, CLI::ignore_case));
  enter->add_option("--winner", *winner, "the winning team, for Reward (default: the leading team)");
  enter->callback([&data, &config, &action, state, winner] {
    action = [&data, &config, state, winner]() -> int {
      std::string body = "{\"state\":" + json_string(*state);
      if (!winner->empty()) body += ",\"winner\":" + json_string(*winner);
      return call_running_server(data, config, {http::verb::put, "/admin/v1/sillymeter/state", body + "}"});
    };
  });
}

}  // namespace overworld::app
