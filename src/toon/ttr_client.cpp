#include "answers.hpp"

#include <overworld/http/client.hpp>

#include <overworld/http/message.hpp>
#include <overworld/toon/parse.hpp>
#include <overworld/toon/ttr.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace overworld::toon {
namespace {

namespace asio = boost::asio;

// How a successful GET body becomes a model; `api_error` receives TTR's {"error":…} text.
template <class T>
using parser = result<T> (*)(std::string_view body, std::string* api_error);

template <class T>
api_result<T> decoded(result<T> parsed, std::string const& api_error, std::string path, sdk::response const& got) {
  if (parsed) return std::move(*parsed);
  if (parsed.error() == errc::not_found) {
    if (!api_error.empty()) return sdk::failure<T>(detail::api_envelope(std::move(path), got.body(), api_error));
    http::client_response as_404 = *got.response;
    as_404.status = 404;
    error e = error_from_answer(as_404, path);
    e.status = 200;  // the API answered 200 with `null` or its own not-found body
    if (e.message.empty()) e.message = "not found";
    return sdk::failure<T>(std::move(e));
  }
  return sdk::failure<T>(detail::decode_failure(path, got.body(), "unexpected JSON"));
}

}  // namespace

struct ttr_client::impl {
  ttr_options options;
  sdk::io_thread io;
  sdk::pipeline pipe;

  explicit impl(ttr_options o)
      : options(std::move(o)),
        pipe(io.executor(),
             pipeline_options_of(options.polling, detail::checked_base_url(options.base_url, "ttr_client")),
             error_from_answer) {}
  ~impl() { io.stop(); }  // before the pipeline goes: pending requests refer to it

  template <class T>
  call<T> get(std::string path, parser<T> parse) {
    // A named request: g++ 12 destroys a braced temporary in a co_await operand twice.
    sdk::request req{.target = path};
    auto got = co_await pipe.send(std::move(req));
    if (!got) co_return sdk::failure<T>(got.error());
    std::string api_error;
    auto parsed = parse(got->body(), &api_error);
    co_return decoded(std::move(parsed), api_error, std::move(path), *got);
  }

  call<ttr_login> post_login(std::string form) {
    std::string const path = "/api/login?format=json";
    sdk::request req{.method = http::verb::post,
                     .target = path,
                     .body = std::move(form),
                     .content_type = "application/x-www-form-urlencoded",
                     .any_status = true};
    auto answer = co_await pipe.send(std::move(req));
    if (!answer) co_return sdk::failure<ttr_login>(answer.error());
    if (answer->status < 200 || answer->status >= 300) {
      co_return sdk::failure<ttr_login>(error_from_answer(*answer->response, path));
    }
    auto parsed = parse_ttr_login(answer->body());
    if (!parsed) co_return sdk::failure<ttr_login>(detail::decode_failure(path, answer->body(), "not a login answer"));
    co_return std::move(*parsed);
  }

  call<district_list> districts() {
    auto pop = co_await get<toon::population>("/api/population", parse_ttr_population);
    if (!pop) co_return sdk::failure<district_list>(pop.error());
    auto inv = co_await get<invasion_list>("/api/invasions", parse_ttr_invasions);
    if (!inv) co_return sdk::failure<district_list>(inv.error());
    co_return merge_ttr(*pop, *inv);
  }

  call<ttr_login> wait_in_queue(ttr_login current) {
    std::string token = current.queue_token;
    for (unsigned polls = 0; current.state == login_state::delayed; ++polls) {
      if (token.empty()) {
        co_return sdk::failure<ttr_login>(
            detail::decode_failure("/api/login", current.json, "a delayed answer without a queue token"));
      }
      if (polls >= options.queue_max_polls) {
        error e = sdk::error_from_transport(make_error_code(errc::timeout), "/api/login");
        e.message = "still queued after " + std::to_string(polls) + " polls";
        co_return sdk::failure<ttr_login>(std::move(e));
      }
      // TTR's eta when it is longer than our floor, never past the ceiling TTR asks for.
      auto wait = options.queue_min_interval;
      if (current.eta) wait = std::max<std::chrono::milliseconds>(wait, std::chrono::seconds{*current.eta});
      wait = std::min(wait, options.queue_max_interval);
      asio::steady_timer timer{co_await asio::this_coro::executor};
      timer.expires_after(wait);
      co_await timer.async_wait(asio::use_awaitable);
      auto next = co_await post_login("queueToken=" + http::percent_encode(token));
      if (!next) co_return next;
      current = std::move(*next);
      if (!current.queue_token.empty())
        token = current.queue_token;
      else
        current.queue_token = token;
    }
    co_return current;
  }
};

