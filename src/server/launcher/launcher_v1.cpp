// TTCC's launcher v1 token API (/api/launcher/v1/): a launcher registers once with the username
// and password and keeps a long-lived token; later it logs in with `Authorization: Bearer` and
// gets the same single-use game token as POST /api/v1/login/. Tokens are kept only as SHA-256,
// at most launcher.tokens_per_account per account; an unknown or revoked one is
// 401 {"error":"Unauthorized","bad_token":true} on every call.
#include <overworld/server/common/secrets.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <overworld/core/log.hpp>
#include <overworld/core/text.hpp>

#include <simdjson.h>

namespace overworld::launcher {
namespace {

constexpr std::size_t max_friendly = 64;

/// {"status","reason","toonstep","message","token","id"}: register's answer, success or not.
http::response register_answer(unsigned status, bool ok, int reason, std::string_view message,
                               std::string_view token = {}, std::int64_t id = 0, bool toonstep = false) {
  std::string body = ok ? "{\"status\":true" : "{\"status\":false";
  body +=
      ",\"reason\":" + std::to_string(reason) + ",\"toonstep\":" + (toonstep ? "true" : "false") + ",\"message\":\"";
  append_json_escaped(body, message);
  body += "\",\"token\":\"";
  append_json_escaped(body, token);
  body += "\",\"id\":" + std::to_string(id) + "}";
  return http::response::json(status, std::move(body));
}

/// {"status","success","toonstep","message","token"}: login's answer.
http::response login_answer(bool ok, std::string_view message, std::string_view token = {}) {
  std::string body = ok ? "{\"status\":true,\"success\":true" : "{\"status\":false,\"success\":false";
  body += ",\"toonstep\":false,\"message\":\"";
  append_json_escaped(body, message);
  body += "\",\"token\":\"";
  append_json_escaped(body, token);
  return http::response::json(200, body + "\"}");
}

http::response unauthorized() {
  http::response r = http::response::json(401, R"({"error":"Unauthorized","bad_token":true})");
  r.header("WWW-Authenticate", "Bearer");
  return r;
}

http::response unavailable() {
  http::response r = http::response::json(503, R"({"error":"The launcher service is busy. Try again shortly."})");
  r.header("Retry-After", "1");
  return r;
}

}  // namespace

result<registration> read_registration(http::request const& req, std::string& why) {
  auto creds = read_credentials(req, why);
  if (!creds) return creds.error();
  registration r{std::move(*creds), "launcher"};
  std::optional<std::string> friendly;
  if (req.header("Content-Type").value_or("").starts_with("application/json")) {
    thread_local simdjson::ondemand::parser parser;
    simdjson::padded_string const padded{req.body};
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    simdjson::ondemand::value value;
    std::string_view text;
    // read_credentials has checked that the body is a JSON object.
    if (!parser.iterate(padded).get(doc) && !doc.get_object().get(obj) &&
        !obj.find_field_unordered("friendly").get(value)) {
      if (value.get_string().get(text)) {
        why = "friendly must be a string";
        return errc::invalid_argument;
      }
      friendly = std::string{text};
    }
  } else {
    friendly = http::form_value(req.body, "friendly");
  }
  if (friendly && !friendly->empty()) {
    if (auto const problem = check_name(*friendly, max_friendly); problem != name_problem::ok) {
      why = "friendly " + describe(problem, max_friendly);
      return errc::invalid_argument;
    }
    r.friendly = std::move(*friendly);
  }
  return r;
}

boost::asio::awaitable<http::response> launcher_service::v1_register(http::request req) {
  std::string why;
  auto reg = read_registration(req, why);
  if (!reg) {
    unsigned const status = reg.error() == errc::unsupported ? 415 : 400;
    co_return register_answer(status, false, static_cast<int>(status), why);
  }
  refusal refuse = [](unsigned status, std::string message) {
    return register_answer(status, false, static_cast<int>(status), message);
  };
  auto checked = co_await check_password(std::move(reg->login), std::move(refuse));
  if (checked.refused) co_return std::move(*checked.refused);
  auto const& o = checked.outcome;
  if (o.reason != success) co_return register_answer(200, false, o.reason, refusal_text(o));
  if (o.two_step) {
    co_return register_answer(200, false, invalid_credentials,
                              "This account uses two-step verification: log in with a launcher that asks for the code.",
                              {}, 0, true);
  }
  auto const token = random_token();
  std::function<result<std::int64_t>()> keep = [this, id = o.account_id, hash = token_digest(token),
                                                friendly = std::move(reg->friendly),
                                                now = unix_seconds(clock_.now())]() {
    return store_->add_launcher_token(id, hash, friendly, now, options_.tokens_per_account);
  };
  auto kept = co_await store_calls_.run<result<std::int64_t>>(std::move(keep));
  if (!kept || !*kept) co_return unavailable();
  co_return register_answer(200, true, 0, "success!", token, **kept);
}

boost::asio::awaitable<result<store::launcher_token>> launcher_service::v1_token(http::request req) {
  auto const token = server::bearer_token(req);
  if (token.empty() || token.size() > 256) co_return make_error_code(errc::not_found);
  std::function<result<store::launcher_token>()> find = [this, hash = token_digest(token)]() {
    return store_->find_launcher_token(hash);
  };
  auto found = co_await store_calls_.run<result<store::launcher_token>>(std::move(find));
  if (!found) co_return make_error_code(errc::unavailable);
  co_return std::move(*found);
}

boost::asio::awaitable<http::response> launcher_service::v1_login(http::request req) {
  auto token = co_await v1_token(req);
  if (!token) co_return token.error() == errc::not_found ? unauthorized() : unavailable();
  auto const now = unix_seconds(clock_.now());
  std::function<login_outcome()> check = [this, name = token->username, now]() {
    auto account = store_->find_account(name);
    if (!account) {
      login_outcome o;
      o.store_failed = true;
      return o;
    }
    return account_outcome(*account, now);
  };
  auto outcome = co_await store_calls_.run<login_outcome>(std::move(check));
  if (!outcome || outcome->store_failed) co_return unavailable();
  if (outcome->reason != success) co_return login_answer(false, refusal_text(*outcome));
  token_owner owner{outcome->account_id, outcome->username};  // its own statement: no temporary in a co_await
  auto play = co_await game_tokens_->issue(std::move(owner));
  if (!play) co_return unavailable();
  co_return login_answer(true, "Welcome back to Toontown, " + outcome->username + "!", *play);
}

boost::asio::awaitable<http::response> launcher_service::v1_metadata(http::request req) {
  auto token = co_await v1_token(req);
  if (!token) co_return token.error() == errc::not_found ? unauthorized() : unavailable();
  std::string const prefix = options_.public_url.empty()
                                 ? "http://" + std::string{req.header("Host").value_or("localhost")}
                                 : options_.public_url;
  std::string const files = options_.files_url.starts_with("http") ? options_.files_url : prefix + options_.files_url;
  std::string const manifest = prefix + "/api/v1/launcher/manifest/";
  std::string body = "{\"acc_launcher_friendly\":\"";
  append_json_escaped(body, token->friendly);
  body += "\",\"acc_launcher_authorization_id\":" + std::to_string(token->id) +
          ",\"production_servers\":[],\"production_servers_v2\":[{\"id\":1,\"name\":\"";
  append_json_escaped(body, options_.gameserver);
  body += "\",\"realm\":\"production\",\"base_url\":\"";
  append_json_escaped(body, files);
  body += "\",\"v2\":true}]";
  for (char const* platform : {"windows", "macos", "resources"}) {
    body += std::string{",\"production_"} + platform + "_manifest_v2_url\":\"";
    append_json_escaped(body, manifest);
    body += '"';
  }
  body +=
      ",\"access_qa\":false,\"qa_windows_manifest_v2_url\":\"\",\"qa_macos_manifest_v2_url\":\"\","
      "\"qa_resources_manifest_v2_url\":\"\",\"qa_manifest_url\":\"\",\"qa_salt\":\"\",\"qa_hostname\":\"\","
      "\"qa_servers\":[],\"qa_servers_v2\":[],\"bad_token\":false}";
  co_return http::response::json(200, std::move(body));
}

boost::asio::awaitable<http::response> launcher_service::v1_revoke(http::request req) {
  auto token = co_await v1_token(req);
  if (!token) co_return token.error() == errc::not_found ? unauthorized() : unavailable();
  std::function<result<void>()> revoke = [this, id = token->id]() { return store_->revoke_launcher_token(id); };
  auto revoked = co_await store_calls_.run<result<void>>(std::move(revoke));
  if (!revoked) co_return unavailable();
  if (!*revoked) co_return revoked->error() == errc::not_found ? unauthorized() : unavailable();
  co_return http::response::json(200, R"({"status":true,"bad_token":false})");
}

void launcher_service::install_launcher_v1(http::router& routes) {
  http::route_options o;
  o.group = "ttcc";
  o.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{4} * 1024, std::chrono::seconds{10}};
  routes.post("/api/launcher/v1/register", http::async_handler{[this](http::request req) { return v1_register(req); }},
              o);
  routes.post("/api/launcher/v1/login", http::async_handler{[this](http::request req) { return v1_login(req); }}, o);
  auto const metadata = http::async_handler{[this](http::request req) { return v1_metadata(req); }};
  routes.get("/api/launcher/v1/metadata", metadata, o);
  routes.post("/api/launcher/v1/metadata", metadata, o);
  routes.post("/api/launcher/v1/revoke_self", http::async_handler{[this](http::request req) { return v1_revoke(req); }},
              o);
}

}  // namespace overworld::launcher
