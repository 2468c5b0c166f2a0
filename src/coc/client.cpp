// The CoC client: the SDK pipeline with the API's keys (developer-portal provisioning included),
// its error mapping and its maintenance state.
#include <overworld/coc/client.hpp>
#include <overworld/sdk/single_flight.hpp>

#include <stdexcept>

namespace overworld::coc {
namespace {

namespace asio = boost::asio;

sdk::pipeline_options pipeline_options_of(client_options const& o) {
  auto p = sdk::common_pipeline_options(o);
  p.base_url = o.base_url;
  p.cache_enabled = o.cache_enabled;
  p.keys = o.keys;
  p.keys_required = true;
  p.limiter = o.limiter;
  p.throttle_retries = o.throttle_retries;
  p.on_request = o.on_request;
  p.on_response = o.on_response;
  return p;
}

error map_answer(http::client_response const& answer, std::string_view path) {
  return error_from_response(answer.status, answer.body, path, answer.header("Retry-After"));
}

sdk::pipeline make_pipeline(asio::any_io_executor ex, client_options const& o) {
  try {
    return sdk::pipeline{std::move(ex), pipeline_options_of(o), map_answer};
  } catch (std::invalid_argument const& e) {
    throw std::invalid_argument(std::string{"coc::client: "} + e.what());
  }
}

sdk::request to_pipeline(raw_request req) {
  sdk::request out;
  out.method = req.method;
  out.target = std::move(req.path);
  out.target += encode_query(req.query);
  if (!req.body.empty() || req.method == http::verb::post) out.content_type = "application/json";
  out.body = std::move(req.body);
  out.cache = req.cache;
  return out;
}

}  // namespace

struct client::impl {
  client_options options;
  sdk::io_thread io;
  sdk::pipeline pipe;
  sdk::single_flight<api_result<key_provision>> provisions;  // one portal run at a time, shared by every caller
  std::atomic<bool> maintenance{false};

  explicit impl(client_options o) : options(std::move(o)), pipe(make_pipeline(io.executor(), options)) {
    if (pipe.keys().keys().empty() && !options.portal) {
      throw std::invalid_argument("coc::client needs at least one API key or developer-portal accounts");
    }
    if (options.portal && options.portal->accounts.empty()) {
      throw std::invalid_argument("coc::client: key management needs at least one developer-portal account");
    }
  }
  ~impl() { io.stop(); }  // before the pipeline goes: pending calls refer to it

  // Runs on the client's thread.
  call perform(raw_request req) {
    if (options.portal && pipe.keys().keys().empty()) {
      auto made = co_await provision();
      if (!made) co_return sdk::failure<raw_response>(made.error());
    }
    auto r = co_await pipe.send(to_pipeline(req));
    // The keys were made for another address: make keys for this one and try again, once.
    if (!r && r.error().kind == error_kind::invalid_ip && options.portal) {
      auto made = co_await provision();
      if (!made) co_return sdk::failure<raw_response>(made.error());
      r = co_await pipe.send(to_pipeline(std::move(req)));
    }
    if (!r && r.error().kind == error_kind::maintenance) maintenance = true;
    if (r && !r->from_cache) maintenance = false;
    co_return r;
  }

  asio::awaitable<api_result<key_provision>> provision() {
    auto op = provisions.run("keys", [this] { return provision_now(); });
    co_return co_await std::move(op);
  }

  asio::awaitable<api_result<key_provision>> provision_now() {
    auto made = co_await provision_keys(pipe.http(), *options.portal);
    pipe.recorder().rekeyed();
    if (made && !made->keys.empty()) pipe.keys().replace_keys(made->keys);
    if (made && made->keys.empty()) {
      co_return sdk::failure<key_provision>(decode_error("/apikey/list", "the developer portal gave no usable key", 0));
    }
    co_return made;
  }
};

client::client(client_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
client::~client() = default;

client::call client::send(raw_request req) { return sdk::run_on(&impl_->io, impl_->perform(std::move(req))); }

client::call client::get_raw(std::string path, query_params query, cache_mode mode) {
  raw_request req;
  req.path = std::move(path);
  req.query = std::move(query);
  req.cache = mode;
  return send(std::move(req));
}

asio::awaitable<api_result<key_provision>> client::refresh_keys() {
  if (!impl_->options.portal) {
    co_return sdk::failure<key_provision>(decode_error("/login", "the client has no developer-portal accounts", 0));
  }
  co_return co_await sdk::run_on(&impl_->io, impl_->provision());
}

metrics_snapshot client::metrics() const { return impl_->pipe.metrics(); }
std::string client::prometheus_text(std::string_view prefix) const { return impl_->pipe.prometheus_text(prefix); }
client::stats client::statistics() const noexcept { return impl_->pipe.statistics(); }
sdk::response_cache::stats client::cache_statistics() const { return impl_->pipe.cache().statistics(); }
std::vector<std::string> client::keys() const { return impl_->pipe.keys().keys(); }
std::vector<sdk::key_limiter::key_state> client::key_states() const { return impl_->pipe.keys().states(); }
bool client::in_maintenance() const noexcept { return impl_->maintenance.load(); }
void client::clear_cache() { impl_->pipe.cache().clear(); }
client_options const& client::options() const noexcept { return impl_->options; }
boost::asio::any_io_executor client::executor() const noexcept { return impl_->io.executor(); }
sdk::io_thread& client::runtime() noexcept { return impl_->io; }
sdk::pipeline& client::pipeline() noexcept { return impl_->pipe; }

void append_paging(query_params& query, paging const& page) {
  if (page.limit) query.emplace_back("limit", std::to_string(*page.limit));
  if (!page.after.empty()) query.emplace_back("after", page.after);
  if (!page.before.empty()) query.emplace_back("before", page.before);
}

std::string encode_query(query_params const& query) {
  std::string out;
  for (auto const& [name, value] : query) {
    out += out.empty() ? '?' : '&';
    out += http::percent_encode(name);
    out += '=';
    out += http::percent_encode(value);
  }
  return out;
}

}  // namespace overworld::coc