ttr_client::ttr_client(ttr_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
ttr_client::~ttr_client() = default;

call<invasion_list> ttr_client::invasions() {
  return sdk::run_on(&impl_->io, impl_->get<toon::invasion_list>("/api/invasions", parse_ttr_invasions));
}

call<population> ttr_client::population() {
  return sdk::run_on(&impl_->io, impl_->get<toon::population>("/api/population", parse_ttr_population));
}

call<district_list> ttr_client::districts() { return sdk::run_on(&impl_->io, impl_->districts()); }

namespace {
result<game_status> status_parser(std::string_view body, std::string*) { return parse_ttr_status(body); }
result<field_office_list> offices_parser(std::string_view body, std::string*) { return parse_ttr_field_offices(body); }
result<doodle_list> doodles_parser(std::string_view body, std::string*) { return parse_ttr_doodles(body); }
result<news_post> post_parser(std::string_view body, std::string*) { return parse_ttr_news_post(body); }
result<news_list> news_list_parser(std::string_view body, std::string*) { return parse_ttr_news_list(body); }
result<release_note_list> notes_parser(std::string_view body, std::string*) { return parse_ttr_release_notes(body); }
result<release_note> note_parser(std::string_view body, std::string*) { return parse_ttr_release_note(body); }
}  // namespace

call<game_status> ttr_client::status() {
  return sdk::run_on(&impl_->io, impl_->get<game_status>("/api/status", status_parser));
}

call<field_office_list> ttr_client::field_offices() {
  return sdk::run_on(&impl_->io, impl_->get<field_office_list>("/api/fieldoffices", offices_parser));
}

call<doodle_list> ttr_client::doodles() {
  return sdk::run_on(&impl_->io, impl_->get<doodle_list>("/api/doodles", doodles_parser));
}

call<silly_meter> ttr_client::silly_meter() {
  return sdk::run_on(&impl_->io, impl_->get<toon::silly_meter>("/api/sillymeter", parse_ttr_silly_meter));
}

call<news_post> ttr_client::news() {
  return sdk::run_on(&impl_->io, impl_->get<toon::news_post>("/api/news", post_parser));
}

call<news_post> ttr_client::news_post(std::int64_t id) {
  return sdk::run_on(&impl_->io, impl_->get<toon::news_post>("/api/news/" + std::to_string(id), post_parser));
}

call<news_list> ttr_client::news_list() {
  return sdk::run_on(&impl_->io, impl_->get<toon::news_list>("/api/news/list", news_list_parser));
}

call<release_note_list> ttr_client::release_notes() {
  return sdk::run_on(&impl_->io, impl_->get<release_note_list>("/api/releasenotes", notes_parser));
}

call<release_note> ttr_client::release_note(std::int64_t id) {
  return sdk::run_on(&impl_->io,
                     impl_->get<toon::release_note>("/api/releasenotes/" + std::to_string(id), note_parser));
}

call<ttr_login> ttr_client::login(std::string_view username, std::string_view password) {
  std::string form = "username=" + http::percent_encode(username) + "&password=" + http::percent_encode(password);
  return sdk::run_on(&impl_->io, impl_->post_login(std::move(form)));
}

call<ttr_login> ttr_client::login_2fa(std::string_view app_token, std::string_view auth_token) {
  std::string form = "appToken=" + http::percent_encode(app_token) + "&authToken=" + http::percent_encode(auth_token);
  return sdk::run_on(&impl_->io, impl_->post_login(std::move(form)));
}

call<ttr_login> ttr_client::login_queue(std::string_view queue_token) {
  return sdk::run_on(&impl_->io, impl_->post_login("queueToken=" + http::percent_encode(queue_token)));
}

call<ttr_login> ttr_client::wait_in_queue(ttr_login first) {
  return sdk::run_on(&impl_->io, impl_->wait_in_queue(std::move(first)));
}

ttr_options const& ttr_client::options() const noexcept { return impl_->options; }
sdk::pipeline::stats ttr_client::statistics() const { return impl_->pipe.statistics(); }
sdk::io_thread& ttr_client::io() noexcept { return impl_->io; }

}  // namespace overworld::toon
