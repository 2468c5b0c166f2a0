#include "answers.hpp"

#include <overworld/core/log.hpp>
#include <overworld/toon/parse.hpp>
#include <overworld/toon/ttcc.hpp>

namespace overworld::toon {

polling_options ttcc_polling() {
  polling_options o;
  o.rate_limit = policy::rate_limit{.limit = 10, .window = std::chrono::seconds{60}};
  o.min_interval = std::chrono::seconds{5};
  o.max_wait = std::chrono::seconds{60};  // a full window of the limit
  return o;
}

namespace {

namespace asio = boost::asio;

template <class T>
using parser = result<T> (*)(std::string_view body);

result<launcher_token_answer> token_answer(std::string_view body, unsigned status) {
  return parse_launcher_token_answer(body, status);
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  append_json_escaped(out, text);
  out += '"';
  return out;
}

}  // namespace

struct ttcc_client::impl {
  ttcc_options options;
  sdk::io_thread io;
  sdk::pipeline pipe;

  explicit impl(ttcc_options o)
      : options(std::move(o)),
        pipe(io.executor(),
             pipeline_options_of(options.polling, detail::checked_base_url(options.base_url, "ttcc_client")),
             error_from_answer) {}
  ~impl() { io.stop(); }

  template <class T>
  call<T> get(std::string path, parser<T> parse) {
    // A named request: g++ 12 destroys a braced temporary in a co_await operand twice.
    sdk::request req{.target = path};
    auto got = co_await pipe.send(std::move(req));
    if (!got) co_return sdk::failure<T>(got.error());
    auto parsed = parse(got->body());
    if (!parsed) co_return sdk::failure<T>(detail::decode_failure(path, got->body(), "unexpected JSON"));
    co_return std::move(*parsed);
  }

  // A POST whose every answer comes back (the caller reads its own error shapes).
  asio::awaitable<api_result<sdk::response>> post(std::string path, std::string body, sdk::header_list headers = {}) {
    sdk::request req{.method = http::verb::post,
                     .target = std::move(path),
                     .headers = std::move(headers),
                     .body = std::move(body),
                     .content_type = "application/json",
                     .any_status = true};
    co_return co_await pipe.send(std::move(req));
  }

  // A POST whose refusals (4xx, 429) are answers in the call's own shape, read by `parse`: only
  // transport failures and bodies without that shape are errors.
  template <class T>
  call<T> answer_call(std::string path, std::string body, sdk::header_list headers,
                      result<T> (*parse)(std::string_view, unsigned)) {
    auto answer = co_await post(path, std::move(body), std::move(headers));
    if (!answer) co_return sdk::failure<T>(answer.error());
    auto parsed = parse(answer->body(), answer->status);
    if (!parsed) {
      if (answer->status >= 200 && answer->status < 300) {
        co_return sdk::failure<T>(
            detail::decode_failure(path, answer->body(), "not the expected answer", answer->status));
      }
      co_return sdk::failure<T>(error_from_answer(*answer->response, path));
    }
    if (auto ra = answer->header("Retry-After")) {
      if (auto s = sdk::parse_retry_after(*ra)) parsed->retry_after = s->count();
    }
    co_return std::move(*parsed);
  }

  call<std::string> metadata(std::string token) {
    std::string const path = "/api/launcher/v1/metadata";
    sdk::request req{.target = path, .headers = {bearer(token)}, .any_status = true};
    auto got = co_await pipe.send(std::move(req));
    if (!got) co_return sdk::failure<std::string>(got.error());
    if (got->status != 200) co_return sdk::failure<std::string>(error_from_answer(*got->response, path));
    co_return std::string{got->body()};
  }

  static std::pair<std::string, std::string> bearer(std::string_view token) {
    return {"Authorization", "Bearer " + std::string{token}};
  }

  call<std::string> manifest_body() {
    std::string const path = "/api/v1/launcher/manifest/";
    sdk::header_list headers;
    if (!options.manifest_user_agent.empty()) headers.emplace_back("User-Agent", options.manifest_user_agent);
    auto answer = co_await post(path, std::string{}, std::move(headers));
    if (!answer) co_return sdk::failure<std::string>(answer.error());
    if (answer->status < 200 || answer->status >= 300) {
      co_return sdk::failure<std::string>(error_from_answer(*answer->response, path));
    }
    co_return std::string{answer->body()};
  }

