// TTR's login, POST /api/login?format=json: a password login, its two-step continuation and the
// queue's polls, answered in TTR's shapes (every value a string; `key=value` lines without
// ?format=json), on the same accounts, limiter and argon2id pool as TTCC's login.
#include <overworld/server/common/limiter.hpp>
#include <overworld/server/common/rate_limit.hpp>
#include <overworld/server/launcher/launcher_service.hpp>

#include <overworld/core/log.hpp>
#include <overworld/core/text.hpp>

#include <initializer_list>
#include <utility>

namespace overworld::launcher {
namespace {

constexpr std::size_t max_field = 1024;

using field = std::pair<std::string_view, std::string_view>;

/// TTR's answer: compact JSON of strings, or `key=value` lines.
http::response ttr_answer(unsigned status, bool json, std::initializer_list<field> fields) {
  std::string body;
  if (json) {
    body = "{";
    for (auto const& [key, value] : fields) {
      if (body.size() > 1) body += ',';
      body += '"';
      body += key;
      body += "\":\"";
      append_json_escaped(body, value);
      body += '"';
    }
    body += '}';
  } else {
    for (auto const& [key, value] : fields) {
      body += key;
      body += '=';
      for (char c : value) body += (c == '\n' || c == '\r') ? ' ' : c;  // one line per field
      body += '\n';
    }
  }
  http::response r =
      json ? http::response::json(status, std::move(body)) : http::response::text(status, std::move(body));
  r.header("Cache-Control", "no-store");
  return r;
}

http::response ttr_failure(unsigned status, bool json, std::string_view banner) {
  return ttr_answer(status, json, {{"success", "false"}, {"banner", banner}});
}

/// The shared store (Redis) cannot be reached: refused, never let in without it.
http::response ttr_unavailable(bool json) {
  auto const seconds = std::to_string(server::unavailable_retry_after);
  http::response r = ttr_failure(503, json, "The login service is unavailable. Try again in " + seconds + " seconds.");
  r.header("Retry-After", seconds);
  return r;
}

http::response ttr_partial(bool json, std::string_view banner, std::string_view token) {
  return ttr_answer(200, json, {{"success", "partial"}, {"banner", banner}, {"responseToken", token}});
}

}  // namespace

result<ttr_login_fields> read_ttr_login(http::request const& req, std::string& why) {
  auto const type = req.header("Content-Type").value_or("");
  bool const form = type.starts_with("application/x-www-form-urlencoded");
  if (!req.body.empty() && !form) {
    why = "send the fields as application/x-www-form-urlencoded";
    return errc::unsupported;
  }
  ttr_login_fields f;
  f.json = req.query_param("format").value_or("") == "json";
  for (auto [name, into] :
       {std::pair{"username", &f.username}, std::pair{"password", &f.password}, std::pair{"appToken", &f.app_token},
        std::pair{"authToken", &f.auth_token}, std::pair{"queueToken", &f.queue_token}}) {
    std::optional<std::string> value;
    if (form) value = http::form_value(req.body, name);
    if (!value) value = req.query_param(name);
    if (!value) continue;
    if (value->size() > max_field) {
      why = std::string{name} + " is longer than 1024 bytes";
      return errc::invalid_argument;
    }
    *into = std::move(*value);
  }
  bool const complete = !f.queue_token.empty() || (!f.app_token.empty() && !f.auth_token.empty()) ||
                        (!f.username.empty() && !f.password.empty());
  if (!complete) {
    why = "send username and password, appToken and authToken, or queueToken";
    return errc::invalid_argument;
  }
  return f;
}

boost::asio::awaitable<http::response> launcher_service::ttr_login(http::request req) {
  std::string why;
  auto f = read_ttr_login(req, why);
  if (!f) {
    bool const json = req.query_param("format").value_or("") == "json";
    co_return ttr_failure(f.error() == errc::unsupported ? 415 : 400, json, why);
  }
  if (!f->queue_token.empty()) co_return co_await ttr_place(queue_.poll(f->queue_token), f->json);
  if (!f->app_token.empty() && !f->auth_token.empty()) co_return co_await ttr_two_step(std::move(*f));
  co_return co_await ttr_password_login(std::move(*f));
}

boost::asio::awaitable<http::response> launcher_service::ttr_password_login(ttr_login_fields f) {
  bool const json = f.json;
  refusal refuse = [json](unsigned status, std::string message) { return ttr_failure(status, json, message); };
  credentials c{std::move(f.username), std::move(f.password)};
  auto checked = co_await check_password(std::move(c), std::move(refuse));
  if (checked.refused) co_return std::move(*checked.refused);
  auto const& o = checked.outcome;
  if (o.reason != success) co_return ttr_failure(200, json, refusal_text(o));
  if (o.two_step) {
    token_owner waiting{o.account_id, o.username};  // its own statement: no temporary in a co_await
    auto const token = co_await two_step_tokens_->issue(std::move(waiting));
    if (!token) co_return ttr_unavailable(json);
    if (token->empty()) {  // the book of this process is full (launcher.two_step_pending)
      http::response r = ttr_failure(503, json, "The login service is busy. Try again shortly.");
      r.header("Retry-After", "5");
      co_return r;
    }
    co_return ttr_partial(json, "Please enter an authenticator token.", *token);
  }
  token_owner owner{o.account_id, o.username};  // its own statement: no temporary in a co_await
  co_return co_await ttr_let_in(std::move(owner), json);
}

boost::asio::awaitable<http::response> launcher_service::ttr_two_step(ttr_login_fields f) {
  bool const json = f.json;
  // Once, on any node sharing the tokens: a wrong code gets a new responseToken.
  auto redeemed = co_await two_step_tokens_->redeem(f.auth_token);
  if (!redeemed) co_return ttr_unavailable(json);
  auto owner = std::move(*redeemed);
  if (!owner) co_return ttr_failure(200, json, "Your login has expired. Please log in again.");
  refusal refuse = [json](unsigned status, std::string message) { return ttr_failure(status, json, message); };
  auto account = ascii_lower(owner->username);  // its own statement: no temporary in a co_await
  if (auto limited = co_await limit_account(std::move(account), std::move(refuse))) co_return *limited;
  auto busy = [json](char const* retry_after) {
    http::response r = ttr_failure(503, json, "The login service is busy. Try again shortly.");
    r.header("Retry-After", retry_after);
    return r;
  };
  auto name = owner->username;  // its own statement: no temporary in a co_await
  auto found = co_await find_account(std::move(name));
  if (!found || (!*found && found->error() != errc::not_found)) co_return busy(found ? "5" : "1");
  verdict checked;  // an account gone since the password was checked: as a wrong code
  checked.ok = found->has_value();
  // Two-step turned off since the password was checked: the password was enough.
  if (checked.ok && !(*found)->two_step_hash.empty()) {
    std::function<verdict()> verify = [this, stored = (*found)->two_step_hash, code = std::move(f.app_token)] {
      verdict v;
      v.ok = verify_timed(stored, code);
      return v;
    };
    auto verified = co_await pool_.run<verdict>(std::move(verify));
    if (!verified) co_return busy("1");
    checked = std::move(*verified);
  }
  std::optional<login_outcome> outcome = login_outcome{};
  if (checked.ok) {
    auto holder = std::move(**found);
    std::string no_rehash;  // a code is not a password: nothing to rehash
    auto const now = unix_seconds(clock_.now());
    outcome = co_await settle(std::move(holder), std::move(no_rehash), now);
  }
  if (!outcome) co_return busy("1");
  if (outcome->reason == invalid_credentials) {
    if (++owner->attempts >= options_.two_step_attempts)
      co_return ttr_failure(200, json, "That code is incorrect. Please log in again.");
    auto const token = co_await two_step_tokens_->issue(std::move(*owner));  // attempts go with it
    if (!token) co_return ttr_unavailable(json);
    if (token->empty()) co_return ttr_failure(200, json, "That code is incorrect. Please log in again.");
    co_return ttr_partial(json, "That code is incorrect. Please enter an authenticator token.", *token);
  }
  if (outcome->reason != success) co_return ttr_failure(200, json, refusal_text(*outcome));
  token_owner admitted{outcome->account_id, outcome->username};  // no temporary in a co_await
  co_return co_await ttr_let_in(std::move(admitted), json);
}

boost::asio::awaitable<http::response> launcher_service::ttr_let_in(token_owner owner, bool json) {
  co_return co_await ttr_place(queue_.enter(std::move(owner)), json);
}

boost::asio::awaitable<http::response> launcher_service::ttr_place(login_queue::place place, bool json) {
  if (place.is == login_queue::state::admitted) {
    auto cookie = co_await game_tokens_->issue(std::move(place.owner));
    if (!cookie) co_return ttr_unavailable(json);
    co_return ttr_admitted(*cookie, json);
  }
  co_return ttr_waiting_or_gone(std::move(place), json);
}

http::response launcher_service::ttr_admitted(std::string const& cookie, bool json) const {
  return ttr_answer(200, json,
                    {{"success", "true"},
                     {"gameserver", options_.gameserver},
                     {"cookie", cookie},
                     {"manifest", options_.ttr_manifest}});
}

http::response launcher_service::ttr_waiting_or_gone(login_queue::place place, bool json) const {
  switch (place.is) {
    case login_queue::state::admitted:
      break;
    case login_queue::state::waiting: {
      auto const eta = std::to_string(place.eta);
      auto const position = std::to_string(place.position);
      return ttr_answer(200, json,
                        {{"success", "delayed"}, {"eta", eta}, {"position", position}, {"queueToken", place.token}});
    }
    case login_queue::state::full:
      return ttr_failure(200, json, "The game is full right now. Please try again in a few minutes.");
    case login_queue::state::unknown:
      break;
  }
  return ttr_failure(200, json, "Your place in line has expired. Please log in again.");
}

void launcher_service::install_ttr_login(http::router& routes) {
  http::route_options login_opts;
  login_opts.group = "ttr";
  login_opts.limits = http::route_limits{std::size_t{8} * 1024, std::uint64_t{4} * 1024, std::chrono::seconds{10}};
  routes.post("/api/login", http::async_handler{[this](http::request req) { return ttr_login(req); }}, login_opts);
  // What the HTTP layer refuses itself (413, 431, 405…) in the login's own shape.
  routes.set_error_format("/api/login",
                          [](unsigned status, std::string_view message) { return ttr_failure(status, true, message); });
}

}  // namespace overworld::launcher