  call<toon::manifest> manifest() {
    auto body = co_await manifest_body();
    if (!body) co_return sdk::failure<toon::manifest>(body.error());
    auto parsed = parse_manifest(*body);
    if (!parsed) {
      co_return sdk::failure<toon::manifest>(
          detail::decode_failure("/api/v1/launcher/manifest/", *body, "not a manifest"));
    }
    co_return std::move(*parsed);
  }
};

ttcc_client::ttcc_client(ttcc_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
ttcc_client::~ttcc_client() = default;

call<district_list> ttcc_client::districts(districts_endpoint which) {
  std::string path = which == districts_endpoint::legacy ? "/api/v1/districts/" : "/api/v1/districts.js";
  return sdk::run_on(&impl_->io, impl_->get<toon::district_list>(std::move(path), parse_ttcc_districts));
}

call<toon::game_info> ttcc_client::game_info() {
  return sdk::run_on(&impl_->io, impl_->get<toon::game_info>("/api/v1/game_info.js", parse_ttcc_game_info));
}

call<article_list> ttcc_client::news() {
  return sdk::run_on(&impl_->io, impl_->get<article_list>("/api/v1/launcher/news/", parse_ttcc_news));
}

call<article_list> ttcc_client::news_article(std::int64_t id) {
  return sdk::run_on(&impl_->io,
                     impl_->get<article_list>("/api/v1/launcher/news/" + std::to_string(id), parse_ttcc_news));
}

call<launcher_version> ttcc_client::version() {
  return sdk::run_on(&impl_->io, impl_->get<launcher_version>("/api/v1/launcher/version/", parse_ttcc_version));
}

call<ttcc_login> ttcc_client::login(std::string_view username, std::string_view password) {
  std::string body = "{\"username\":" + json_string(username) + ",\"password\":" + json_string(password) + "}";
  return sdk::run_on(&impl_->io, impl_->answer_call<ttcc_login>(
                                     "/api/v1/login/", std::move(body), {},
                                     [](std::string_view b, unsigned status) { return parse_ttcc_login(b, status); }));
}

call<launcher_token_answer> ttcc_client::register_launcher(std::string_view username, std::string_view password,
                                                           std::string_view friendly) {
  std::string body = "{\"username\":" + json_string(username) + ",\"password\":" + json_string(password);
  if (!friendly.empty()) body += ",\"friendly\":" + json_string(friendly);
  body += "}";
  return sdk::run_on(&impl_->io, impl_->answer_call<launcher_token_answer>("/api/launcher/v1/register", std::move(body),
                                                                           {}, token_answer));
}

call<launcher_token_answer> ttcc_client::login_with_launcher_token(std::string_view launcher_token) {
  return sdk::run_on(&impl_->io, impl_->answer_call<launcher_token_answer>(
                                     "/api/launcher/v1/login", {}, {impl::bearer(launcher_token)}, token_answer));
}

call<launcher_token_answer> ttcc_client::revoke_launcher_token(std::string_view launcher_token) {
  return sdk::run_on(&impl_->io, impl_->answer_call<launcher_token_answer>(
                                     "/api/launcher/v1/revoke_self", {}, {impl::bearer(launcher_token)}, token_answer));
}

call<std::string> ttcc_client::launcher_metadata(std::string_view launcher_token) {
  return sdk::run_on(&impl_->io, impl_->metadata(std::string{launcher_token}));
}

call<toon::manifest> ttcc_client::manifest() { return sdk::run_on(&impl_->io, impl_->manifest()); }
call<std::string> ttcc_client::manifest_json() { return sdk::run_on(&impl_->io, impl_->manifest_body()); }

ttcc_options const& ttcc_client::options() const noexcept { return impl_->options; }
sdk::pipeline::stats ttcc_client::statistics() const { return impl_->pipe.statistics(); }
sdk::io_thread& ttcc_client::io() noexcept { return impl_->io; }

}  // namespace overworld::toon
